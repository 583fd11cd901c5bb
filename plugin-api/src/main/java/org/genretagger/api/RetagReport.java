package org.genretagger.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a run did.
 *
 * @param results one result per track, in the order they finished
 * @param journal the journal the run wrote its changes to, or {@code null} for a dry run
 * @param elapsed wall time of the run
 * @param minConfidence the confidence threshold the run applied
 * @param stageSeconds seconds spent per stage, summed over worker threads (decode, features,
 *     inference, tags)
 * @param notices one line each about the run rather than a track: leftover temporary files of an
 *     interrupted run that were removed, links that were not followed, folders that could not be
 *     read; empty if there is nothing to say
 */
public record RetagReport(
        List<TrackResult> results,
        Path journal,
        Duration elapsed,
        double minConfidence,
        Map<String, Double> stageSeconds,
        List<String> notices) {

    /** Copies the collections so the record stays immutable. */
    public RetagReport {
        results = List.copyOf(results);
        stageSeconds = Map.copyOf(stageSeconds);
        notices = List.copyOf(notices);
    }

    /**
     * A report without notices (the shape of version 0.1.0).
     *
     * @param results one result per track
     * @param journal the journal, or null
     * @param elapsed wall time
     * @param minConfidence the threshold applied
     * @param stageSeconds seconds per stage
     */
    public RetagReport(List<TrackResult> results, Path journal, Duration elapsed, double minConfidence,
            Map<String, Double> stageSeconds) {
        this(results, journal, elapsed, minConfidence, stageSeconds, List.of());
    }

    /** @return how many tracks ended in each outcome */
    public Map<Outcome, Integer> counts() {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (TrackResult r : results) {
            counts.merge(r.outcome(), 1, Integer::sum);
        }
        return counts;
    }

    /** @return whether any track failed */
    public boolean hasFailures() {
        return results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
    }
}
