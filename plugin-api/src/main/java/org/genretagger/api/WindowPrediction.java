package org.genretagger.api;

import java.util.List;

/**
 * The model's verdict on one window of a track.
 *
 * @param startSeconds where the window starts in the track, in seconds
 * @param probabilities one probability per model label, in {@link ModelInfo#labels()} order
 */
public record WindowPrediction(double startSeconds, List<Double> probabilities) {

    /** Copies the list so the record stays immutable. */
    public WindowPrediction {
        probabilities = List.copyOf(probabilities);
    }
}
