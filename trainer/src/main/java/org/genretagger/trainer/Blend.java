package org.genretagger.trainer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.genretagger.plugin.evaluation.Calibration;

/**
 * Late fusion of two models' track probabilities, measured clip by clip: is a blend worth its
 * second network? Each model's probabilities are restricted to the labels both know and
 * renormalised; the blend is {@code (1 - w) * first + w * second}.
 */
final class Blend {
    /** Weights of the second model tried. */
    static final double[] WEIGHTS = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1};

    private Blend() {}

    /**
     * @param a the first model's evaluation
     * @param labelsA its labels
     * @param b the second model's evaluation of the same clips
     * @param labelsB its labels
     * @return a Markdown table of track accuracy and mean negative log-likelihood per weight
     */
    static String table(Evaluation.Result a, List<String> labelsA, Evaluation.Result b, List<String> labelsB) {
        List<String> shared = new ArrayList<>(labelsA);
        shared.retainAll(labelsB);
        Map<String, Integer> rowB = new HashMap<>();
        for (int i = 0; i < b.clips().size(); i++) {
            rowB.put(b.clips().get(i), i);
        }
        List<double[]> pa = new ArrayList<>();
        List<double[]> pb = new ArrayList<>();
        List<Integer> truth = new ArrayList<>();
        for (int i = 0; i < a.clips().size(); i++) {
            Integer j = rowB.get(a.clips().get(i));
            int t = shared.indexOf(labelsA.get(a.truth()[i]));
            if (j == null || t < 0) {
                continue;
            }
            pa.add(restrict(a.probabilities()[i], labelsA, shared));
            pb.add(restrict(b.probabilities()[j], labelsB, shared));
            truth.add(t);
        }
        StringBuilder s = new StringBuilder("| weight of the second model | track accuracy | mean NLL | clips |\n| --- | --- | --- | --- |\n");
        for (double w : WEIGHTS) {
            int right = 0;
            double nll = 0;
            for (int i = 0; i < truth.size(); i++) {
                double[] p = new double[shared.size()];
                for (int k = 0; k < p.length; k++) {
                    p[k] = (1 - w) * pa.get(i)[k] + w * pb.get(i)[k];
                }
                right += Calibration.argmax(p) == truth.get(i) ? 1 : 0;
                nll -= Math.log(Math.max(p[truth.get(i)], 1e-12));
            }
            int n = truth.size();
            s.append(String.format("| %.1f | %.3f (%d/%d) | %.3f | %d |%n", w, (double) right / n, right, n, nll / n, n));
        }
        return s.toString();
    }

    private static double[] restrict(double[] p, List<String> labels, List<String> shared) {
        double[] r = new double[shared.size()];
        double sum = 0;
        for (int k = 0; k < r.length; k++) {
            r[k] = p[labels.indexOf(shared.get(k))];
            sum += r[k];
        }
        for (int k = 0; k < r.length; k++) {
            r[k] = sum > 0 ? r[k] / sum : 1.0 / r.length;
        }
        return r;
    }
}
