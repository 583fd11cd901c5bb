package org.genretagger.plugin.features;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mel spectrogram and its dB scaling, numerically those of librosa 0.11:
 * {@code librosa.feature.melspectrogram(y, sr, n_fft, hop_length, n_mels, window='hann', center=True,
 * pad_mode='constant', power=2.0)} and {@code librosa.power_to_db}.
 *
 * <p>Immutable and thread-safe: it only holds the parameters, the shared filter bank and the window.
 * Per-call working state lives in the {@link MelFrameStream} each call creates; a stream itself is for
 * one thread.
 */
public final class LogMel {

    /** librosa's default {@code amin} for {@code power_to_db}. */
    public static final double DEFAULT_AMIN = 1e-10;
    /** librosa's default {@code top_db}. */
    public static final double DEFAULT_TOP_DB = 80.0;

    private static final Map<MelParameters, double[]> WINDOWS = new ConcurrentHashMap<>();

    private final MelParameters params;
    private final MelFilterBank bank;
    private final double[] window;

    /**
     * @param params feature parameters
     */
    public LogMel(MelParameters params) {
        this.params = params;
        this.bank = MelFilterBank.of(params);
        this.window = WINDOWS.computeIfAbsent(params, LogMel::window);
    }

    /** @return the parameters */
    public MelParameters parameters() {
        return params;
    }

    /** @return the filter bank in use (shared, immutable) */
    public MelFilterBank filterBank() {
        return bank;
    }

    /**
     * Starts a streaming computation.
     *
     * @param consumer receives each frame as soon as it is computable
     * @return a new stream, to be used from one thread
     */
    public MelFrameStream stream(MelFrameStream.FrameConsumer consumer) {
        return new MelFrameStream(params, bank, window, consumer);
    }

    /**
     * Mel power spectrogram of a whole signal.
     *
     * @param samples mono samples at {@code parameters().sampleRate()}
     * @return {@code [nMels][1 + samples.length / hopLength]}
     */
    public float[][] melPower(float[] samples) {
        return melPower(samples, 0, samples.length);
    }

    /**
     * Mel power spectrogram of {@code samples[off .. off+len)}.
     *
     * @param samples sample buffer
     * @param off first sample
     * @param len number of samples
     * @return {@code [nMels][1 + len / hopLength]}
     */
    public float[][] melPower(float[] samples, int off, int len) {
        long frames = params.frameCount(len);
        float[][] out = new float[params.nMels()][(int) frames];
        MelFrameStream s = stream((t, mel) -> {
            int ti = (int) t;
            for (int m = 0; m < mel.length; m++) {
                out[m][ti] = mel[m];
            }
        });
        s.push(samples, off, len);
        s.finish();
        return out;
    }

    /**
     * {@code librosa.power_to_db(S, ref=ref, amin=amin, top_db=topDb)}:
     * {@code 10*log10(max(amin, S)) - 10*log10(max(amin, |ref|))}, then floored at
     * {@code max - topDb} when {@code topDb} is not null.
     *
     * @param mel power spectrogram {@code [bands][frames]}
     * @param ref reference power
     * @param amin floor on power, {@code > 0}
     * @param topDb dynamic range kept below the maximum, or null for no floor
     * @return a new array of the same shape, in dB
     */
    public static float[][] powerToDb(float[][] mel, double ref, double amin, Double topDb) {
        if (!(amin > 0)) {
            throw new IllegalArgumentException("amin must be > 0: " + amin);
        }
        if (topDb != null && !(topDb >= 0)) {
            throw new IllegalArgumentException("topDb must be >= 0: " + topDb);
        }
        double refDb = 10.0 * Math.log10(Math.max(amin, Math.abs(ref)));
        float[][] out = new float[mel.length][];
        double maxDb = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < mel.length; m++) {
            float[] row = mel[m];
            float[] o = new float[row.length];
            for (int t = 0; t < row.length; t++) {
                double db = 10.0 * Math.log10(Math.max(amin, row[t])) - refDb;
                o[t] = (float) db;
                if (o[t] > maxDb) {
                    maxDb = o[t];
                }
            }
            out[m] = o;
        }
        if (topDb != null && maxDb != Double.NEGATIVE_INFINITY) {
            float floor = (float) (maxDb - topDb);
            for (float[] o : out) {
                for (int t = 0; t < o.length; t++) {
                    if (o[t] < floor) {
                        o[t] = floor;
                    }
                }
            }
        }
        return out;
    }

    /**
     * {@code librosa.power_to_db(S, ref=np.max, amin=1e-10, top_db=80)}.
     *
     * @param mel power spectrogram
     * @return dB spectrogram with maximum 0 and minimum {@code >= -80}
     */
    public static float[][] powerToDbRefMax(float[][] mel) {
        return powerToDbRefMax(mel, DEFAULT_AMIN, DEFAULT_TOP_DB);
    }

    /**
     * {@code librosa.power_to_db(S, ref=np.max, amin=amin, top_db=topDb)}.
     *
     * @param mel power spectrogram
     * @param amin floor on power
     * @param topDb dynamic range, or null for none
     * @return dB spectrogram
     */
    public static float[][] powerToDbRefMax(float[][] mel, double amin, Double topDb) {
        return powerToDb(mel, max(mel), amin, topDb);
    }

    /**
     * @param a a 2-D array
     * @return its largest value ({@code -Infinity} when empty)
     */
    public static float max(float[][] a) {
        float max = Float.NEGATIVE_INFINITY;
        for (float[] row : a) {
            for (float v : row) {
                if (v > max) {
                    max = v;
                }
            }
        }
        return max;
    }

    /**
     * Periodic Hann window, {@code scipy.signal.get_window('hann', n, fftbins=True)}.
     *
     * @param n length
     * @return a new array of {@code n} weights
     */
    public static double[] hannWindow(int n) {
        return periodicHann(n).clone();
    }

    /**
     * The analysis window as the STFT applies it: a Hann window of {@code winLength}, centred in
     * {@code nFft} samples with zeros either side (as {@code torch.stft} pads a shorter window).
     */
    private static double[] window(MelParameters p) {
        double[] w = new double[p.nFft()];
        double[] hann = p.symmetricWindow() ? symmetricHann(p.winLength()) : periodicHann(p.winLength());
        System.arraycopy(hann, 0, w, (p.nFft() - p.winLength()) / 2, hann.length);
        return w;
    }

    /** {@code torch.hann_window(n, periodic=False)}: {@code 0.5 - 0.5 cos(2 pi i / (n - 1))}. */
    private static double[] symmetricHann(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = n == 1 ? 1 : 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
        }
        return w;
    }

    private static double[] periodicHann(int n) {
        // scipy: general_cosine over linspace(-pi, pi, n + 1), last point dropped.
        double[] w = new double[n];
        double step = 2 * Math.PI / n;
        for (int i = 0; i < n; i++) {
            double fac = i * step + -Math.PI;
            w[i] = 0.5 * Math.cos(0.0) + 0.5 * Math.cos(fac);
        }
        return w;
    }
}
