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
 * @param winLength Hann window length, centred in the {@code nFft} frame and zero outside it (as
 *     {@code torch.stft} pads a shorter window); {@code <= 0} means {@code nFft}
 * @param symmetricWindow a symmetric Hann window ({@code torch.hann_window(periodic=False)}) instead
 *     of librosa's periodic one
 * @param melScale {@link #SLANEY} (librosa's mel scale and area-normalised filters) or {@link #KALDI}
 *     ({@code torchaudio.compliance.kaldi.get_mel_banks}: {@code 1127 ln(1 + f/700)}, unnormalised
 *     triangles over bins below Nyquist)
 * @param preEmphasis coefficient {@code a} of the pre-emphasis {@code y[n] = x[n+1] - a x[n]}
 *     (EfficientAT's 2-tap convolution, one sample shorter); 0 for none
 */
public record MelParameters(int sampleRate, int nFft, int hopLength, int nMels, double fmin, Double fmax,
        boolean reflectPad, int winLength, boolean symmetricWindow, String melScale, double preEmphasis) {
    /** librosa's mel scale and filters. */
    public static final String SLANEY = "slaney";
    /** Kaldi's mel scale and filters, as torchaudio computes them. */
    public static final String KALDI = "kaldi";

    /** Zero-padded parameters, librosa 0.11's default. */
    public MelParameters(int sampleRate, int nFft, int hopLength, int nMels, double fmin, Double fmax) {
        this(sampleRate, nFft, hopLength, nMels, fmin, fmax, false);
    }

    /** librosa's front end with the given centring pad. */
    public MelParameters(int sampleRate, int nFft, int hopLength, int nMels, double fmin, Double fmax,
            boolean reflectPad) {
        this(sampleRate, nFft, hopLength, nMels, fmin, fmax, reflectPad, 0, false, SLANEY, 0);
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
        if (winLength <= 0) {
            winLength = nFft;
        }
        if (winLength > nFft) {
            throw new IllegalArgumentException("winLength must be <= nFft: " + winLength);
        }
        if (melScale == null || melScale.isEmpty()) {
            melScale = SLANEY;
        }
        if (!SLANEY.equals(melScale) && !KALDI.equals(melScale)) {
            throw new IllegalArgumentException("unknown mel scale '" + melScale + "'");
        }
        if (!(preEmphasis >= 0 && preEmphasis < 1)) {
            throw new IllegalArgumentException("need 0 <= preEmphasis < 1: " + preEmphasis);
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
     * Number of frames produced for {@code nSamples} input samples with {@code center=True}.
     *
     * @param nSamples number of input samples
     * @return {@code 1 + nSamples / hopLength}, counting the samples left after pre-emphasis
     */
    public long frameCount(long nSamples) {
        long n = preEmphasis > 0 ? Math.max(0, nSamples - 1) : nSamples;
        return 1 + n / hopLength;
    }
}
