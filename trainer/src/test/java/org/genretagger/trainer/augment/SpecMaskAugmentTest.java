package org.genretagger.trainer.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tests {@link SpecMask} (named to match the trainer's augmentation test filter). */
class SpecMaskAugmentTest {
    private static final int MELS = 96;
    private static final int FRAMES = 128;
    private static final int OFFSET = 1000;

    @Test
    void masksStayWithinLimitsAndInsideTheWindow() {
        SpecMask mask = SpecMask.defaults();
        int maxT = (int) Math.floor(0.15 * FRAMES); // 19
        int maxF = (int) Math.floor(0.15 * MELS); // 14
        int widestT = 0;
        int widestF = 0;
        for (int seed = 0; seed < 200; seed++) {
            float[] w = new float[OFFSET + MELS * FRAMES + 500];
            Arrays.fill(w, 1f);
            mask.apply(w, OFFSET, MELS, FRAMES, new Random(seed));
            for (int i = 0; i < w.length; i++) {
                if (i < OFFSET || i >= OFFSET + MELS * FRAMES) {
                    assertEquals(1f, w[i], "outside the window at " + i);
                }
            }
            boolean[] zeroCol = new boolean[FRAMES];
            boolean[] zeroRow = new boolean[MELS];
            for (int t = 0; t < FRAMES; t++) {
                zeroCol[t] = true;
                for (int m = 0; m < MELS; m++) {
                    zeroCol[t] &= w[OFFSET + m * FRAMES + t] == 0f;
                }
            }
            for (int m = 0; m < MELS; m++) {
                zeroRow[m] = true;
                for (int t = 0; t < FRAMES; t++) {
                    zeroRow[m] &= w[OFFSET + m * FRAMES + t] == 0f;
                }
            }
            // Every masked cell belongs to a masked column or a masked row: masks are bands.
            for (int m = 0; m < MELS; m++) {
                for (int t = 0; t < FRAMES; t++) {
                    float v = w[OFFSET + m * FRAMES + t];
                    assertTrue(v == 1f || (v == 0f && (zeroCol[t] || zeroRow[m])), "cell " + m + "," + t);
                }
            }
            int[] cols = runs(zeroCol);
            int[] rows = runs(zeroRow);
            // A fully masked row zeroes every column's cell in it only if all rows are masked,
            // which 2 x 14 of 96 cannot; likewise for columns. So runs reflect the masks alone.
            assertTrue(cols[0] <= 2 && cols[1] <= 2 * maxT, "time masks " + Arrays.toString(cols));
            assertTrue(rows[0] <= 2 && rows[1] <= 2 * maxF, "freq masks " + Arrays.toString(rows));
            widestT = Math.max(widestT, cols[2]);
            widestF = Math.max(widestF, rows[2]);
        }
        // Non-overlapping masks are at most maxT/maxF wide; over 200 seeds some reach near that.
        assertTrue(widestT >= maxT - 3 && widestF >= maxF - 3, "widest masks " + widestT + ", " + widestF);
    }

    @Test
    void deterministicPerSeed() {
        float[] a = new float[MELS * FRAMES];
        float[] b = new float[MELS * FRAMES];
        Arrays.fill(a, 1f);
        Arrays.fill(b, 1f);
        SpecMask.defaults().apply(a, 0, MELS, FRAMES, new Random(9));
        SpecMask.defaults().apply(b, 0, MELS, FRAMES, new Random(9));
        assertArrayEquals(a, b);
    }

    @Test
    void rejectsAWindowThatDoesNotFit() {
        assertThrows(IllegalArgumentException.class,
                () -> SpecMask.defaults().apply(new float[MELS * FRAMES], 1, MELS, FRAMES, new Random(0)));
    }

    /** {number of runs, total length, longest run} of true values. */
    private static int[] runs(boolean[] b) {
        int count = 0;
        int total = 0;
        int longest = 0;
        int cur = 0;
        for (int i = 0; i <= b.length; i++) {
            if (i < b.length && b[i]) {
                cur++;
            } else if (cur > 0) {
                count++;
                total += cur;
                longest = Math.max(longest, cur);
                cur = 0;
            }
        }
        return new int[] {count, total, longest};
    }
}
