package org.genretagger.plugin.analysis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.plugin.audio.DecodedStream;

/**
 * A digest of a file's decoded samples: equal digests mean the audio a listener hears is the
 * same, whatever happened to the tags around it.
 *
 * @param samples how many samples were decoded
 * @param crc CRC-32C of the samples' float bits
 */
public record AudioDigest(long samples, long crc) {
    private static final int CHUNK = 16384;

    /**
     * Decodes a file just to digest it.
     *
     * @param file the audio file
     * @param sampleRate the rate to decode at
     * @return its digest
     * @throws IOException if it cannot be decoded
     */
    public static AudioDigest of(Path file, int sampleRate) throws IOException {
        Builder b = new Builder();
        try (DecodedStream in = AudioDecoder.open(file, sampleRate)) {
            float[] buf = new float[CHUNK];
            int n;
            while ((n = in.read(buf)) >= 0) {
                b.update(buf, n);
            }
        }
        return b.build();
    }

    /** Accumulates samples as they are decoded. */
    public static final class Builder {
        private final CRC32C crc = new CRC32C();
        private ByteBuffer bytes = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
        private long samples;

        /**
         * @param buf samples
         * @param n how many of them
         */
        public void update(float[] buf, int n) {
            if (bytes.capacity() < n * 4) {
                bytes = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
            }
            bytes.clear();
            bytes.asFloatBuffer().put(buf, 0, n);
            bytes.limit(n * 4);
            crc.update(bytes);
            samples += n;
        }

        /** @return the digest so far */
        public AudioDigest build() {
            return new AudioDigest(samples, crc.getValue());
        }
    }
}
