package org.genretagger.trainer.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PitchShiftTest {
    private static final float[] A440 = Signals.tone(440, 2.0, 0.5);

    @Test
    void upTwoSemitones() {
        float[] y = PitchShift.shift(A440, Signals.SR, 2.0);
        assertEquals(A440.length, y.length);
        assertEquals(493.88, Signals.peakHz(y), 4.94);
        PhaseVocoderTest.assertLevelHeldToTheEnd(y);
    }

    @Test
    void downTwoSemitones() {
        float[] y = PitchShift.shift(A440, Signals.SR, -2.0);
        assertEquals(A440.length, y.length);
        assertEquals(392.0, Signals.peakHz(y), 3.92);
        PhaseVocoderTest.assertLevelHeldToTheEnd(y);
    }

    @Test
    void peakIsPreciseNotJustWithinOnePercent() {
        // The 1 % tolerance above is the brief; the method itself should do far better.
        assertEquals(440 * Math.pow(2, 5 / 12.0), Signals.peakHz(PitchShift.shift(A440, Signals.SR, 5.0)), 0.5);
        assertEquals(440 * Math.pow(2, -1.5 / 12.0), Signals.peakHz(PitchShift.shift(A440, Signals.SR, -1.5)), 0.5);
    }

    @Test
    void shiftAndStretchCombines() {
        float[] y = PitchShift.shiftAndStretch(A440, Signals.SR, 2.0, 1.25);
        assertEquals(Math.round(A440.length / 1.25), y.length);
        assertEquals(493.88, Signals.peakHz(y), 4.94);
        PhaseVocoderTest.assertLevelHeldToTheEnd(y);
    }

    @Test
    void zeroShiftIsACopy() {
        float[] y = PitchShift.shift(A440, Signals.SR, 0.0);
        assertArrayEquals(A440, y);
    }

    @Test
    void resamplerKeepsTimeAlignmentAndLength() {
        // A smooth Gaussian pulse at 24750 Hz, sample 10000, must land at 10000 * 22050 / 24750
        // after resampling: swr must not add a filter delay.
        int inRate = 24750;
        int outRate = 22050;
        float[] x = new float[30000];
        for (int i = 0; i < x.length; i++) {
            double d = (i - 10000) / 20.0;
            x[i] = (float) Math.exp(-0.5 * d * d);
        }
        float[] y = SwrResampler.resample(x, inRate, outRate);
        assertEquals(x.length * (double) outRate / inRate, y.length, 2.0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < y.length; i++) {
            num += i * (double) y[i] * y[i];
            den += (double) y[i] * y[i];
        }
        assertEquals(10000.0 * outRate / inRate, num / den, 0.5);
        // The pulse's area scales with the rate ratio (samples per second changed, amplitude not).
        double areaIn = 0;
        double areaOut = 0;
        for (float v : x) {
            areaIn += v;
        }
        for (float v : y) {
            areaOut += v;
        }
        assertEquals(areaIn * outRate / inRate, areaOut, 0.01 * areaIn);
    }

    @Test
    void timesA30sClip() {
        float[] clip = Signals.clip30s();
        PitchShift.shift(clip, Signals.SR, 1.3); // warm-up (JIT, native library load)
        long t0 = System.nanoTime();
        float[] y = PitchShift.shift(clip, Signals.SR, 1.3);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("[augment-timing] PitchShift.shift 30 s clip, +1.3 semitones: " + ms + " ms");
        assertEquals(clip.length, y.length);
    }
}
