package org.genretagger.plugin.features;

/**
 * Parameters of a log-mel front end, named and defaulted like {@code librosa.feature.melspectrogram}
 * (Hann window, {@code center=True}, power 2, Slaney mel scale and norm). The centring pad is zeros
 * (librosa 0.10+'s default) or a reflection of the signal (librosa 0.7's, which musicnn was trained on).
 *
 * <p>{@code fmax} may be given as {@code null} or {@code <= 0}; it is then normalised to
 * {@code sampleRate / 2}, so {@link #fmax()} is never null. The record is immutable and is meant to
 * travel with a model's config.
 *
 * @param sampleRate audio sample rate in Hz
 * @param nFft FFT size and window length in samples (even)
 * @param hopLength hop between frames in samples
 * @param nMels number of mel bands
 * @param fmin lowest mel edge in Hz
 * @param fmax highest mel edge in Hz; null or {@code <= 0} means Nyquist
 * @param reflectPad whether the {@code nFft / 2} samples padded at each end reflect the signal
 *     ({@code pad_mode='reflect'}) instead of being zeros
 */
public record MelParameters(int sampleRate, int nFft, int hopLength, int nMels, double fmin, Double fmax,
        boolean reflectPad) {

    /** Zero-padded parameters, librosa 0.11's default. */
    public MelParameters(int sampleRate, int nFft, int hopLength, int nMels, double fmin, Double fmax) {
        this(sampleRate, nFft, hopLength, nMels, fmin, fmax, false);
    }

    /** Validates and normalises {@code fmax}. */
    public MelParameters {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be > 0: " + sampleRate);
        }
        // Odd sizes would need a different real-FFT packing; librosa users never pick them.
        if (nFft < 2 || nFft % 2 != 0) {
            throw new IllegalArgumentException("nFft must be even and >= 2: " + nFft);
        }
        if (hopLength <= 0) {
            throw new IllegalArgumentException("hopLength must be > 0: " + hopLength);
        }
        if (nMels <= 0) {
            throw new IllegalArgumentException("nMels must be > 0: " + nMels);
        }
        if (fmax == null || fmax <= 0) {
            fmax = sampleRate / 2.0;
        }
        if (!(fmin >= 0) || !(fmin < fmax)) {
            throw new IllegalArgumentException("need 0 <= fmin < fmax, got fmin=" + fmin + " fmax=" + fmax);
        }
    }

    /**
     * librosa's defaults at the given rate: n_fft 2048, hop 512, 128 mels, fmin 0, fmax Nyquist.
     *
     * @param sampleRate audio sample rate in Hz
     * @return the parameters
     */
    public static MelParameters librosaDefaults(int sampleRate) {
        return new MelParameters(sampleRate, 2048, 512, 128, 0.0, null);
    }

    /** @return number of FFT bins, {@code 1 + nFft / 2} */
    public int nBins() {
        return nFft / 2 + 1;
    }

    /**
     * Number of frames librosa produces for {@code nSamples} input samples with {@code center=True}.
     *
     * @param nSamples number of input samples
     * @return {@code 1 + nSamples / hopLength}
     */
    public long frameCount(long nSamples) {
        return 1 + nSamples / hopLength;
    }
}
