package org.genretagger.plugin.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfidenceThresholdTest {

    /*
     * 20 tracks:
     *   10 at top probability 0.95, all right
     *    5 at 0.70, 4 right
     *    5 at 0.40, 1 right
     * t <= 0.40        keeps 20, 15 right -> 0.75
     * 0.40 < t <= 0.70 keeps 15, 14 right -> 0.9333
     * 0.70 < t <= 0.95 keeps 10, 10 right -> 1.0
     * t > 0.95         keeps 0
     */
    private static final double[] PROB = new double[20];
    private static final boolean[] RIGHT = new boolean[20];

    static {
        for (int i = 0; i < 10; i++) {
            PROB[i] = 0.95;
            RIGHT[i] = true;
        }
        for (int i = 10; i < 15; i++) {
            PROB[i] = 0.70;
            RIGHT[i] = i != 14;
        }
        for (int i = 15; i < 20; i++) {
            PROB[i] = 0.40;
            RIGHT[i] = i == 15;
        }
    }

    @Test
    void choosesTheSmallestThresholdThatReachesTheTarget() {
        ConfidenceThreshold.Choice c = ConfidenceThreshold.choose(PROB, RIGHT);
        assertTrue(c.reached());
        assertEquals(0.41, c.threshold(), 1e-12); // first grid point above the 0.40 tracks
        assertEquals(14.0 / 15, c.precision(), 1e-12);
        assertEquals(15, c.count());
        assertEquals(0.75, c.coverage(), 1e-12);
        assertEquals(20, c.total());
        assertEquals("At 0.41, 93% of written tags were right on the 20 validation tracks, and 75% of tracks got a tag.",
                c.sentence());
        assertTrue(c.describe("test").contains("on the 20 test tracks"));
    }

    @Test
    void aStricterTargetMovesTheThresholdUp() {
        ConfidenceThreshold.Choice c = ConfidenceThreshold.choose(PROB, RIGHT, 0.99, 10);
        assertTrue(c.reached());
        assertEquals(0.71, c.threshold(), 1e-12);
        assertEquals(1.0, c.precision(), 1e-12);
        assertEquals(10, c.count());
    }

    @Test
    void theGuardRefusesThresholdsBackedByTooFewTracks() {
        // 0.99 needs t > 0.70, which keeps only 10 tracks: not enough when 11 are required
        ConfidenceThreshold.Choice c = ConfidenceThreshold.choose(PROB, RIGHT, 0.99, 11);
        assertFalse(c.reached());
        // fallback: best precision among thresholds keeping >= 11 tracks
        assertEquals(0.41, c.threshold(), 1e-12);
        assertEquals(14.0 / 15, c.precision(), 1e-12);
        assertTrue(c.sentence().startsWith("No threshold reached 99% right tags with at least 11 of the 20"),
                c.sentence());
    }

    @Test
    void aTinySetNeverClaimsTheTarget() {
        double[] prob = {0.9, 0.9, 0.9, 0.9, 0.9};
        boolean[] right = {true, true, true, true, true};
        ConfidenceThreshold.Choice c = ConfidenceThreshold.choose(prob, right);
        assertFalse(c.reached());
        assertEquals(0.0, c.threshold(), 1e-12); // all thresholds up to 0.90 tie at 100%: lowest kept
        assertEquals(1.0, c.coverage(), 1e-12);
        assertTrue(c.sentence().startsWith("Only 5 validation tracks, fewer than the 10 needed"), c.sentence());
    }

    @Test
    void tableCoversZeroToNinetyFiveInStepsOfFive() {
        List<ConfidenceThreshold.Row> rows = ConfidenceThreshold.table(PROB, RIGHT);
        assertEquals(20, rows.size());
        assertEquals(0.0, rows.get(0).threshold(), 1e-12);
        assertEquals(0.95, rows.get(19).threshold(), 1e-12);
        assertEquals(20, rows.get(0).count());
        assertEquals(0.75, rows.get(0).precision(), 1e-12);
        assertEquals(15, rows.get(9).count()); // t = 0.45
        assertEquals(14.0 / 15, rows.get(9).precision(), 1e-12);
        assertEquals(15, rows.get(14).count()); // t = 0.70 keeps the 0.70 tracks
        assertEquals(10, rows.get(19).count()); // t = 0.95 keeps the 0.95 tracks
        assertEquals(0.5, rows.get(19).coverage(), 1e-12);
        String md = ConfidenceThreshold.toMarkdown(rows);
        assertTrue(md.contains("| 0.45 | 15 | 75.0% | 93.3% |"), md);
    }

    @Test
    void rejectsEmptyOrMismatchedInput() {
        assertThrows(IllegalArgumentException.class,
                () -> ConfidenceThreshold.choose(new double[0], new boolean[0]));
        assertThrows(IllegalArgumentException.class,
                () -> ConfidenceThreshold.choose(new double[] {0.5}, new boolean[] {true, false}));
    }
}
