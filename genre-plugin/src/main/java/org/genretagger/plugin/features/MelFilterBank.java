package org.genretagger.plugin.features;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mel filter bank computed like {@code librosa.filters.mel(htk=False, norm='slaney', dtype=float32)}
 * (librosa 0.11): Slaney mel scale, triangular filters between consecutive mel points, each scaled by
 * {@code 2 / (f[i+2] - f[i])}.
 *
 * <p>Immutable and safe to share between threads. Besides the dense matrix it keeps, per mel band, only
 * the contiguous run of non-zero weights, which is what {@link #apply} uses.
 */
public final class MelFilterBank {

    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOGSTEP = Math.log(6.4) / 27.0;

    private static final Map<MelParameters, MelFilterBank> CACHE = new ConcurrentHashMap<>();

    private final int nMels;
    private final int nBins;
    private final float[][] dense;
    private final int[] bandStart;
    private final float[][] bandWeights;

    private MelFilterBank(float[][] dense) {
        this.nMels = dense.length;
        this.nBins = dense[0].length;
        this.dense = dense;
        this.bandStart = new int[nMels];
        this.bandWeights = new float[nMels][];
        for (int m = 0; m < nMels; m++) {
            int lo = 0;
            while (lo < nBins && dense[m][lo] == 0f) {
                lo++;
            }
            int hi = nBins - 1;
            while (hi >= lo && dense[m][hi] == 0f) {
                hi--;
            }
            bandStart[m] = lo;
            bandWeights[m] = Arrays.copyOfRange(dense[m], lo, Math.max(lo, hi + 1));
        }
    }

    /**
     * The filter bank for these parameters (cached; the same instance for equal parameters).
     *
     * @param p mel parameters
     * @return the filter bank
     */
    public static MelFilterBank of(MelParameters p) {
        return CACHE.computeIfAbsent(p, MelFilterBank::compute);
    }

    private static MelFilterBank compute(MelParameters p) {
        if (MelParameters.KALDI.equals(p.melScale())) {
            return kaldi(p);
        }
        int nMels = p.nMels();
        int nBins = p.nBins();
        double[] fftFreqs = new double[nBins];
        // np.fft.rfftfreq(n_fft, d=1/sr): k * (1 / (n * d))
        double val = 1.0 / (p.nFft() * (1.0 / p.sampleRate()));
        for (int k = 0; k < nBins; k++) {
            fftFreqs[k] = k * val;
        }
        double[] melF = melFrequencies(nMels + 2, p.fmin(), p.fmax());
        double[] fdiff = new double[melF.length - 1];
        for (int i = 0; i < fdiff.length; i++) {
            fdiff[i] = melF[i + 1] - melF[i];
        }
        float[][] w = new float[nMels][nBins];
        for (int i = 0; i < nMels; i++) {
            double enorm = 2.0 / (melF[i + 2] - melF[i]);
            for (int k = 0; k < nBins; k++) {
                double lower = -(melF[i] - fftFreqs[k]) / fdiff[i];
                double upper = (melF[i + 2] - fftFreqs[k]) / fdiff[i + 1];
                // librosa stores into float32 first, then multiplies in place by the float64 norm.
                float tri = (float) Math.max(0.0, Math.min(lower, upper));
                w[i][k] = (float) (tri * enorm);
            }
        }
        return new MelFilterBank(w);
    }

    /**
     * {@code torchaudio.compliance.kaldi.get_mel_banks(nMels, nFft, sampleRate, fmin, fmax, vtln_warp=1)}
     * with a zero column appended for the Nyquist bin, as EfficientAT uses it: triangles equally
     * spaced on {@code 1127 ln(1 + f/700)}, evaluated at bins {@code k * sr / nFft} for {@code k < nFft/2},
     * not area-normalised.
     */
    private static MelFilterBank kaldi(MelParameters p) {
        int nMels = p.nMels();
        int nBins = p.nBins();
        double lo = kaldiMel(p.fmin());
        double delta = (kaldiMel(p.fmax()) - lo) / (nMels + 1);
        double binWidth = (double) p.sampleRate() / p.nFft();
        float[][] w = new float[nMels][nBins];
        for (int i = 0; i < nMels; i++) {
            double left = lo + i * delta;
            double center = lo + (i + 1) * delta;
            double right = lo + (i + 2) * delta;
            for (int k = 0; k < nBins - 1; k++) {
                double mel = kaldiMel(binWidth * k);
                double up = (mel - left) / (center - left);
                double down = (right - mel) / (right - center);
                w[i][k] = (float) Math.max(0, Math.min(up, down));
            }
        }
        return new MelFilterBank(w);
    }

    private static double kaldiMel(double hz) {
        return 1127.0 * Math.log(1.0 + hz / 700.0);
    }

    /**
     * {@code librosa.mel_frequencies(n, fmin, fmax, htk=False)}: n points evenly spaced on the Slaney
     * mel scale, returned in Hz.
     *
     * @param n number of points
     * @param fmin lowest frequency in Hz
     * @param fmax highest frequency in Hz
     * @return frequencies in Hz
     */
    public static double[] melFrequencies(int n, double fmin, double fmax) {
        double minMel = hzToMel(fmin);
        double maxMel = hzToMel(fmax);
        double[] out = new double[n];
        if (n == 1) {
            out[0] = melToHz(minMel);
            return out;
        }
        // np.linspace: i * step + start, last point exactly stop
        double step = (maxMel - minMel) / (n - 1);
        for (int i = 0; i < n; i++) {
            double mel = (i == n - 1) ? maxMel : i * step + minMel;
            out[i] = melToHz(mel);
        }
        return out;
    }

    /**
     * Slaney mel scale, {@code librosa.hz_to_mel(f, htk=False)}.
     *
     * @param hz frequency in Hz
     * @return mels
     */
    public static double hzToMel(double hz) {
        if (hz >= MIN_LOG_HZ) {
            return MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP;
        }
        return hz / F_SP;
    }

    /**
     * Inverse of {@link #hzToMel}, {@code librosa.mel_to_hz(m, htk=False)}.
     *
     * @param mel mels
     * @return frequency in Hz
     */
    public static double melToHz(double mel) {
        if (mel >= MIN_LOG_MEL) {
            return MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL));
        }
        return F_SP * mel;
    }

    /** @return number of mel bands */
    public int nMels() {
        return nMels;
    }

    /** @return number of FFT bins each band spans ({@code 1 + nFft/2}) */
    public int nBins() {
        return nBins;
    }

    /** @return a copy of the dense {@code [nMels][nBins]} float32 weights, as librosa returns them */
    public float[][] weights() {
        float[][] copy = new float[nMels][];
        for (int m = 0; m < nMels; m++) {
            copy[m] = dense[m].clone();
        }
        return copy;
    }

    /**
     * Projects one power spectrum onto the mel bands: {@code out[m] = sum_k W[m][k] * power[k]},
     * touching only the non-zero band of each filter.
     *
     * @param power power spectrum, at least {@link #nBins()} values
     * @param out receives {@link #nMels()} values
     */
    public void apply(double[] power, float[] out) {
        for (int m = 0; m < nMels; m++) {
            float[] w = bandWeights[m];
            int k0 = bandStart[m];
            double acc = 0;
            for (int j = 0; j < w.length; j++) {
                acc += w[j] * power[k0 + j];
            }
            out[m] = (float) acc;
        }
    }
}
