package org.genretagger.plugin.tags;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file's tags could not be read or written. The message is one line naming the file and the
 * cause, fit to show a user as is.
 */
public final class TagAccessException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the audio file
     * @param what what failed, e.g. {@code "cannot read tags"}
     * @param cause the underlying error, or {@code null}
     */
    public TagAccessException(Path file, String what, Throwable cause) {
        super(oneLine(file + ": " + what + (cause == null ? "" : ": " + describe(cause))), cause);
        this.file = file;
    }

    /** @return the file the error is about */
    public Path file() {
        return file;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
