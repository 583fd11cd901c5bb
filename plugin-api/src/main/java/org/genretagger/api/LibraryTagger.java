package org.genretagger.api;

import java.nio.file.Path;
import org.pf4j.ExtensionPoint;

/**
 * Runs a whole retag job: scans a folder, classifies every track, writes genres into tags under a
 * policy, journals every change, and reports each track's outcome. One bad file never stops a run.
 */
public interface LibraryTagger extends ExtensionPoint {

    /**
     * Retags the library described by the request.
     *
     * @param request what to scan and how to write
     * @param listener told of progress; may be {@link RetagListener#NONE}
     * @return one result per track found, and where the journal went
     * @throws LibraryBusyException if the run writes and another run holds the lock of the same
     *     library root (a dry run takes no lock)
     * @throws IllegalArgumentException if {@link RetagRequest#model()} names a folder that holds no
     *     usable learned model (unreadable, or learned on another base network); the message says
     *     what to do
     */
    RetagReport retag(RetagRequest request, RetagListener listener);

    /**
     * Restores the genre fields a retag run changed, as recorded in its journal. Files changed
     * since that run are skipped with a message. Undo writes a journal of its own, so an undo can
     * itself be undone.
     *
     * @param journal the journal a retag (or undo) run wrote
     * @param listener told of progress; may be {@link RetagListener#NONE}
     * @return one result per journalled file
     */
    RetagReport undo(Path journal, RetagListener listener);

    /**
     * Like {@link #undo(Path, RetagListener)}, writing the undo's own journal to a given file.
     * The default implementation, for plugins that cannot choose, ignores {@code undoJournal} and
     * uses their default location; the report names the journal actually written.
     *
     * @param journal the journal a retag (or undo) run wrote
     * @param undoJournal where to append the undo's journal; {@code null} for the default
     * @param listener told of progress; may be {@link RetagListener#NONE}
     * @return one result per journalled file
     */
    default RetagReport undo(Path journal, Path undoJournal, RetagListener listener) {
        return undo(journal, listener);
    }

    /**
     * A dry run that also writes its plan: one row per track it would tag (outcome
     * {@link Outcome#WOULD_TAG}) with the file's path, its size and modification time now, the genre
     * it has, the genre to write, the confidence, its album tag and the reason. The user may delete
     * rows or change the genre to write, then hand the file to
     * {@link #applyPlan(Path, RetagRequest, RetagListener)}. The format follows the extension:
     * {@code .csv} (a header row; several genres in one cell joined by {@code ;}) or
     * {@code .json}. The library root is recorded in the plan, and so are the request's
     * {@link RetagRequest#genres() genres} when it names some. Takes no lock.
     *
     * @param request the run to plan; it is run as a dry run whatever its {@code dryRun} says
     * @param plan the file to write
     * @param listener told of progress; may be {@link RetagListener#NONE}
     * @return the dry run's report
     * @throws IllegalArgumentException if the plan's extension is neither .csv nor .json
     * @throws UnsupportedOperationException if the plugin cannot write plans
     */
    default RetagReport plan(RetagRequest request, Path plan, RetagListener listener) {
        throw new UnsupportedOperationException("this plugin cannot write plans");
    }

    /**
     * Writes exactly the rows of a plan (see {@link #plan(RetagRequest, Path, RetagListener)}),
     * with the values in them, through the same safe writer and journal as a retag run, so
     * {@link #undo} works on its journal; nothing is classified. A file whose size or modification
     * time differ from the plan's is skipped with a message; a genre that is not one of the
     * model's is written as given and listed in the report's notices. No genre outside the genres
     * the plan records, or outside {@code options}' {@link RetagRequest#genres() genres} when it
     * names some, is written. The library root the plan records is locked as by {@link #retag}.
     *
     * <p>The whole plan is read and checked before anything is written: a malformed plan (a
     * missing or unknown column, a row that cannot be read, a size or time that is not one, an
     * empty genre, a path given twice, a genre outside those the plan or {@code options} allow)
     * throws, naming the file and the line, and nothing is written.
     *
     * @param plan the plan file, {@code .csv} or {@code .json}
     * @param options how to write: ID3 version, separator, keep modification times, journal, genre
     *     names (which count as the model's genres), genres allowed; its root is used only when the
     *     plan records none; its classification options are ignored
     * @param listener told of progress; may be {@link RetagListener#NONE}
     * @return one result per row: {@link Outcome#TAGGED}, {@link Outcome#UNCHANGED},
     *     {@link Outcome#SKIPPED} or {@link Outcome#FAILED}; and the journal
     * @throws IllegalArgumentException if the plan is malformed; the message names the line
     * @throws LibraryBusyException if another run holds the library's lock
     * @throws UnsupportedOperationException if the plugin cannot apply plans
     */
    default RetagReport applyPlan(Path plan, RetagRequest options, RetagListener listener) {
        throw new UnsupportedOperationException("this plugin cannot apply plans");
    }
}
