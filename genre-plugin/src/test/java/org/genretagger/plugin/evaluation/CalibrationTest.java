package org.genretagger.plugin.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void eceIsZeroWhenConfidenceMatchesAccuracy() {
        // ten items at confidence 0.8, eight of them right: |0.8 - 0.8| = 0
        double[][] probs = new double[10][];
        int[] truth = new int[10];
        for (int i = 0; i < 10; i++) {
            probs[i] = new double[] {0.8, 0.2};
            truth[i] = i < 8 ? 0 : 1;
        }
        assertEquals(0.0, Calibration.expectedCalibrationError(probs, truth, 15), 1e-12);
    }

    @Test
    void eceIsOneHalfWhenCertainButRightHalfTheTime() {
        double[][] probs = new double[10][];
        int[] truth = new int[10];
        for (int i = 0; i < 10; i++) {
            probs[i] = new double[] {1.0, 0.0, 0.0};
            truth[i] = i % 2 == 0 ? 0 : 2;
        }
        assertEquals(0.5, Calibration.expectedCalibrationError(probs, truth), 1e-12);
    }

    @Test
    void eceWeighsBinsByTheirShare() {
        // 4 items at 0.9 with 3 right (gap 0.15), 4 items at 0.6 all right (gap 0.4)
        // ECE = 4/8 * 0.15 + 4/8 * 0.4 = 0.275
        double[][] probs = new double[8][];
        int[] truth = new int[8];
        for (int i = 0; i < 4; i++) {
            probs[i] = new double[] {0.05, 0.9, 0.05};
            truth[i] = i == 0 ? 2 : 1;
            probs[4 + i] = new double[] {0.6, 0.3, 0.1};
            truth[4 + i] = 0;
        }
        assertEquals(0.275, Calibration.expectedCalibrationError(probs, truth, 15), 1e-12);

        List<Calibration.Bin> table = Calibration.reliabilityTable(probs, truth, 15);
        assertEquals(15, table.size());
        // 0.9 lies in (13/15, 14/15]; 0.6 is the inclusive upper edge of (8/15, 9/15]
        assertEquals(4, table.get(13).count());
        assertEquals(0.75, table.get(13).accuracy(), 1e-12);
        assertEquals(0.9, table.get(13).meanConfidence(), 1e-12);
        assertEquals(4, table.get(8).count());
        assertEquals(1.0, table.get(8).accuracy(), 1e-12);
        assertEquals(8, table.stream().mapToInt(Calibration.Bin::count).sum());
        assertEquals(0, table.get(0).count());
    }

    @Test
    void binEdgesAreUpperInclusive() {
        assertEquals(11, Calibration.binOf(0.8, 15));   // (11/15, 12/15]
        assertEquals(14, Calibration.binOf(1.0, 15));
        assertEquals(0, Calibration.binOf(0.0, 15));
        assertEquals(0, Calibration.binOf(1.0 / 15, 15));
        assertEquals(1, Calibration.binOf(Math.nextUp(1.0 / 15), 15));
    }

    @Test
    void trackProbabilitiesAreTheMeanOfWindowSoftmaxes() {
        float ln3 = (float) Math.log(3);
        // softmax([0, ln 3]) = [1/4, 3/4]; the mirrored window gives [3/4, 1/4]; mean [1/2, 1/2]
        assertArrayEquals(new double[] {0.25, 0.75},
                Calibration.trackProbabilities(new float[][] {{0, ln3}}, 1.0), 1e-6);
        assertArrayEquals(new double[] {0.5, 0.5},
                Calibration.trackProbabilities(new float[][] {{0, ln3}, {ln3, 0}}, 1.0), 1e-6);
        // dividing by T = 2 turns logits [0, 2 ln 3] into [0, ln 3]
        assertArrayEquals(new double[] {0.25, 0.75},
                Calibration.trackProbabilities(new float[][] {{0, 2 * ln3}}, 2.0), 1e-6);
        // huge logits do not overflow
        double[] p = Calibration.trackProbabilities(new float[][] {{1000f, 0f, -1000f}}, 0.05);
        assertEquals(1.0, p[0], 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> Calibration.trackProbabilities(new float[][] {{0, 1}}, 0.0));
    }

    @Test
    void fitTemperatureRecoversAKnownTemperature() {
        assertRecovers(2.0, 11L);
        assertRecovers(0.5, 12L);
    }

    private static void assertRecovers(double t0, long seed) {
        // Labels drawn from the model's own track probabilities at T0: the NLL-optimal T is T0.
        Random rnd = new Random(seed);
        int tracks = 3000;
        int classes = 10;
        List<float[][]> logits = new ArrayList<>(tracks);
        int[] truth = new int[tracks];
        for (int i = 0; i < tracks; i++) {
            int windows = 1 + rnd.nextInt(4);
            float[][] w = new float[windows][classes];
            for (float[] row : w) {
                for (int k = 0; k < classes; k++) {
                    row[k] = (float) (3.0 * rnd.nextGaussian());
                }
            }
            logits.add(w);
            truth[i] = sample(Calibration.trackProbabilities(w, t0), rnd);
        }
        double fitted = Calibration.fitTemperature(logits, truth);
        assertTrue(Math.abs(fitted - t0) <= 0.15 * t0, "fitted T = " + fitted + ", true T0 = " + t0);
        // and the fit is a minimum: nudging T either way does not lower the NLL
        double nll = Calibration.negativeLogLikelihood(logits, truth, fitted);
        assertTrue(nll <= Calibration.negativeLogLikelihood(logits, truth, fitted * 1.05));
        assertTrue(nll <= Calibration.negativeLogLikelihood(logits, truth, fitted / 1.05));
    }

    private static int sample(double[] p, Random rnd) {
        double u = rnd.nextDouble();
        double acc = 0;
        for (int k = 0; k < p.length; k++) {
            acc += p[k];
            if (u < acc) {
                return k;
            }
        }
        return p.length - 1;
    }

    @Test
    void fitTemperatureStaysInsideItsRange() {
        // always right with large margins: the NLL keeps falling as T shrinks, so the fit sits at the floor
        List<float[][]> logits = List.of(new float[][] {{5, 0}}, new float[][] {{0, 5}});
        double t = Calibration.fitTemperature(logits, new int[] {0, 1});
        assertTrue(t >= Calibration.MIN_TEMPERATURE && t < Calibration.MIN_TEMPERATURE * 1.01, "T = " + t);
    }
}
