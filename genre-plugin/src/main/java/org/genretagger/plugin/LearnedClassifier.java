package org.genretagger.plugin;

import java.io.IOException;
import java.nio.file.Path;
import org.genretagger.api.Analysis;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.TrackPrediction;
import org.genretagger.plugin.analysis.TrackAnalyzer;
import org.genretagger.plugin.learn.UserModel;

/** Classifies with a learned model: the bundled network's embedding, then the learned head. */
final class LearnedClassifier implements GenreClassifier {
    private final TrackAnalyzer analyzer;
    private final UserModel model;
    private final Path dir;

    private LearnedClassifier(TrackAnalyzer analyzer, UserModel model, Path dir) {
        this.analyzer = analyzer;
        this.model = model;
        this.dir = dir;
    }

    /**
     * @param analyzer the plugin's analyzer
     * @param dir a learned model folder
     * @return its classifier
     * @throws ClassificationException if unreadable or learned on another base network
     */
    static LearnedClassifier open(TrackAnalyzer analyzer, Path dir) throws ClassificationException {
        UserModel m;
        try {
            m = UserModel.read(dir);
        } catch (IOException e) {
            throw new ClassificationException(e.getMessage(), e);
        }
        m.requireBase(analyzer.model(), dir);
        return new LearnedClassifier(analyzer, m, dir);
    }

    UserModel model() {
        return model;
    }

    @Override
    public ModelInfo modelInfo() {
        return model.info(dir, analyzer.model().config());
    }

    @Override
    public TrackPrediction classify(Path file, Analysis analysis) throws ClassificationException {
        return analyze(file, analysis, true, null, Long.MAX_VALUE).prediction();
    }

    @Override
    public GenreClassifier forGenres(java.util.List<String> genres) {
        return NarrowedClassifier.of(this, model.asConfig(analyzer.model().config()), genres);
    }

    /** The learned verdict, with the digest when the track was decoded whole (for a retag that writes). */
    TrackAnalyzer.Analyzed analyze(Path file, Analysis analysis, boolean seek, org.genretagger.plugin.analysis.StageTimes times,
            long deadlineNanos) throws ClassificationException {
        // As many windows as the head learned its means from, unless the caller asks otherwise.
        Analysis windows = analysis != null ? analysis : model.defaultAnalysis();
        TrackAnalyzer.Analyzed a = analyzer.analyzeTrack(file, windows, times, deadlineNanos, seek, true);
        return new TrackAnalyzer.Analyzed(model.predict(a.prediction(), a.embeddings()), a.audio(), a.embeddings());
    }
}
