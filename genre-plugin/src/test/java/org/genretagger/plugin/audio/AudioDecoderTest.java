package org.genretagger.plugin.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.genretagger.plugin.features.LogMel;
import org.genretagger.plugin.features.MelParameters;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AudioDecoderTest {

    private static final int SR = 22050;
    /** Encoder priming/padding that a codec may add or trim at the ends. */
    private static final double DURATION_TOLERANCE = 0.060;

    @ParameterizedTest
    @CsvSource({
        "tone.wav, pcm_s16le, 44100", "tone.mp3, mp3, 44100", "tone.flac, flac, 44100",
        "tone.ogg, vorbis, 44100", "tone.opus, opus, 48000", "tone.m4a, aac, 44100",
        "tone-alac.m4a, alac, 44100", "tone.aiff, pcm_s16be, 44100", "tone.au, pcm_s16be, 44100",
        "tone.wma, wmav2, 44100"})
    void everyFormatDecodesThreeSecondsAtTheRequestedRate(String file, String codec, int sourceRate) throws Exception {
        try (DecodedStream in = AudioDecoder.open(fixture(file), SR)) {
            assertEquals(codec, in.codecName());
            assertEquals(sourceRate, in.sourceSampleRate());
            assertEquals(2, in.sourceChannels());
            assertEquals(SR, in.sampleRate());
            assertEquals(3.0, in.durationSeconds(), DURATION_TOLERANCE, "container duration");
        }
        float[] y = AudioDecoder.decodeAll(fixture(file), SR);
        assertEquals(3.0, y.length / (double) SR, DURATION_TOLERANCE, file + ": decoded length " + y.length);
        double rms = rms(y);
        assertTrue(rms > 0.015 && rms < 0.04, file + ": rms " + rms);
        for (float v : y) {
            assertTrue(Math.abs(v) <= 1f, "sample out of range: " + v);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tone.flac", "tone-alac.m4a", "tone.aiff", "tone.au"})
    void losslessFormatsGiveTheSameSamplesAndFeaturesAsWav(String file) throws Exception {
        float[] ref = AudioDecoder.decodeAll(fixture("tone.wav"), SR);
        float[] y = AudioDecoder.decodeAll(fixture(file), SR);
        assertEquals(ref.length, y.length, file + ": length");
        double worst = 0;
        for (int i = 0; i < y.length; i++) {
            worst = Math.max(worst, Math.abs(y[i] - ref[i]));
        }
        assertTrue(worst <= 1e-4, file + ": max sample difference " + worst);

        LogMel lm = new LogMel(MelParameters.librosaDefaults(SR));
        float[][] a = LogMel.powerToDbRefMax(lm.melPower(ref));
        float[][] b = LogMel.powerToDbRefMax(lm.melPower(y));
        double worstDb = 0;
        for (int m = 0; m < a.length; m++) {
            for (int t = 0; t < a[m].length; t++) {
                worstDb = Math.max(worstDb, Math.abs(a[m][t] - b[m][t]));
            }
        }
        assertTrue(worstDb <= 0.01, file + ": max log-mel difference " + worstDb + " dB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tone.mp3", "tone.ogg", "tone.opus", "tone.m4a", "tone.wma", "tone.wav"})
    void lossyFormatsKeepTheTwoTones(String file) throws Exception {
        float[] y = AudioDecoder.decodeAll(fixture(file), SR);
        int n = 1 << 16;
        double[] a = new double[n];
        for (int i = 0; i < Math.min(n, y.length); i++) {
            a[i] = y[i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
        }
        new DoubleFFT_1D(n).realForward(a);
        double df = (double) SR / n;
        int lo = (int) (100 / df);
        int hi = (int) (2000 / df);
        double[] mag = new double[hi];
        for (int k = lo; k < hi; k++) {
            mag[k] = Math.hypot(a[2 * k], a[2 * k + 1]);
        }
        int p1 = argmax(mag, lo, hi, -1, 0);
        int p2 = argmax(mag, lo, hi, p1, (int) (20 / df));
        double f1 = Math.min(p1, p2) * df;
        double f2 = Math.max(p1, p2) * df;
        assertEquals(220.0, f1, 2.0, file + ": lower peak");
        assertEquals(330.0, f2, 2.0, file + ": upper peak");
        // The tones stand far above the pink noise floor in between.
        double between = mag[(int) (275 / df)];
        assertTrue(mag[p1] > 30 * between && mag[p2] > 30 * between, file + ": tones not dominant");
    }

    @Test
    void monoSourceAtTargetRateMatchesDownmixedAndResampledStereo() throws Exception {
        float[] stereo = AudioDecoder.decodeAll(fixture("tone.wav"), SR);
        float[] mono;
        try (DecodedStream in = AudioDecoder.open(fixture("tone-22k-mono.wav"), SR)) {
            assertEquals(1, in.sourceChannels());
            assertEquals(SR, in.sourceSampleRate());
            mono = readAll(in, 4096);
        }
        assertEquals(stereo.length, mono.length);
        // The fixture was made by ffmpeg -ac 1 -ar 22050: same mean downmix, int16 rounding apart.
        for (int i = 0; i < mono.length; i++) {
            assertEquals(stereo[i], mono[i], 2e-4, "sample " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tone.mp3", "tone.flac", "tone.opus", "tone.m4a"})
    void readingInSmallChunksGivesTheSameSamplesAsDecodeAll(String file) throws Exception {
        float[] all = AudioDecoder.decodeAll(fixture(file), SR);
        for (int chunk : new int[] {1, 7, 1000, 100_000}) {
            try (DecodedStream in = AudioDecoder.open(fixture(file), SR)) {
                float[] y = readAll(in, chunk);
                assertArrayEquals(all, y, file + " in chunks of " + chunk);
                assertEquals(-1, in.read(new float[10]), "stays at the end");
                assertEquals(all.length, in.samplesRead());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tone.wav", "tone.flac", "tone-alac.m4a", "tone.ogg"})
    void seekingLandsOnTheRequestedSample(String file) throws Exception {
        float[] all = AudioDecoder.decodeAll(fixture(file), SR);
        try (DecodedStream in = AudioDecoder.open(fixture(file), SR)) {
            for (double t : new double[] {1.0, 0.25, 2.5, 0.0}) {
                in.seekSeconds(t);
                float[] y = new float[2048];
                assertEquals(y.length, fill(in, y));
                int at = (int) Math.round(t * SR);
                float[] expected = Arrays.copyOfRange(all, at, at + y.length);
                // The resampler starts afresh after a seek; allow for its first few samples.
                float[] tailGot = Arrays.copyOfRange(y, 64, y.length);
                float[] tailExp = Arrays.copyOfRange(expected, 64, y.length);
                assertArrayEquals(tailExp, tailGot, 1e-4f, file + " at " + t + " s");
            }
            in.seekSeconds(10.0);
            assertEquals(-1, in.read(new float[100]), "seek past the end");
        }
    }

    @Test
    void seekingAnMp3IsApproximatelyRight() throws Exception {
        float[] all = AudioDecoder.decodeAll(fixture("tone.mp3"), SR);
        try (DecodedStream in = AudioDecoder.open(fixture("tone.mp3"), SR)) {
            in.seekSeconds(2.0);
            float[] rest = readAll(in, 4096);
            assertEquals(all.length - 2 * SR, rest.length, 0.05 * SR);
        }
    }

    @Test
    void truncatedMp3DecodesWhatIsThere(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cut.mp3");
        Files.write(f, Arrays.copyOf(Files.readAllBytes(fixture("tone.mp3")), 3 * 1024));
        float[] y = AudioDecoder.decodeAll(f, SR);
        // 3 KB of 64 kbit/s is about 0.38 s; the last partial frame may be lost.
        assertTrue(y.length > 0.2 * SR && y.length < 0.5 * SR, "decoded " + y.length + " samples");
        assertTrue(rms(y) > 0.01, "decoded audio is not silence");
    }

    @Test
    void corruptBytesMidStreamAreSkipped(@TempDir Path dir) throws Exception {
        byte[] b = Files.readAllBytes(fixture("tone.flac"));
        Random r = new Random(3);
        for (int i = b.length / 3; i < b.length / 2; i++) {
            b[i] = (byte) r.nextInt();
        }
        Path f = dir.resolve("damaged.flac");
        Files.write(f, b);
        float[] y = AudioDecoder.decodeAll(f, SR);
        assertTrue(y.length > 1.5 * SR, "most of the track survives: " + y.length);
    }

    @Test
    void badInputsFailWithOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.mp3"));
        assertFails(empty, "empty file");

        Path random = dir.resolve("random.flac");
        byte[] noise = new byte[20_000];
        new Random(1234).nextBytes(noise);
        Files.write(random, noise);
        assertFails(random, "not an audio file");

        Path directory = Files.createDirectory(dir.resolve("x.mp3"));
        assertFails(directory, "is a directory");

        Path text = dir.resolve("notes.ogg");
        Files.writeString(text, "This is not audio.\n".repeat(50), StandardCharsets.UTF_8);
        assertFails(text, "not an audio file");

        assertFails(dir.resolve("missing.mp3"), "file not found");

        Path headerOnly = dir.resolve("header-only.wav");
        Files.write(headerOnly, wavHeader(0));
        assertFails(headerOnly, "no audio samples");

        Path tiny = dir.resolve("tiny.m4a");
        Files.write(tiny, Arrays.copyOf(Files.readAllBytes(fixture("tone.m4a")), 2000));
        assertFails(tiny, "");
    }

    /**
     * As a user, a file without read permission. As root (CI runs as root), whom file permissions
     * do not stop, a link to a write-only sysfs attribute, which the kernel refuses to open for
     * reading to root too: then FFmpeg's open is what says so.
     */
    @Test
    void unreadableFileFailsWithPermissionDenied(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("locked.mp3");
        Files.copy(fixture("tone.mp3"), f);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        try {
            if (Files.isReadable(f)) {
                Files.delete(f);
                Files.createSymbolicLink(f, writeOnlySysfsAttribute());
            }
            assertFails(f, "permission denied");
        } finally {
            if (!Files.isSymbolicLink(f)) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            }
        }
    }

    /** A bus's {@code uevent} (mode 0200): every Linux system with sysfs has some. */
    private static Path writeOnlySysfsAttribute() throws IOException {
        try (Stream<Path> buses = Files.list(Path.of("/sys/bus"))) {
            return buses.map(b -> b.resolve("uevent")).filter(u -> {
                try {
                    return Files.isRegularFile(u) && PosixFilePermissions.toString(Files.getPosixFilePermissions(u)).equals("-w-------");
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow(() -> new AssertionError("no write-only /sys/bus/*/uevent to stand for an unreadable file"));
        }
    }

    @Test
    void awkwardFileNamesOpen(@TempDir Path dir) throws Exception {
        float[] ref = AudioDecoder.decodeAll(fixture("tone.flac"), SR);
        for (String name : new String[] {"01: intro.flac", "Björk – Jóga (日本).flac", "concat:a|b.flac", "100%.flac"}) {
            Path f;
            try {
                f = dir.resolve(name);
                Files.copy(fixture("tone.flac"), f);
            } catch (InvalidPathException | IOException e) {
                continue; // the JVM's file name encoding cannot represent it: nothing to test
            }
            assertArrayEquals(ref, AudioDecoder.decodeAll(f, SR), name);
        }
    }

    @Test
    void separateStreamsDecodeConcurrently() throws Exception {
        String[] files = {"tone.mp3", "tone.flac", "tone.ogg", "tone.m4a", "tone.opus", "tone.wma"};
        List<float[]> sequential = new ArrayList<>();
        for (String f : files) {
            sequential.add(AudioDecoder.decodeAll(fixture(f), SR));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<float[]>> futures = new ArrayList<>();
                for (String f : files) {
                    futures.add(pool.submit(() -> AudioDecoder.decodeAll(fixture(f), SR)));
                }
                for (int i = 0; i < files.length; i++) {
                    assertArrayEquals(sequential.get(i), futures.get(i).get(), files[i]);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closedStreamRefusesReadsAndCloseIsIdempotent() throws Exception {
        DecodedStream in = AudioDecoder.open(fixture("tone.ogg"), SR);
        assertTrue(in.read(new float[100]) > 0);
        in.close();
        in.close();
        assertThrows(IllegalStateException.class, () -> in.read(new float[100]));
        // Many open/close cycles: every native resource goes back.
        for (int i = 0; i < 200; i++) {
            try (DecodedStream s = AudioDecoder.open(fixture(i % 2 == 0 ? "tone.mp3" : "tone.flac"), 16000)) {
                assertTrue(s.read(new float[512]) > 0);
            }
        }
    }

    @Test
    void otherTargetRatesScaleTheLength() throws Exception {
        for (int rate : new int[] {8000, 16000, 44100, 48000}) {
            float[] y = AudioDecoder.decodeAll(fixture("tone.flac"), rate);
            assertEquals(3.0 * rate, y.length, 2, "at " + rate + " Hz");
        }
    }

    // ---- helpers ----

    private static void assertFails(Path f, String cause) {
        AudioDecodeException e = assertThrows(AudioDecodeException.class, () -> AudioDecoder.decodeAll(f, SR),
                f.getFileName() + " should fail");
        String msg = e.getMessage();
        assertTrue(msg.startsWith(f.getFileName() + ": "), "message names the file: " + msg);
        assertTrue(msg.contains(cause), "message says '" + cause + "': " + msg);
        assertFalse(msg.contains("\n"), "one line: " + msg);
    }

    /** A 16-bit stereo 44.1 kHz WAV header announcing {@code dataBytes} bytes of data. */
    private static byte[] wavHeader(int dataBytes) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
        b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
        b.putShort((short) 1).putShort((short) 2).putInt(44100).putInt(44100 * 4).putShort((short) 4).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        return b.array();
    }

    private static float[] readAll(DecodedStream in, int chunk) throws IOException {
        float[] out = new float[1 << 16];
        float[] buf = new float[chunk];
        int n = 0;
        int r;
        while ((r = in.read(buf)) >= 0) {
            assertTrue(r > 0 && r <= chunk, "read returned " + r);
            if (n + r > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            System.arraycopy(buf, 0, out, n, r);
            n += r;
        }
        return Arrays.copyOf(out, n);
    }

    private static int fill(DecodedStream in, float[] y) throws IOException {
        int n = 0;
        while (n < y.length) {
            int r = in.read(y, n, y.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private static int argmax(double[] a, int lo, int hi, int exclude, int guard) {
        int best = -1;
        for (int k = lo; k < hi; k++) {
            if (exclude >= 0 && Math.abs(k - exclude) <= guard) {
                continue;
            }
            if (best < 0 || a[k] > a[best]) {
                best = k;
            }
        }
        return best;
    }

    private static double rms(float[] y) {
        double s = 0;
        for (float v : y) {
            s += v * v;
        }
        return Math.sqrt(s / Math.max(1, y.length));
    }

    private static Path fixture(String name) throws URISyntaxException {
        var url = AudioDecoderTest.class.getResource("/audio/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource audio/" + name);
        }
        return Path.of(url.toURI());
    }
}
