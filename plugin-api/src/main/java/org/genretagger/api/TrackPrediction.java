package org.genretagger.api;

import java.nio.file.Path;
import java.util.List;

/**
 * The ranked verdict on one track.
 *
 * @param file the file that was classified
 * @param genres every genre of the model, sorted by probability, highest first; probabilities sum
 *     to 1
 * @param seconds the decoded duration of the track, in seconds
 * @param timeline the per-window predictions the verdict combines, in time order
 */
public record TrackPrediction(Path file, List<GenreScore> genres, double seconds, List<WindowPrediction> timeline) {

    /** Copies the lists so the record stays immutable. */
    public TrackPrediction {
        genres = List.copyOf(genres);
        timeline = List.copyOf(timeline);
    }

    /** @return the most likely genre */
    public GenreScore top() {
        return genres.get(0);
    }

    /** @return the number of windows the verdict combines */
    public int windows() {
        return timeline.size();
    }

    /**
     * @param n how many
     * @return the {@code n} most likely genres
     */
    public List<GenreScore> top(int n) {
        return genres.subList(0, Math.min(n, genres.size()));
    }
}
