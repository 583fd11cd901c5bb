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
}
