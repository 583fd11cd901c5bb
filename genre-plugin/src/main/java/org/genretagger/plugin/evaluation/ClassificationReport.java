package org.genretagger.plugin.evaluation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-class precision, recall, F1 and support, plus accuracy and the macro and weighted averages,
 * with the semantics of scikit-learn's {@code classification_report(..., labels=range(n),
 * zero_division=0)}:
 * <ul>
 *   <li>precision = TP / (TP + FP), 0 when the class was never predicted;</li>
 *   <li>recall = TP / support, 0 when the class never occurs;</li>
 *   <li>F1 = 2PR / (P + R), 0 when P + R = 0;</li>
 *   <li>macro avg = unweighted mean over <em>all</em> classes of the matrix (as when sklearn is
 *       given {@code labels} explicitly: a class absent from both truth and predictions still
 *       counts, with zeros);</li>
 *   <li>weighted avg = mean weighted by support (0 when there is no item at all).</li>
 * </ul>
 * Immutable.
 */
public final class ClassificationReport {

    /** Figures for one class. */
    public record ClassMetrics(String label, double precision, double recall, double f1, int support) {
    }

    /** An averaged row ("macro avg", "weighted avg"); {@code support} is the total item count. */
    public record Average(double precision, double recall, double f1, int support) {
    }

    /**
     * Everything in the report as plain values, ready for Gson ({@code new Gson().toJson(summary)}).
     * All doubles are finite, so no special Gson setting is needed.
     *
     * @param labels     class labels, in matrix order
     * @param perClass   figures per class, keyed by label, in matrix order
     * @param accuracy   fraction of items on the diagonal
     * @param macroAvg   unweighted mean over classes
     * @param weightedAvg support-weighted mean over classes
     * @param support    total item count
     * @param confusion  the counts, {@code [true][predicted]}
     */
    public record Summary(List<String> labels, Map<String, ClassMetrics> perClass, double accuracy,
                          Average macroAvg, Average weightedAvg, int support, int[][] confusion) {
    }

    private final ConfusionMatrix matrix;
    private final List<ClassMetrics> perClass;
    private final Average macroAvg;
    private final Average weightedAvg;

    /**
     * @param matrix the counts
     * @param labels one label per class, in matrix order
     * @throws IllegalArgumentException if the label count differs from the class count
     */
    public ClassificationReport(ConfusionMatrix matrix, List<String> labels) {
        if (labels.size() != matrix.numClasses()) {
            throw new IllegalArgumentException(labels.size() + " labels given for a confusion matrix of "
                    + matrix.numClasses() + " classes");
        }
        this.matrix = matrix;
        int n = matrix.numClasses();
        List<ClassMetrics> rows = new ArrayList<>(n);
        double sumP = 0, sumR = 0, sumF = 0, wP = 0, wR = 0, wF = 0;
        int total = matrix.total();
        for (int c = 0; c < n; c++) {
            int tp = matrix.count(c, c);
            int support = matrix.support(c);
            int predicted = matrix.predictedCount(c);
            double p = divide(tp, predicted);
            double r = divide(tp, support);
            double f = p + r == 0 ? 0.0 : 2 * p * r / (p + r);
            rows.add(new ClassMetrics(labels.get(c), p, r, f, support));
            sumP += p;
            sumR += r;
            sumF += f;
            wP += p * support;
            wR += r * support;
            wF += f * support;
        }
        this.perClass = Collections.unmodifiableList(rows);
        this.macroAvg = new Average(sumP / n, sumR / n, sumF / n, total);
        this.weightedAvg = total == 0
                ? new Average(0, 0, 0, 0)
                : new Average(wP / total, wR / total, wF / total, total);
    }

    /** Convenience: builds the matrix from index arrays first. */
    public static ClassificationReport of(int[] truth, int[] predicted, List<String> labels) {
        return new ClassificationReport(new ConfusionMatrix(truth, predicted, labels.size()), labels);
    }

    private static double divide(int num, int den) {
        return den == 0 ? 0.0 : (double) num / den; // zero_division=0
    }

    /** The underlying counts. */
    public ConfusionMatrix confusionMatrix() {
        return matrix;
    }

    /** Class labels in matrix order. */
    public List<String> labels() {
        return perClass.stream().map(ClassMetrics::label).toList();
    }

    /** Figures per class, in matrix order. */
    public List<ClassMetrics> perClass() {
        return perClass;
    }

    /**
     * Figures for one label.
     *
     * @throws IllegalArgumentException if the label is unknown
     */
    public ClassMetrics forLabel(String label) {
        for (ClassMetrics m : perClass) {
            if (m.label().equals(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown label '" + label + "', known: " + labels());
    }

    /** Fraction of items predicted correctly. */
    public double accuracy() {
        return matrix.accuracy();
    }

    /** Unweighted mean of the per-class figures. */
    public Average macroAvg() {
        return macroAvg;
    }

    /** Support-weighted mean of the per-class figures. */
    public Average weightedAvg() {
        return weightedAvg;
    }

    /** Total number of items. */
    public int support() {
        return matrix.total();
    }

    /** The report as plain values for JSON. */
    public Summary toSummary() {
        Map<String, ClassMetrics> byLabel = new LinkedHashMap<>();
        for (ClassMetrics m : perClass) {
            byLabel.put(m.label(), m);
        }
        return new Summary(labels(), Collections.unmodifiableMap(byLabel), accuracy(), macroAvg,
                weightedAvg, support(), matrix.counts());
    }

    /** {@link #format(int)} with 2 decimals, as sklearn's default. */
    public String format() {
        return format(2);
    }

    /**
     * The text layout of scikit-learn's {@code classification_report}: a header
     * (precision, recall, f1-score, support), one row per class, a blank line, then the
     * accuracy, macro avg and weighted avg rows. Numbers are rounded half-even on the exact
     * binary value, as Python's {@code format} does, so the text matches sklearn digit for digit.
     */
    public String format(int digits) {
        int width = "weighted avg".length();
        for (ClassMetrics m : perClass) {
            width = Math.max(width, m.label().length());
        }
        width = Math.max(width, digits);
        StringBuilder sb = new StringBuilder();
        sb.append(pad("", width)).append(' ');
        for (String h : new String[] {"precision", "recall", "f1-score", "support"}) {
            sb.append(' ').append(pad(h, 9));
        }
        sb.append("\n\n");
        for (ClassMetrics m : perClass) {
            row(sb, m.label(), width, digits, m.precision(), m.recall(), m.f1(), m.support());
        }
        sb.append('\n');
        // accuracy row: precision and recall columns blank, accuracy in the f1 column
        sb.append(pad("accuracy", width)).append(' ')
                .append(' ').append(pad("", 9))
                .append(' ').append(pad("", 9))
                .append(' ').append(pad(fixed(accuracy(), digits), 9))
                .append(' ').append(pad(Integer.toString(support()), 9)).append('\n');
        row(sb, "macro avg", width, digits, macroAvg.precision(), macroAvg.recall(), macroAvg.f1(),
                macroAvg.support());
        row(sb, "weighted avg", width, digits, weightedAvg.precision(), weightedAvg.recall(),
                weightedAvg.f1(), weightedAvg.support());
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private static void row(StringBuilder sb, String name, int width, int digits, double p, double r,
                            double f, int support) {
        sb.append(pad(name, width)).append(' ')
                .append(' ').append(pad(fixed(p, digits), 9))
                .append(' ').append(pad(fixed(r, digits), 9))
                .append(' ').append(pad(fixed(f, digits), 9))
                .append(' ').append(pad(Integer.toString(support), 9)).append('\n');
    }

    /** Right-aligns like Python's {@code {:>w}}. */
    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /**
     * Python's {@code {:.Nf}}: exact binary value, half-even. Java's {@code %.2f} rounds the
     * shortest decimal form half-up instead (0.125 -> 0.13 where Python says 0.12).
     */
    static String fixed(double v, int digits) {
        return new BigDecimal(v).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }
}
