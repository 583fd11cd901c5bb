package org.genretagger.api;

/** Learning could not be done; the message says why and what to do. */
public class LearnException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message why, naming what to change */
    public LearnException(String message) {
        super(message);
    }

    /**
     * @param message why
     * @param cause the underlying error
     */
    public LearnException(String message, Throwable cause) {
        super(message, cause);
    }
}
