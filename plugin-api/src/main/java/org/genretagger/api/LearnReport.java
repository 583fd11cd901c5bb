package org.genretagger.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@link GenreLearner#learn} learned, and how it did on the albums it held out.
 *
 * @param modelDir the model folder written ({@code config.json}, {@code REPORT.md})
 * @param genres the learned genres, as they will be written into tags
 * @param perGenre figures per genre, in the order of {@code genres}
 * @param heldOutAccuracy fraction of held-out tracks whose top genre was right
 * @param minConfidence the threshold the model will apply by default
 * @param thresholdMeaning what that threshold means, with the count it rests on
 * @param leftOut one line per genre (or group of tracks) left out, with the reason
 * @param failed one result per file that could not be read (with its message)
 * @param decoded tracks whose audio was decoded in this run
 * @param cached tracks whose features came from the cache
 * @param elapsed wall time
 */
public record LearnReport(
        Path modelDir,
        List<String> genres,
        List<GenreFigures> perGenre,
        double heldOutAccuracy,
        double minConfidence,
        String thresholdMeaning,
        List<String> leftOut,
        List<TrackResult> failed,
        int decoded,
        int cached,
        Duration elapsed) {

    /** Copies the lists so the record stays immutable. */
    public LearnReport {
        genres = List.copyOf(genres);
        perGenre = List.copyOf(perGenre);
        leftOut = List.copyOf(leftOut);
        failed = List.copyOf(failed);
    }

    /**
     * One genre's figures.
     *
     * @param genre the written name
     * @param trainTracks tracks it was trained on
     * @param heldOutTracks tracks of held-out albums
     * @param albums albums (or folders) it has
     * @param precision of held-out tracks given this genre, the fraction that had it
     * @param recall of held-out tracks that had this genre, the fraction given it
     */
    public record GenreFigures(String genre, int trainTracks, int heldOutTracks, int albums, double precision, double recall) {}
}
