package org.genretagger.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.genretagger.api.AudioCheck;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.LibraryTagger;
import org.genretagger.api.RetagListener;
import org.genretagger.api.RetagReport;
import org.genretagger.api.RetagRequest;
import org.genretagger.plugin.learn.UserModel;
import org.genretagger.plugin.library.LibraryLock;
import org.genretagger.plugin.plan.PlanJob;
import org.genretagger.plugin.retag.RetagJob;
import org.genretagger.plugin.plan.RetagPlan;
import org.genretagger.plugin.retag.UndoJob;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.ModelConfig;
import org.pf4j.Extension;

/** Runs whole retag and undo jobs with the bundled model, or a learned one ({@link RetagRequest#model()}). */
@Extension
public class LibraryTaggerExtension implements LibraryTagger {

    @Override
    public RetagReport retag(RetagRequest request, RetagListener listener) {
        if (request.dryRun()) {
            return run(request, listener);
        }
        // Every host gets the lock: two writing runs on one library would trip over each other's changes.
        try (LibraryLock lock = LibraryLock.acquire(request.root())) {
            return run(request, listener);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + request.root() + ": " + e.getMessage(), e);
        }
    }


    private static RetagReport run(RetagRequest request, RetagListener listener) {
        return job(request, listener).run();
    }

    /** The run a request asks for, with the shipped model or the learned one it names. */
    private static RetagJob job(RetagRequest request, RetagListener listener) {
        if (request.model() != null) {
            LearnedClassifier learned;
            try {
                learned = LearnedClassifier.open(GenreEngine.analyzer(), request.model());
            } catch (ClassificationException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return new RetagJob((f, a, t, d) -> learned.analyze(f, a, request.dryRun() || request.verify() != AudioCheck.DECODE, t, d),
                    learned.model().asConfig(GenreEngine.analyzer().model().config()), request, listener);
        }
        return new RetagJob(GenreEngine.analyzer(), request, listener);
    }

    @Override
    public RetagReport plan(RetagRequest request, Path plan, RetagListener listener) {
        RetagPlan.isJson(plan); // refuses a wrong extension before the run, not after it
        // A dry run takes no lock.
        RetagJob job = job(request.toBuilder().dryRun(true).build(), listener);
        RetagReport report = job.run();
        try {
            RetagPlan.write(plan, request.root(), request.policy(), report, job.chosenGenres());
        } catch (IOException e) {
            throw new UncheckedIOException(plan + ": cannot write the plan (" + e.getMessage() + ")", e);
        }
        return report;
    }

    @Override
    public RetagReport applyPlan(Path plan, RetagRequest options, RetagListener listener) {
        ModelConfig config;
        try {
            config = GenreModel.bundledConfig();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (options.model() != null) {
            // The plan's genres are checked against the learned model's, not the bundled one's.
            try {
                config = UserModel.read(options.model()).asConfig(config);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return new PlanJob(plan, options, listener, config).run();
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
