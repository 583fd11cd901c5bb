package org.genretagger.spark;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.util.AccumulatorV2;

/**
 * Tracks per top genre (and per "failed"), summed over tasks. Spark merges only the counts of
 * successful task attempts, so a retried partition is counted once.
 */
final class GenreCounts extends AccumulatorV2<String, Map<String, Long>> {
    /** The key failed tracks are counted under. */
    static final String FAILED = "(failed)";
    private final HashMap<String, Long> counts = new HashMap<>();

    @Override
    public boolean isZero() {
        return counts.isEmpty();
    }

    @Override
    public GenreCounts copy() {
        GenreCounts c = new GenreCounts();
        c.counts.putAll(counts);
        return c;
    }

    @Override
    public void reset() {
        counts.clear();
    }

    @Override
    public void add(String genre) {
        counts.merge(genre, 1L, Long::sum);
    }

    @Override
    public void merge(AccumulatorV2<String, Map<String, Long>> other) {
        other.value().forEach((k, v) -> counts.merge(k, v, Long::sum));
    }

    @Override
    public Map<String, Long> value() {
        return counts;
    }
}
