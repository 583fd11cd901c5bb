package org.genretagger.trainer.augment;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Time stretching without pitch change, following {@code librosa.effects.time_stretch}: centred
 * STFT (n_fft 2048, hop 512, periodic Hann, zero padding), the {@code librosa.phase_vocoder}
 * algorithm (magnitude interpolated between neighbouring frames, phase accumulated from the
 * measured instantaneous frequency), and an inverse STFT normalised by the window sum-square.
 *
 * <p>Stateless and thread-safe. One deliberate difference from librosa: the accumulated phase is
 * kept in double precision and wrapped to (-π, π], where librosa accumulates it unwrapped in
 * float32 and loses precision in the high bins of long clips.
 */
public final class PhaseVocoder {
    /** FFT size of the analysis and synthesis STFT. */
    public static final int N_FFT = 2048;
    /** Hop between STFT frames (n_fft / 4, as librosa's phase vocoder assumes). */
    public static final int HOP = 512;

    private static final int BINS = N_FFT / 2 + 1;
    private static final double TWO_PI = 2 * Math.PI;
    private static final float[] WINDOW = hann(N_FFT);

    private PhaseVocoder() {}

    /**
     * Stretches {@code x} in time by {@code 1 / rate} keeping its pitch.
     *
     * @param x mono samples; not modified
     * @param rate speed factor: above 1 plays faster (shorter output), below 1 slower
     * @return a new array of length {@code round(x.length / rate)} (halves to even, as Python)
     * @throws IllegalArgumentException if {@code rate} is not a positive finite number
     */
    public static float[] timeStretch(float[] x, double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("time-stretch rate must be positive and finite, got " + rate);
        }
        return stretch(x, rate, outputLength(x.length, rate));
    }

    /** {@code round(length / rate)} with Python's half-to-even rounding, as librosa computes it. */
    static int outputLength(int length, double rate) {
        return (int) Math.rint(length / rate);
    }

    /** Phase-vocoder stretch by {@code rate}, inverse STFT cut or zero-padded to {@code length}. */
    static float[] stretch(float[] x, double rate, int length) {
        if (x.length == 0 || length == 0) {
            return new float[length];
        }
        FloatFFT_1D fft = new FloatFFT_1D(N_FFT);
        int half = N_FFT / 2;

        // Analysis: magnitude and phase of every frame, plus two zero frames at the end as
        // librosa pads D before interpolating (angle(0) = 0, |0| = 0).
        int frames = 1 + x.length / HOP;
        float[] mag = new float[(frames + 2) * BINS];
        float[] phase = new float[(frames + 2) * BINS];
        float[] buf = new float[N_FFT];
        for (int f = 0; f < frames; f++) {
            int start = f * HOP - half; // centre = true: frame f is centred on sample f * HOP
            for (int n = 0; n < N_FFT; n++) {
                int i = start + n;
                buf[n] = i >= 0 && i < x.length ? x[i] * WINDOW[n] : 0f;
            }
            fft.realForward(buf);
            int o = f * BINS;
            mag[o] = Math.abs(buf[0]);
            phase[o] = buf[0] < 0 ? (float) Math.PI : 0f;
            mag[o + half] = Math.abs(buf[1]);
            phase[o + half] = buf[1] < 0 ? (float) Math.PI : 0f;
            for (int k = 1; k < half; k++) {
                float re = buf[2 * k];
                float im = buf[2 * k + 1];
                mag[o + k] = (float) Math.sqrt(re * re + im * im);
                phase[o + k] = (float) Math.atan2(im, re);
            }
        }

        // Output frames at time steps np.arange(0, frames, rate); librosa's istft then keeps only
        // as many as can reach the requested length.
        int steps = (int) Math.ceil(frames / rate);
        int paddedLength = length + 2 * half;
        int outFrames = Math.min(steps, (paddedLength + HOP - 1) / HOP);
        float[] y = new float[N_FFT + HOP * (outFrames - 1)];
        float[] wss = new float[y.length];

        double[] phiAdvance = new double[BINS];
        double[] acc = new double[BINS];
        for (int k = 0; k < BINS; k++) {
            phiAdvance[k] = TWO_PI * k * HOP / N_FFT;
            acc[k] = phase[k];
        }
        for (int t = 0; t < outFrames; t++) {
            double step = t * rate;
            int i = (int) step;
            double alpha = step - i;
            int o0 = i * BINS;
            int o1 = o0 + BINS;
            for (int k = 0; k < BINS; k++) {
                double m = (1 - alpha) * mag[o0 + k] + alpha * mag[o1 + k];
                double a = acc[k];
                if (k == 0) {
                    buf[0] = (float) (m * Math.cos(a));
                } else if (k == half) {
                    buf[1] = (float) (m * Math.cos(a));
                } else {
                    buf[2 * k] = (float) (m * Math.cos(a));
                    buf[2 * k + 1] = (float) (m * Math.sin(a));
                }
                double d = phase[o1 + k] - phase[o0 + k] - phiAdvance[k];
                d -= TWO_PI * Math.rint(d / TWO_PI);
                a += phiAdvance[k] + d;
                acc[k] = a - TWO_PI * Math.rint(a / TWO_PI); // wrapped: keeps double precision
            }
            fft.realInverse(buf, true);
            int at = t * HOP;
            for (int n = 0; n < N_FFT; n++) {
                y[at + n] += buf[n] * WINDOW[n];
                wss[at + n] += WINDOW[n] * WINDOW[n];
            }
        }

        // Window sum-square normalisation, then drop the centring pad.
        float[] out = new float[length];
        int n = Math.min(length, y.length - half);
        for (int j = 0; j < n; j++) {
            float w = wss[half + j];
            float v = y[half + j];
            out[j] = w > Float.MIN_NORMAL ? v / w : v;
        }
        return out;
    }

    /** Periodic Hann window, as scipy's get_window('hann', n, fftbins=True) used by librosa. */
    private static float[] hann(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (0.5 - 0.5 * Math.cos(TWO_PI * i / n));
        }
        return w;
    }
}
