package org.genretagger.trainer.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {
    private static final float[] CLIP = Signals.tone(440, 2.0, 0.5);
    private static final Augmenter ALWAYS = new Augmenter(1, 2, 1, 0.8, 1.2, 1, 10, 30, 1, 6);

    @Test
    void sameSeedSameOutputOtherSeedOtherOutput() {
        float[] a = ALWAYS.augment(CLIP, Signals.SR, new Random(42));
        float[] b = ALWAYS.augment(CLIP, Signals.SR, new Random(42));
        float[] c = ALWAYS.augment(CLIP, Signals.SR, new Random(43));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void lengthStaysWithinTheStretchBoundsAndInputIsUntouched() {
        float[] copy = CLIP.clone();
        Augmenter aug = Augmenter.defaults();
        int lo = (int) Math.round(CLIP.length / 1.2);
        int hi = (int) Math.round(CLIP.length / 0.8);
        boolean changedLength = false;
        for (int seed = 0; seed < 12; seed++) {
            float[] y = aug.augment(CLIP, Signals.SR, new Random(seed));
            assertTrue(y.length >= lo && y.length <= hi, "length " + y.length + " for seed " + seed);
            changedLength |= y.length != CLIP.length;
            float peak = 0;
            for (float v : y) {
                peak = Math.max(peak, Math.abs(v));
            }
            assertTrue(peak <= 1f, "peak " + peak + " for seed " + seed);
        }
        assertTrue(changedLength, "some seed should have stretched");
        assertArrayEquals(copy, CLIP);
    }

    @Test
    void nothingAppliedGivesACopy() {
        Augmenter none = new Augmenter(0, 2, 0, 0.8, 1.2, 0, 10, 30, 0, 6);
        float[] y = none.augment(CLIP, Signals.SR, new Random(1));
        assertArrayEquals(CLIP, y);
        assertNotEquals(System.identityHashCode(CLIP), System.identityHashCode(y));
    }

    @Test
    void gainIsClipSafe() {
        Augmenter loud = new Augmenter(0, 0, 0, 1, 1, 0, 10, 30, 1, 20);
        float[] full = Signals.tone(440, 0.5, 0.99);
        for (int seed = 0; seed < 5; seed++) {
            float[] y = loud.augment(full, Signals.SR, new Random(seed));
            float peak = 0;
            for (float v : y) {
                peak = Math.max(peak, Math.abs(v));
            }
            assertTrue(peak <= 1f, "peak " + peak);
        }
    }

    @Test
    void noiseHitsTheRequestedSnr() {
        for (boolean pink : new boolean[] {false, true}) {
            float[] y = CLIP.clone();
            Augmenter.addNoise(y, 20.0, pink, new SplittableRandom(5));
            double signal = 0;
            double noise = 0;
            for (int i = 0; i < y.length; i++) {
                signal += (double) CLIP[i] * CLIP[i];
                double d = y[i] - CLIP[i];
                noise += d * d;
            }
            assertEquals(20.0, 10 * Math.log10(signal / noise), 0.05, pink ? "pink" : "white");
        }
    }

    @Test
    void pinkNoiseHasMoreLowThanHighEnergy() {
        float[] y = new float[1 << 16];
        Arrays.fill(y, 0.1f); // DC "signal" so an SNR can be set; subtracted below
        Augmenter.addNoise(y, 0.0, true, new SplittableRandom(3));
        double[] a = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            a[i] = y[i] - 0.1;
        }
        new org.jtransforms.fft.DoubleFFT_1D(a.length).realForward(a);
        // Equal-width bands an octave apart: pink noise loses ~3 dB per octave.
        double low = band(a, 1000, 2000);
        double high = band(a, 16000, 17000);
        double dbPerFourOctaves = 10 * Math.log10(low / high);
        assertEquals(12.0, dbPerFourOctaves, 2.0);
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new Augmenter(1.5, 2, 1, 0.8, 1.2, 1, 10, 30, 1, 6));
        assertThrows(IllegalArgumentException.class, () -> new Augmenter(1, 2, 1, 1.2, 0.8, 1, 10, 30, 1, 6));
        assertThrows(IllegalArgumentException.class, () -> new Augmenter(1, 2, 1, 0, 1.2, 1, 10, 30, 1, 6));
    }

    private static double band(double[] a, int from, int to) {
        double s = 0;
        for (int k = from; k < to; k++) {
            s += a[2 * k] * a[2 * k] + a[2 * k + 1] * a[2 * k + 1];
        }
        return s;
    }
}
