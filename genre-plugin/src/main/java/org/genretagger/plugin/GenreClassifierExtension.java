package org.genretagger.plugin;

import java.nio.file.Path;
import org.genretagger.api.Analysis;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.TrackPrediction;
import org.pf4j.Extension;

/** Classifies single tracks with the bundled model, or with a learned one ({@link #forModel}). */
@Extension
public class GenreClassifierExtension implements GenreClassifier {

    @Override
    public ModelInfo modelInfo() {
        return GenreEngine.info();
    }

    @Override
    public TrackPrediction classify(Path file, Analysis analysis) throws ClassificationException {
        return GenreEngine.analyzer().analyze(file, analysis, null);
    }

    @Override
    public GenreClassifier forModel(Path modelDir) throws ClassificationException {
        return LearnedClassifier.open(GenreEngine.analyzer(), modelDir);
    }

    @Override
    public GenreClassifier forGenres(java.util.List<String> genres) {
        return NarrowedClassifier.of(this, GenreEngine.analyzer().model().config(), genres);
    }
}
