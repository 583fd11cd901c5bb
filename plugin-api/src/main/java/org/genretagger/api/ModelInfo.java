package org.genretagger.api;

import java.util.List;

/**
 * Describes the model a classifier runs.
 *
 * @param name the model's name, e.g. {@code gtzan-cnn}
 * @param version the model's version or training date
 * @param labels the model's labels in output order, e.g. {@code rock}
 * @param genres the display names written into tags, parallel to {@code labels}, e.g. {@code Rock}
 * @param sampleRate the rate audio is resampled to before features are computed, in Hz
 * @param windowSeconds the length of one analysis window, in seconds
 * @param hopSeconds the distance between the starts of two consecutive windows, in seconds
 * @param defaultMinConfidence the confidence threshold chosen on validation data, below which a
 *     retag writes nothing by default
 * @param thresholdMeaning one sentence saying what that threshold means, e.g. how often tags
 *     written at it were right on validation data
 * @param notMusicLabel the label of the class that means "not music" (speech, noise, tones,
 *     silence), or {@code null} when the model has none; a track whose top label it is gets no genre
 */
public record ModelInfo(
        String name,
        String version,
        List<String> labels,
        List<String> genres,
        int sampleRate,
        double windowSeconds,
        double hopSeconds,
        double defaultMinConfidence,
        String thresholdMeaning,
        String notMusicLabel) {

    /** Copies the lists so the record stays immutable. */
    public ModelInfo {
        labels = List.copyOf(labels);
        genres = List.copyOf(genres);
    }

    /** A model without a not-music class. */
    public ModelInfo(String name, String version, List<String> labels, List<String> genres, int sampleRate, double windowSeconds,
            double hopSeconds, double defaultMinConfidence, String thresholdMeaning) {
        this(name, version, labels, genres, sampleRate, windowSeconds, hopSeconds, defaultMinConfidence, thresholdMeaning, null);
    }
}
