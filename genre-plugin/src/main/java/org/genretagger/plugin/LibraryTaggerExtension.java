package org.genretagger.plugin;

import java.nio.file.Path;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.plugin.library.RetagJob;
import org.genretagger.plugin.library.UndoJob;
import org.pf4j.Extension;

/** Runs whole retag and undo jobs with the bundled model, or a learned one ({@link RetagRequest#model()}). */
@Extension
public class LibraryTaggerExtension implements LibraryTagger {

    @Override
    public RetagReport retag(RetagRequest request, RetagListener listener) {
        if (request.model() != null) {
            LearnedClassifier learned;
            try {
                learned = LearnedClassifier.open(GenreEngine.analyzer(), request.model());
            } catch (ClassificationException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return new RetagJob((f, a, t, d) -> learned.analyze(f, a, request.dryRun(), t, d),
                    learned.model().asConfig(GenreEngine.analyzer().model().config()), request, listener).run();
        }
        return new RetagJob(GenreEngine.analyzer(), request, listener).run();
    }

    @Override
    public RetagReport undo(Path journal, RetagListener listener) {
        return new UndoJob(journal, listener).run();
    }

    @Override
    public RetagReport undo(Path journal, Path undoJournal, RetagListener listener) {
        return new UndoJob(journal, undoJournal, listener).run();
    }
}
