package org.genretagger.api;

import java.nio.file.Path;
import org.pf4j.ExtensionPoint;

/**
 * Classifies a single audio file by genre. Implementations are thread-safe: a host may call
 * {@link #classify(Path)} from several threads at once.
 */
public interface GenreClassifier extends ExtensionPoint {

    /**
     * Loads the model if it is not loaded yet.
     *
     * @return what the model is: its name, labels and the audio parameters it listens with
     */
    ModelInfo modelInfo();

    /**
     * Decodes the file, classifies its windows (as many as the model's default analysis says) and
     * combines them into one ranked verdict.
     *
     * @param file an audio file in any supported format
     * @return genres sorted by probability, highest first, probabilities summing to 1
     * @throws ClassificationException if the file cannot be read or decoded; its message names the
     *     file and the cause
     */
    default TrackPrediction classify(Path file) throws ClassificationException {
        return classify(file, null);
    }

    /**
     * Like {@link #classify(Path)}, listening to as much of the track as {@code analysis} says.
     *
     * @param file an audio file in any supported format
     * @param analysis how many windows to classify; {@code null} for the model's default
     * @return genres sorted by probability, highest first, probabilities summing to 1
     * @throws ClassificationException if the file cannot be read or decoded
     */
    TrackPrediction classify(Path file, Analysis analysis) throws ClassificationException;

    /**
     * A classifier that tags with a model learned by {@link GenreLearner} instead of the shipped
     * one: its genres, written names, calibration and threshold ({@link #modelInfo()} describes
     * it). Thread-safe like this one.
     *
     * @param modelDir a folder written by {@link GenreLearner#learn}
     * @return the classifier
     * @throws ClassificationException if the folder holds no readable model, or the model was
     *     learned on another base network than the one this plugin runs (the message says to
     *     learn again)
     */
    default GenreClassifier forModel(java.nio.file.Path modelDir) throws ClassificationException {
        throw new ClassificationException("this plugin cannot use learned models (" + modelDir + ")");
    }

    /**
     * A classifier that reports only the given genres: the model's other genres are set aside and
     * those left share their probability, so each verdict's probabilities still sum to 1 (over the
     * given genres and, if the model has one, its not-music class, which is no genre and never set
     * aside here). The timeline's window probabilities stay the model's own. {@link #modelInfo()}
     * still describes the whole model. The genres given replace any this classifier was narrowed
     * to. Thread-safe like this one.
     *
     * @param genres model labels or display names, compared ignoring case; empty for all genres
     * @return the classifier ({@code this} when {@code genres} is empty)
     * @throws IllegalArgumentException if a name is none of the model's genres; the message names
     *     it and lists the model's genres
     * @throws UnsupportedOperationException if the plugin cannot narrow its verdicts
     */
    default GenreClassifier forGenres(java.util.List<String> genres) {
        if (genres.isEmpty()) {
            return this;
        }
        throw new UnsupportedOperationException("this plugin cannot narrow its verdicts to some genres");
    }
}
