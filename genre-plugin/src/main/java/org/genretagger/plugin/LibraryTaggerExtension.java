package org.genretagger.plugin;

import java.nio.file.Path;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.plugin.library.RetagJob;
import org.genretagger.plugin.library.UndoJob;
import org.pf4j.Extension;

/** Runs whole retag and undo jobs with the bundled model. */
@Extension
public class LibraryTaggerExtension implements LibraryTagger {

    @Override
    public RetagReport retag(RetagRequest request, RetagListener listener) {
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
