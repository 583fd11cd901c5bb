package org.genretagger.plugin.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Nanoseconds spent per pipeline stage, summed over threads; for reports and benchmarks. */
public final class StageTimes {
    /** The stages a track passes through. */
    public enum Stage { DECODE, FEATURES, INFERENCE, TAGS }

    private final LongAdder[] nanos = new LongAdder[Stage.values().length];

    /** Starts every stage at zero. */
    public StageTimes() {
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = new LongAdder();
        }
    }

    /**
     * @param stage the stage
     * @param elapsedNanos time to add to it
     */
    public void add(Stage stage, long elapsedNanos) {
        nanos[stage.ordinal()].add(elapsedNanos);
    }

    /** @return seconds per stage, keyed by lower-case stage name, in pipeline order */
    public Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Stage s : Stage.values()) {
            out.put(s.name().toLowerCase(java.util.Locale.ROOT), nanos[s.ordinal()].sum() / 1e9);
        }
        return out;
    }
}
