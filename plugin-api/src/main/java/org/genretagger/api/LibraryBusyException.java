package org.genretagger.api;

import java.nio.file.Path;

/**
 * Thrown by a run that writes (a retag or the applying of a plan) when another run holds the lock
 * of the same library root. Nothing has been written. The message is one line naming the holder,
 * e.g. {@code /music is being retagged by another run (pid 4242, started 2026-11-30 23:50:01 UTC:
 * genre-tagger retag /music)}.
 */
public class LibraryBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The library root whose lock is held. */
    private final transient Path root;

    /**
     * @param root the library root whose lock is held
     * @param message one line naming the run that holds it
     */
    public LibraryBusyException(Path root, String message) {
        super(message);
        this.root = root;
    }

    /** @return the library root whose lock is held */
    public Path root() {
        return root;
    }
}
