package org.genretagger.trainer.augment;

import java.util.Arrays;
import java.util.Random;

/**
 * SpecAugment-style masking of one normalised log-mel window (training only): a few bands of
 * frames and of mel bins are set to 0, the window mean after standardisation.
 *
 * <p>Each mask's width is drawn uniformly in {@code [0, floor(fraction * size)]} (so "up to" that
 * many masks are visible) and its start uniformly where it fits. Masks may overlap.
 *
 * @param timeMasks number of time masks drawn
 * @param maxTimeFraction widest time mask as a fraction of the window's frames
 * @param freqMasks number of frequency masks drawn
 * @param maxFreqFraction widest frequency mask as a fraction of the mel bins
 */
public record SpecMask(int timeMasks, double maxTimeFraction, int freqMasks, double maxFreqFraction) {

    /** Validates the parameters. */
    public SpecMask {
        if (timeMasks < 0 || freqMasks < 0) {
            throw new IllegalArgumentException("mask counts must be >= 0, got " + timeMasks + ", " + freqMasks);
        }
        if (!(maxTimeFraction >= 0 && maxTimeFraction <= 1 && maxFreqFraction >= 0 && maxFreqFraction <= 1)) {
            throw new IllegalArgumentException(
                    "mask fractions must be in [0, 1], got " + maxTimeFraction + ", " + maxFreqFraction);
        }
    }

    /** Two time masks up to 15% of the frames and two frequency masks up to 15% of the mels. */
    public static SpecMask defaults() {
        return new SpecMask(2, 0.15, 2, 0.15);
    }

    /**
     * Masks the window in place.
     *
     * @param w array holding the window mel-major: value {@code (m, t)} at {@code offset + m * frames + t}
     * @param offset where the window starts in {@code w}
     * @param nMels mel bins in the window
     * @param frames frames in the window
     * @param rng source of the mask widths and positions
     */
    public void apply(float[] w, int offset, int nMels, int frames, Random rng) {
        if (nMels <= 0 || frames <= 0 || offset < 0 || (long) offset + (long) nMels * frames > w.length) {
            throw new IllegalArgumentException("window " + nMels + " x " + frames + " at " + offset
                    + " does not fit an array of " + w.length);
        }
        // The epsilon keeps e.g. 0.15 * 20 from flooring to 2 through rounding error.
        int maxT = (int) Math.floor(maxTimeFraction * frames + 1e-9);
        for (int i = 0; i < timeMasks; i++) {
            int width = rng.nextInt(maxT + 1);
            int start = rng.nextInt(frames - width + 1);
            for (int m = 0; m < nMels; m++) {
                int row = offset + m * frames;
                Arrays.fill(w, row + start, row + start + width, 0f);
            }
        }
        int maxF = (int) Math.floor(maxFreqFraction * nMels + 1e-9);
        for (int i = 0; i < freqMasks; i++) {
            int width = rng.nextInt(maxF + 1);
            int start = rng.nextInt(nMels - width + 1);
            Arrays.fill(w, offset + start * frames, offset + (start + width) * frames, 0f);
        }
    }
}
