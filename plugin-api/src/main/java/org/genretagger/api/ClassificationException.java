package org.genretagger.api;

/** A track could not be classified; the message names the file and the cause in one line. */
public class ClassificationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file and the cause */
    public ClassificationException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the file and the cause
     * @param cause the underlying error
     */
    public ClassificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
