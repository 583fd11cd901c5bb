package org.genretagger.trainer.augment;

import java.util.Random;
import org.jtransforms.fft.DoubleFFT_1D;

/** Synthetic test signals and a spectral-peak meter for the augmentation tests. */
final class Signals {
    static final int SR = 22050;

    private Signals() {}

    static float[] tone(double hz, double seconds, double amplitude) {
        int n = (int) Math.round(seconds * SR);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / SR));
        }
        return x;
    }

    /** 30 s of music-like material: a few tones plus some noise, for timing only. */
    static float[] clip30s() {
        Random r = new Random(7);
        int n = 30 * SR;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / SR;
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * 554.4 * t)
                    + 0.1 * Math.sin(2 * Math.PI * 1318.5 * t) + 0.05 * r.nextGaussian());
        }
        return x;
    }

    /**
     * Frequency of the strongest spectral peak over the middle of {@code x}: Hann-windowed,
     * zero-padded FFT, then a parabola through the log magnitudes around the top bin.
     */
    static double peakHz(float[] x) {
        int len = Math.min(16384, x.length / 2);
        int start = (x.length - len) / 2;
        int nfft = 1 << 17;
        double[] a = new double[nfft];
        for (int i = 0; i < len; i++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (len - 1));
            a[i] = x[start + i] * w;
        }
        new DoubleFFT_1D(nfft).realForward(a);
        int bins = nfft / 2;
        double[] mag = new double[bins];
        int best = 1;
        for (int k = 1; k < bins; k++) {
            mag[k] = Math.hypot(a[2 * k], a[2 * k + 1]);
            if (mag[k] > mag[best]) {
                best = k;
            }
        }
        double l = Math.log(mag[best - 1] + 1e-30);
        double c = Math.log(mag[best] + 1e-30);
        double r = Math.log(mag[best + 1] + 1e-30);
        double delta = 0.5 * (l - r) / (l - 2 * c + r);
        return (best + delta) * SR / nfft;
    }

    static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return Math.sqrt(s / Math.max(1, to - from));
    }
}
