package org.genretagger.plugin.evaluation;

import org.genretagger.plugin.model.Softmax;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Calibration measures and temperature scaling for track-level genre probabilities.
 *
 * <p><b>Expected calibration error</b> (Guo et al., 2017; Naeini et al., 2015): the top-1
 * confidence of every item is put into one of {@code bins} equal-width bins
 * {@code (i/B, (i+1)/B]} (a confidence of exactly 0 goes to the first bin); ECE is
 * {@code sum_b (n_b / n) * |accuracy_b - meanConfidence_b|}. Top-1 is the first index of the
 * largest probability, like numpy's {@code argmax}.
 *
 * <p><b>Temperature scaling</b> on tracks: the network scores windows, a track's probabilities
 * are the mean over its windows of {@code softmax(logits / T)}. {@link #fitTemperature} picks the
 * {@code T > 0} that minimises the mean negative log-likelihood of the true genres under those
 * track probabilities. The search is one-dimensional over {@code u = ln T} in
 * {@code [ln 0.05, ln 20]}: first a grid of {@value #GRID_POINTS} evenly spaced values of u, then
 * golden-section search inside the two grid cells around the best grid point, to a tolerance of
 * {@value #LOG_T_TOLERANCE} in u (0.01% in T). The grid comes first because the NLL of a
 * <em>mean</em> of softmaxes is not guaranteed to be unimodal in T (for a single softmax it is
 * convex in 1/T), and golden section alone could settle in a side valley. Since only T changes,
 * the arg-max genre of a single window never changes; a track's can, because the mean weighs the
 * windows differently.
 */
public final class Calibration {

    /** Bins used by the report, the usual choice in the literature. */
    public static final int DEFAULT_BINS = 15;
    /** Lower end of the temperature search. */
    public static final double MIN_TEMPERATURE = 0.05;
    /** Upper end of the temperature search. */
    public static final double MAX_TEMPERATURE = 20.0;
    static final int GRID_POINTS = 41;
    static final double LOG_T_TOLERANCE = 1e-4;
    /** Floor on a probability before its log, so one confident mistake gives a large, finite NLL. */
    private static final double PROB_FLOOR = 1e-12;

    private Calibration() {
    }

    /**
     * One reliability bin.
     *
     * @param index          bin number, 0-based
     * @param lower          exclusive lower edge of top-1 confidence (inclusive for bin 0)
     * @param upper          inclusive upper edge
     * @param count          items whose top-1 confidence falls in the bin
     * @param meanConfidence mean top-1 confidence of those items, 0 if the bin is empty
     * @param accuracy       fraction of those items whose top-1 class is right, 0 if empty
     */
    public record Bin(int index, double lower, double upper, int count, double meanConfidence,
                      double accuracy) {
        /** |accuracy - confidence|, the bin's calibration gap. */
        public double gap() {
            return Math.abs(accuracy - meanConfidence);
        }
    }

    /** {@link #expectedCalibrationError(double[][], int[], int)} with {@link #DEFAULT_BINS}. */
    public static double expectedCalibrationError(double[][] probs, int[] truth) {
        return expectedCalibrationError(probs, truth, DEFAULT_BINS);
    }

    /**
     * Expected calibration error of top-1 confidences; 0 for no items.
     *
     * @param probs one probability row per item
     * @param truth true class index per item
     * @param bins  number of equal-width confidence bins
     */
    public static double expectedCalibrationError(double[][] probs, int[] truth, int bins) {
        List<Bin> table = reliabilityTable(probs, truth, bins);
        int n = probs.length;
        if (n == 0) {
            return 0.0;
        }
        double ece = 0;
        for (Bin b : table) {
            ece += (double) b.count() / n * b.gap();
        }
        return ece;
    }

    /**
     * Per-bin count, mean top-1 confidence and accuracy; all {@code bins} bins are listed, empty
     * ones with zeros.
     */
    public static List<Bin> reliabilityTable(double[][] probs, int[] truth, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, was " + bins);
        }
        if (probs.length != truth.length) {
            throw new IllegalArgumentException(probs.length + " probability rows but " + truth.length
                    + " labels");
        }
        int[] count = new int[bins];
        double[] confSum = new double[bins];
        int[] correct = new int[bins];
        for (int i = 0; i < probs.length; i++) {
            int top = argmax(probs[i]);
            double conf = probs[i][top];
            int b = binOf(conf, bins);
            count[b]++;
            confSum[b] += conf;
            if (top == truth[i]) {
                correct[b]++;
            }
        }
        List<Bin> table = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            double lower = (double) b / bins;
            double upper = (double) (b + 1) / bins;
            table.add(new Bin(b, lower, upper, count[b],
                    count[b] == 0 ? 0 : confSum[b] / count[b],
                    count[b] == 0 ? 0 : (double) correct[b] / count[b]));
        }
        return Collections.unmodifiableList(table);
    }

    /** Bin of {@code conf} with edges computed exactly as b/B so 0.8 with B=15 lands in (0.7333, 0.8]. */
    static int binOf(double conf, int bins) {
        int b = (int) Math.ceil(conf * bins) - 1;
        b = Math.max(0, Math.min(bins - 1, b));
        while (b > 0 && conf <= (double) b / bins) {
            b--;
        }
        while (b < bins - 1 && conf > (double) (b + 1) / bins) {
            b++;
        }
        return b;
    }

    /** Index of the largest value, first one on ties. */
    public static int argmax(double[] row) {
        int best = 0;
        for (int k = 1; k < row.length; k++) {
            if (row[k] > row[best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * A track's probabilities: the mean over its windows of {@code softmax(logits / T)}.
     *
     * @param windowLogits one logit row per window, all of the same length; at least one window
     * @param temperature  T &gt; 0; 1 leaves the network's probabilities as they are
     */
    public static double[] trackProbabilities(float[][] windowLogits, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive finite number, was "
                    + temperature);
        }
        if (windowLogits.length == 0) {
            throw new IllegalArgumentException("a track needs at least one window of logits");
        }
        int k = windowLogits[0].length;
        double[] mean = new double[k];
        double[] p = new double[k];
        for (float[] logits : windowLogits) {
            if (logits.length != k) {
                throw new IllegalArgumentException("windows of one track have " + k + " and "
                        + logits.length + " logits");
            }
            Softmax.of(logits, temperature, p);
            for (int j = 0; j < k; j++) {
                mean[j] += p[j];
            }
        }
        for (int j = 0; j < k; j++) {
            mean[j] /= windowLogits.length;
        }
        return mean;
    }

    /** {@link #trackProbabilities(float[][], double)} for every track. */
    public static double[][] trackProbabilities(List<float[][]> windowLogitsPerTrack, double temperature) {
        double[][] out = new double[windowLogitsPerTrack.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = trackProbabilities(windowLogitsPerTrack.get(i), temperature);
        }
        return out;
    }


    /**
     * Mean negative log-likelihood (natural log) of the true genres under the track
     * probabilities at temperature T. Probabilities are floored at 1e-12 before the log.
     */
    public static double negativeLogLikelihood(List<float[][]> windowLogitsPerTrack, int[] truth,
                                               double temperature) {
        checkTracks(windowLogitsPerTrack, truth);
        double nll = 0;
        for (int i = 0; i < truth.length; i++) {
            double[] p = trackProbabilities(windowLogitsPerTrack.get(i), temperature);
            nll -= Math.log(Math.max(PROB_FLOOR, p[truth[i]]));
        }
        return nll / truth.length;
    }

    /**
     * The temperature in [{@value #MIN_TEMPERATURE}, {@value #MAX_TEMPERATURE}] that minimises
     * {@link #negativeLogLikelihood}; see the class comment for the search. Fit it on validation
     * tracks, never on the tracks the weights were trained on (their logits are over-confident).
     *
     * @param windowLogitsPerTrack per track, one logit row per window
     * @param truth                true class index per track
     * @return the fitted temperature; 1 would mean the network was already calibrated
     */
    public static double fitTemperature(List<float[][]> windowLogitsPerTrack, int[] truth) {
        checkTracks(windowLogitsPerTrack, truth);
        double lo = Math.log(MIN_TEMPERATURE);
        double hi = Math.log(MAX_TEMPERATURE);
        double step = (hi - lo) / (GRID_POINTS - 1);
        int best = 0;
        double bestNll = Double.POSITIVE_INFINITY;
        for (int g = 0; g < GRID_POINTS; g++) {
            double nll = negativeLogLikelihood(windowLogitsPerTrack, truth, Math.exp(lo + g * step));
            if (nll < bestNll) {
                bestNll = nll;
                best = g;
            }
        }
        double a = lo + Math.max(0, best - 1) * step;
        double b = lo + Math.min(GRID_POINTS - 1, best + 1) * step;
        double u = goldenSection(a, b, x -> negativeLogLikelihood(windowLogitsPerTrack, truth, Math.exp(x)));
        // the bracket may not improve on the grid point at an end of the range; keep the better one
        double uGrid = lo + best * step;
        double nllU = negativeLogLikelihood(windowLogitsPerTrack, truth, Math.exp(u));
        return Math.exp(nllU <= bestNll ? u : uGrid);
    }

    private static double goldenSection(double a, double b, java.util.function.DoubleUnaryOperator f) {
        final double invPhi = (Math.sqrt(5) - 1) / 2;
        double c = b - invPhi * (b - a);
        double d = a + invPhi * (b - a);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        while (b - a > LOG_T_TOLERANCE) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - invPhi * (b - a);
                fc = f.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + invPhi * (b - a);
                fd = f.applyAsDouble(d);
            }
        }
        return (a + b) / 2;
    }

    private static void checkTracks(List<float[][]> windowLogitsPerTrack, int[] truth) {
        if (windowLogitsPerTrack.size() != truth.length) {
            throw new IllegalArgumentException(windowLogitsPerTrack.size() + " tracks of logits but "
                    + truth.length + " labels");
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("no tracks to fit a temperature on");
        }
    }
}
