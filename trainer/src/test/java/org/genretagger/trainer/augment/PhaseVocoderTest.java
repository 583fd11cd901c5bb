package org.genretagger.trainer.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PhaseVocoderTest {
    private static final float[] A440 = Signals.tone(440, 2.0, 0.5);

    @Test
    void fasterStretchShortensAndKeepsPitch() {
        float[] y = PhaseVocoder.timeStretch(A440, 1.25);
        assertEquals(Math.round(A440.length / 1.25), y.length);
        assertEquals(0.8, (double) y.length / A440.length, 0.008);
        assertEquals(440.0, Signals.peakHz(y), 4.4);
        assertLevelHeldToTheEnd(y);
    }

    @Test
    void slowerStretchLengthensAndKeepsPitch() {
        float[] y = PhaseVocoder.timeStretch(A440, 0.8);
        assertEquals(Math.round(A440.length / 0.8), y.length);
        assertEquals(1.25, (double) y.length / A440.length, 0.0125);
        assertEquals(440.0, Signals.peakHz(y), 4.4);
        assertLevelHeldToTheEnd(y);
    }

    @Test
    void unitRateReconstructsTheInput() {
        // Phase accumulation at rate 1 gives back the analysis phases, so STFT -> ISTFT must be
        // an identity up to float rounding: this checks the window-sum normalisation.
        float[] y = PhaseVocoder.timeStretch(A440, 1.0);
        assertEquals(A440.length, y.length);
        assertArrayEquals(A440, y, 1e-4f);
    }

    @Test
    void rejectsBadRates() {
        assertThrows(IllegalArgumentException.class, () -> PhaseVocoder.timeStretch(A440, 0));
        assertThrows(IllegalArgumentException.class, () -> PhaseVocoder.timeStretch(A440, -1));
        assertThrows(IllegalArgumentException.class, () -> PhaseVocoder.timeStretch(A440, Double.NaN));
    }

    @Test
    void emptyAndShortInputs() {
        assertEquals(0, PhaseVocoder.timeStretch(new float[0], 1.1).length);
        assertEquals(91, PhaseVocoder.timeStretch(new float[100], 1.1).length);
        // round(len / rate) halves to even, as Python's round in librosa: 5 / 2 -> 2, 7 / 2 -> 4.
        assertEquals(2, PhaseVocoder.timeStretch(new float[5], 2.0).length);
        assertEquals(4, PhaseVocoder.timeStretch(new float[7], 2.0).length);
    }

    @Test
    void timesA30sClip() {
        float[] clip = Signals.clip30s();
        PhaseVocoder.timeStretch(clip, 1.1); // warm-up (JIT)
        long t0 = System.nanoTime();
        float[] y = PhaseVocoder.timeStretch(clip, 1.1);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("[augment-timing] PhaseVocoder.timeStretch 30 s clip, rate 1.1: " + ms + " ms");
        assertEquals(Math.round(clip.length / 1.1), y.length);
    }

    /** The tone's level is the same near the end as in the middle: the output really spans its length. */
    static void assertLevelHeldToTheEnd(float[] y) {
        int n = y.length;
        double mid = Signals.rms(y, n / 3, 2 * n / 3);
        double tail = Signals.rms(y, n - 6000, n - 1000);
        assertEquals(0.5 / Math.sqrt(2), mid, 0.05, "level in the middle");
        assertEquals(mid, tail, 0.1 * mid, "level near the end");
    }
}
