package org.genretagger.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlendTest {
    private static Evaluation.Result result(List<String> clips, int[] truth, double[][] p) {
        return new Evaluation.Result(null, null, 0, null, List.of(), clips, truth, p);
    }

    @Test
    void fusesOverSharedLabelsAndMatchesEachModelAtTheEnds() {
        // First model: labels a, b, other (a label the second lacks). Second model: b, a.
        List<String> la = List.of("a", "b", "other");
        List<String> lb = List.of("b", "a");
        // Clip x (truth a): the first is wrong (b), the second right. Clip y (truth b): both right.
        // Clip z is unknown to the second model and is left out.
        Evaluation.Result first = result(List.of("x", "y", "z"), new int[] {0, 1, 0},
                new double[][] {{0.2, 0.4, 0.4}, {0.1, 0.6, 0.3}, {1, 0, 0}});
        Evaluation.Result second = result(List.of("y", "x"), new int[] {0, 1},
                new double[][] {{0.8, 0.2}, {0.1, 0.9}});
        String table = Blend.table(first, la, second, lb);
        // w = 0: x is wrong, y right; w = 1: both right; each over the two shared clips.
        assertTrue(table.contains("| 0.0 | 0.500 (1/2) |"), table);
        assertTrue(table.contains("| 1.0 | 1.000 (2/2) |"), table);
        // x at w = 0.5: a = (0.2/0.6 + 0.9)/2 = 0.617 against b = 0.383: the blend gets it right.
        assertTrue(table.contains("| 0.5 | 1.000 (2/2) |"), table);
    }
}
