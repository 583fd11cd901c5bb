package org.genretagger.plugin.audio;

import java.io.IOException;

/**
 * A track could not be decoded. The message is one line naming the file and the cause in plain words,
 * e.g. {@code song.flac: not an audio file (Invalid data found when processing input)}, ready to show
 * to a user.
 */
public class AudioDecodeException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message one line: file name, colon, cause
     */
    public AudioDecodeException(String message) {
        super(message);
    }

    /**
     * @param message one line: file name, colon, cause
     * @param cause the underlying error
     */
    public AudioDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
