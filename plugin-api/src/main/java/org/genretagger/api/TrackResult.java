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
 * @param top the most likely genres with probabilities (empty if it was not classified): the
 *     verdict that decided what was written, the album's when {@code album} is not empty
 * @param message one line saying why, for anything but a plain success; empty otherwise
 * @param album the album whose shared verdict {@code top} is ({@link Grouping#ALBUM}); empty when
 *     the track was judged on its own
 * @param trackTop the track's own most likely genre, or {@code null} if it was not classified;
 *     differs from {@code top}'s first entry only when the album's verdict was used
 * @param timeline the track's own per-window predictions in time order (empty if not classified)
 */
public record TrackResult(
        Path file,
        Outcome outcome,
        List<String> genreBefore,
        List<String> genreAfter,
        List<GenreScore> top,
        String message,
        String album,
        GenreScore trackTop,
        List<WindowPrediction> timeline) {

    /** Copies the lists so the record stays immutable. */
    public TrackResult {
        genreBefore = List.copyOf(genreBefore);
        genreAfter = List.copyOf(genreAfter);
        top = List.copyOf(top);
        message = message == null ? "" : message;
        album = album == null ? "" : album;
        timeline = List.copyOf(timeline);
    }

    /**
     * A result judged on the track's own verdict, without its windows (the shape of version 0.1.0).
     *
     * @param file the track
     * @param outcome what happened
     * @param genreBefore the genre values before
     * @param genreAfter the genre values after
     * @param top the most likely genres
     * @param message why, or empty
     */
    public TrackResult(Path file, Outcome outcome, List<String> genreBefore, List<String> genreAfter, List<GenreScore> top,
            String message) {
        this(file, outcome, genreBefore, genreAfter, top, message, "", top.isEmpty() ? null : top.get(0), List.of());
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

    /**
     * @param m the new message
     * @return this result with another message
     */
    public TrackResult withMessage(String m) {
        return new TrackResult(file, outcome, genreBefore, genreAfter, top, m, album, trackTop, timeline);
    }
}
