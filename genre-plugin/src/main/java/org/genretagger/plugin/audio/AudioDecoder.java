package org.genretagger.plugin.audio;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Decodes any audio file FFmpeg understands (MP3, FLAC, Ogg Vorbis, Opus, AAC/ALAC in MP4, WAV, AIFF,
 * AU, WMA, ...) to mono float samples at a chosen rate, streaming, through the FFmpeg libraries shipped
 * in the JavaCPP {@code org.bytedeco:ffmpeg} artifact (no system FFmpeg needed, nothing downloaded).
 *
 * <p>Channels are averaged to mono (as {@code librosa.to_mono} does) and resampled with libswresample.
 * Separate streams may be used on separate threads concurrently; FFmpeg's own log output is silenced.
 */
public final class AudioDecoder {

    static {
        // FFmpeg would otherwise print warnings about every odd file to stderr; errors reach callers as exceptions.
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
    }

    private AudioDecoder() {
    }

    /**
     * Opens a file for streaming decode.
     *
     * @param file the audio file
     * @param targetSampleRate output sample rate in Hz
     * @return an open stream; close it
     * @throws AudioDecodeException when the file is missing, unreadable, empty, not audio or undecodable
     */
    public static DecodedStream open(Path file, int targetSampleRate) throws AudioDecodeException {
        if (targetSampleRate <= 0) {
            throw new IllegalArgumentException("targetSampleRate must be > 0: " + targetSampleRate);
        }
        checkFile(file);
        return DecodedStream.open(file, targetSampleRate);
    }

    /**
     * Decodes a whole file into memory; for short clips, tests and training. Use {@link #open} for
     * tracks of unknown length.
     *
     * @param file the audio file
     * @param targetSampleRate output sample rate in Hz
     * @return all samples, mono, at {@code targetSampleRate}
     * @throws AudioDecodeException as {@link #open}, or when decoding fails part way
     */
    public static float[] decodeAll(Path file, int targetSampleRate) throws AudioDecodeException {
        try (DecodedStream in = open(file, targetSampleRate)) {
            double d = in.durationSeconds();
            long guess = Double.isFinite(d) && d > 0 ? (long) ((d + 1) * targetSampleRate) : targetSampleRate * 30L;
            float[] out = new float[(int) Math.min(guess, 1 << 26)];
            float[] buf = new float[16384];
            int n = 0;
            int r;
            while ((r = in.read(buf)) >= 0) {
                if ((long) n + r > Integer.MAX_VALUE - 16) {
                    throw new AudioDecodeException(displayName(file) + ": too long to decode into memory");
                }
                if (n + r > out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(n + r, out.length * 3L / 2)));
                }
                System.arraycopy(buf, 0, out, n, r);
                n += r;
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        }
    }

    /** Checks with java.nio what FFmpeg would report badly (or, for a FIFO, block on). */
    static void checkFile(Path file) throws AudioDecodeException {
        String name = displayName(file);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new AudioDecodeException(name + ": file not found", e);
        } catch (AccessDeniedException e) {
            throw new AudioDecodeException(name + ": permission denied", e);
        } catch (IOException e) {
            throw new AudioDecodeException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (attrs.isDirectory()) {
            throw new AudioDecodeException(name + ": is a directory");
        }
        if (!attrs.isRegularFile()) {
            throw new AudioDecodeException(name + ": not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new AudioDecodeException(name + ": permission denied");
        }
        if (attrs.size() == 0) {
            throw new AudioDecodeException(name + ": empty file (0 bytes)");
        }
    }

    static String displayName(Path file) {
        Path n = file.getFileName();
        return n != null ? n.toString() : file.toString();
    }
}
