package org.genretagger.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genretagger.api.Analysis;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.TrackPrediction;
import org.genretagger.plugin.analysis.Verdict;
import org.genretagger.plugin.model.ModelConfig;

/**
 * A classifier whose verdicts leave out the genres not chosen ({@link GenreClassifier#forGenres}):
 * they are set aside exactly as a retag run sets them aside ({@link Verdict#setAside}).
 */
final class NarrowedClassifier implements GenreClassifier {
    private final GenreClassifier whole;
    private final Set<String> aside;

    private NarrowedClassifier(GenreClassifier whole, Set<String> aside) {
        this.whole = whole;
        this.aside = aside;
    }

    /**
     * @param whole the classifier of every genre
     * @param config its model's config
     * @param genres labels or display names; empty for all
     * @return {@code whole} narrowed to the genres, or {@code whole} itself if they are all or none
     * @throws IllegalArgumentException naming a genre the model does not have
     */
    static GenreClassifier of(GenreClassifier whole, ModelConfig config, List<String> genres) {
        Set<String> aside = Verdict.notChosen(config, genres, Map.of());
        return aside.isEmpty() ? whole : new NarrowedClassifier(whole, aside);
    }

    @Override
    public ModelInfo modelInfo() {
        return whole.modelInfo();
    }

    @Override
    public TrackPrediction classify(Path file, Analysis analysis) throws ClassificationException {
        TrackPrediction p = whole.classify(file, analysis);
        return new TrackPrediction(p.file(), Verdict.setAside(p.genres(), aside), p.seconds(), p.timeline());
    }

    @Override
    public GenreClassifier forModel(Path modelDir) throws ClassificationException {
        return whole.forModel(modelDir);
    }

    @Override
    public GenreClassifier forGenres(List<String> genres) {
        return whole.forGenres(genres);
    }
}
