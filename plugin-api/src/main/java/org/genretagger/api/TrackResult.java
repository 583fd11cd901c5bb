package org.genretagger.api;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of one track in a run.
 *
 * @param file the track
 * @param outcome what happened
 * @param genreBefore the genre values the file carried before (empty if none or unknown)
 * @param genreAfter the genre values it carries after, or would carry in a dry run
 * @param top the most likely genres with probabilities (empty if it was not classified)
 * @param message one line saying why, for anything but a plain success; empty otherwise
 */
public record TrackResult(
        Path file,
        Outcome outcome,
        List<String> genreBefore,
        List<String> genreAfter,
        List<GenreScore> top,
        String message) {

    /** Copies the lists so the record stays immutable. */
    public TrackResult {
        genreBefore = List.copyOf(genreBefore);
        genreAfter = List.copyOf(genreAfter);
        top = List.copyOf(top);
        message = message == null ? "" : message;
    }

    /**
     * A result for a track that never reached classification.
     *
     * @param file the track
     * @param outcome what happened
     * @param message why
     * @return the result
     */
    public static TrackResult of(Path file, Outcome outcome, String message) {
        return new TrackResult(file, outcome, List.of(), List.of(), List.of(), message);
    }
}
