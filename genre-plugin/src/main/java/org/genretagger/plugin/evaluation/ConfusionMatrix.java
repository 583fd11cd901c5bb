package org.genretagger.plugin.evaluation;

import java.util.Arrays;

/**
 * Counts of (true class, predicted class) pairs: {@code count(t, p)} is how many items whose
 * true class is {@code t} were predicted as {@code p}. Rows are truth, columns are predictions,
 * the same orientation as scikit-learn's {@code confusion_matrix}. Immutable.
 */
public final class ConfusionMatrix {

    private final int[][] counts;

    /**
     * Tallies paired arrays of class indices.
     *
     * @throws IllegalArgumentException if the arrays differ in length, {@code numClasses < 1},
     *                                  or an index lies outside {@code [0, numClasses)}
     */
    public ConfusionMatrix(int[] truth, int[] predicted, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, was " + numClasses);
        }
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " items but predicted has "
                    + predicted.length);
        }
        counts = new int[numClasses][numClasses];
        for (int i = 0; i < truth.length; i++) {
            checkIndex("truth", i, truth[i], numClasses);
            checkIndex("predicted", i, predicted[i], numClasses);
            counts[truth[i]][predicted[i]]++;
        }
    }

    private ConfusionMatrix(int[][] counts) {
        this.counts = counts;
    }

    /**
     * Wraps an existing count matrix (copied), e.g. one read back from a report.
     *
     * @throws IllegalArgumentException if the matrix is not square or holds negative counts
     */
    public static ConfusionMatrix ofCounts(int[][] counts) {
        int n = counts.length;
        if (n < 1) {
            throw new IllegalArgumentException("a confusion matrix needs at least one class");
        }
        int[][] copy = new int[n][];
        for (int t = 0; t < n; t++) {
            if (counts[t].length != n) {
                throw new IllegalArgumentException("confusion matrix must be square: row " + t + " has "
                        + counts[t].length + " columns, expected " + n);
            }
            for (int c : counts[t]) {
                if (c < 0) {
                    throw new IllegalArgumentException("negative count " + c + " in row " + t);
                }
            }
            copy[t] = counts[t].clone();
        }
        return new ConfusionMatrix(copy);
    }

    private static void checkIndex(String name, int i, int value, int numClasses) {
        if (value < 0 || value >= numClasses) {
            throw new IllegalArgumentException(name + "[" + i + "] = " + value + " is outside [0, "
                    + numClasses + ")");
        }
    }

    /** Number of classes (rows = columns). */
    public int numClasses() {
        return counts.length;
    }

    /** Items of true class {@code trueClass} predicted as {@code predictedClass}. */
    public int count(int trueClass, int predictedClass) {
        return counts[trueClass][predictedClass];
    }

    /** A copy of the counts, {@code [true][predicted]}. */
    public int[][] counts() {
        int[][] copy = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** Items whose true class is {@code c} (row sum). */
    public int support(int c) {
        int s = 0;
        for (int v : counts[c]) {
            s += v;
        }
        return s;
    }

    /** Items predicted as {@code c} (column sum). */
    public int predictedCount(int c) {
        int s = 0;
        for (int[] row : counts) {
            s += row[c];
        }
        return s;
    }

    /** All items counted. */
    public int total() {
        int s = 0;
        for (int c = 0; c < counts.length; c++) {
            s += support(c);
        }
        return s;
    }

    /** Items on the diagonal. */
    public int correct() {
        int s = 0;
        for (int c = 0; c < counts.length; c++) {
            s += counts[c][c];
        }
        return s;
    }

    /** Fraction on the diagonal; 0 for an empty matrix. */
    public double accuracy() {
        int total = total();
        return total == 0 ? 0.0 : (double) correct() / total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix other && Arrays.deepEquals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + Arrays.deepToString(counts);
    }
}
