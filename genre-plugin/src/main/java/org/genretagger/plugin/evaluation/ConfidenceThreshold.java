package org.genretagger.plugin.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the confidence below which the tagger should not write a genre, from per-track top-1
 * probabilities and whether that top genre was right.
 *
 * <p><b>Rule.</b> Candidate thresholds are the multiples of 0.01 from 0.00 to 1.00 (a readable
 * number for the model config, not one tuned to a single track's exact probability). A track is
 * kept (gets a tag) when its top probability is &ge; t. The chosen threshold is the
 * <em>smallest</em> candidate whose kept tracks reach the target precision, which is the one that
 * keeps the most tracks. Precision is not monotone in t, so every candidate is checked.
 *
 * <p><b>Small-sample guard.</b> A candidate only counts if it keeps at least {@code minTracks}
 * tracks (default {@value #DEFAULT_MIN_TRACKS}): "100% right on 2 tracks" is no evidence. If no
 * candidate reaches the target with that many tracks, or the whole set is smaller than
 * {@code minTracks}, the result has {@code reached = false} and carries the best-effort fallback:
 * the candidate with the highest precision among those keeping at least
 * {@code min(minTracks, total)} tracks (lowest such threshold on ties). Its sentence says plainly
 * that the target was not met, so the report never presents the fallback as a guarantee.
 *
 * <p>Precision and coverage follow zero_division=0: a threshold that keeps no track has
 * precision 0. Percentages in sentences are rounded down, so a sentence never overstates.
 */
public final class ConfidenceThreshold {

    /** Fraction of written tags that should be right. */
    public static final double DEFAULT_TARGET_PRECISION = 0.9;
    /** Fewest kept tracks for a threshold to count as evidence. */
    public static final int DEFAULT_MIN_TRACKS = 10;
    /** Distance between candidate thresholds. */
    public static final double CANDIDATE_STEP = 0.01;
    private static final int CANDIDATES = 100; // 0.00 .. 1.00
    private static final double EPS = 1e-12;

    private ConfidenceThreshold() {
    }

    /**
     * The chosen threshold and what it buys.
     *
     * @param threshold       tag only when top probability &ge; this
     * @param precision       fraction of kept tracks whose top genre was right
     * @param coverage        fraction of all tracks kept
     * @param count           tracks kept
     * @param total           tracks evaluated
     * @param targetPrecision the precision asked for
     * @param minTracks       the small-sample guard used
     * @param reached         whether the target was met with at least {@code minTracks} kept tracks;
     *                        when false the threshold is a best-effort fallback (see class comment)
     * @param sentence        one line for the report, naming the set "validation"
     */
    public record Choice(double threshold, double precision, double coverage, int count, int total,
                         double targetPrecision, int minTracks, boolean reached, String sentence) {

        /** The sentence with another set name, e.g. {@code describe("test")}. */
        public String describe(String setName) {
            return ConfidenceThreshold.sentence(this, setName);
        }
    }

    /**
     * One line of the coverage/precision table.
     *
     * @param threshold tag only when top probability &ge; this
     * @param count     tracks kept
     * @param coverage  fraction of all tracks kept
     * @param precision fraction of kept tracks whose top genre was right (0 if none kept)
     */
    public record Row(double threshold, int count, double coverage, double precision) {
    }

    /** {@link #choose(double[], boolean[], double, int)} with target 0.9 and at least 10 tracks. */
    public static Choice choose(double[] topProb, boolean[] topCorrect) {
        return choose(topProb, topCorrect, DEFAULT_TARGET_PRECISION, DEFAULT_MIN_TRACKS);
    }

    /**
     * Applies the rule in the class comment.
     *
     * @param topProb         per track, the probability of its top genre
     * @param topCorrect      per track, whether that top genre was the true one
     * @param targetPrecision fraction of written tags that should be right, in (0, 1]
     * @param minTracks       fewest kept tracks for a threshold to count, &ge; 1
     * @throws IllegalArgumentException on empty or mismatched input or out-of-range settings
     */
    public static Choice choose(double[] topProb, boolean[] topCorrect, double targetPrecision, int minTracks) {
        check(topProb, topCorrect);
        if (!(targetPrecision > 0 && targetPrecision <= 1)) {
            throw new IllegalArgumentException("target precision must be in (0, 1], was " + targetPrecision);
        }
        if (minTracks < 1) {
            throw new IllegalArgumentException("minTracks must be at least 1, was " + minTracks);
        }
        int total = topProb.length;
        Row fallback = null;
        int fallbackMin = Math.min(minTracks, total);
        for (int i = 0; i <= CANDIDATES; i++) {
            Row r = row(topProb, topCorrect, i / (double) CANDIDATES);
            if (r.count() >= minTracks && r.precision() >= targetPrecision - EPS) {
                return choice(r, total, targetPrecision, minTracks, true);
            }
            if (r.count() >= fallbackMin && (fallback == null || r.precision() > fallback.precision() + EPS)) {
                fallback = r;
            }
        }
        // fallbackMin <= total and threshold 0 keeps every track, so fallback is never null here
        return choice(fallback, total, targetPrecision, minTracks, false);
    }

    /** Coverage and precision at thresholds 0.00, 0.05, ..., 0.95. */
    public static List<Row> table(double[] topProb, boolean[] topCorrect) {
        check(topProb, topCorrect);
        List<Row> rows = new ArrayList<>(20);
        for (int i = 0; i < 20; i++) {
            rows.add(row(topProb, topCorrect, i / 20.0));
        }
        return Collections.unmodifiableList(rows);
    }

    /** The table as Markdown, for the training report. */
    public static String toMarkdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| threshold | tracks tagged | coverage | precision |\n")
                .append("| ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %.2f | %d | %.1f%% | %s |%n", r.threshold(), r.count(),
                    100 * r.coverage(), r.count() == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%",
                            100 * r.precision())));
        }
        return sb.toString();
    }

    private static Row row(double[] topProb, boolean[] topCorrect, double t) {
        int count = 0;
        int right = 0;
        for (int i = 0; i < topProb.length; i++) {
            if (topProb[i] >= t) {
                count++;
                if (topCorrect[i]) {
                    right++;
                }
            }
        }
        return new Row(t, count, (double) count / topProb.length, count == 0 ? 0.0 : (double) right / count);
    }

    private static Choice choice(Row r, int total, double target, int minTracks, boolean reached) {
        Choice draft = new Choice(r.threshold(), r.precision(), r.coverage(), r.count(), total, target,
                minTracks, reached, "");
        return new Choice(r.threshold(), r.precision(), r.coverage(), r.count(), total, target, minTracks,
                reached, sentence(draft, "validation"));
    }

    static String sentence(Choice c, String setName) {
        String at = String.format(Locale.ROOT, "%.2f", c.threshold());
        String right = percentDown(c.precision());
        String covered = percentDown(c.coverage());
        if (c.reached()) {
            return "At " + at + ", " + right + " of written tags were right on the " + c.total() + " "
                    + setName + " tracks, and " + covered + " of tracks got a tag.";
        }
        String why = c.total() < c.minTracks()
                ? "Only " + c.total() + " " + setName + " tracks, fewer than the " + c.minTracks()
                        + " needed to trust a threshold"
                : "No threshold reached " + percentDown(c.targetPrecision()) + " right tags with at least "
                        + c.minTracks() + " of the " + c.total() + " " + setName + " tracks tagged";
        return why + "; the best was " + at + ", where " + right + " of written tags were right and "
                + covered + " of tracks got a tag.";
    }

    /** Percentage rounded down, tolerant of 0.29 * 100 = 28.999999999999996. */
    private static String percentDown(double fraction) {
        return (int) Math.floor(fraction * 100 + 1e-9) + "%";
    }

    private static void check(double[] topProb, boolean[] topCorrect) {
        if (topProb.length != topCorrect.length) {
            throw new IllegalArgumentException(topProb.length + " probabilities but " + topCorrect.length
                    + " right/wrong flags");
        }
        if (topProb.length == 0) {
            throw new IllegalArgumentException("no tracks to choose a threshold from");
        }
    }
}
