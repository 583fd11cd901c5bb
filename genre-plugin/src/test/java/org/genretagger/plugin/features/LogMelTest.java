package org.genretagger.plugin.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogMelTest {

    private static final MelParameters P = MelParameters.librosaDefaults(22050);

    @ParameterizedTest
    @ValueSource(strings = {"tones", "chirp", "noise", "silence_click"})
    void matchesLibrosa(String name) throws Exception {
        float[] y = readWavInt16(resource(name + ".wav"));
        float[][] refMel = Npy.read(resource(name + ".mel.npy"));
        float[][] refDb = Npy.read(resource(name + ".logmel.npy"));

        float[][] mel = new LogMel(P).melPower(y);
        assertEquals(refMel.length, mel.length, "mel bands");
        assertEquals(refMel[0].length, mel[0].length, "frames");

        double tol = 1e-4 * LogMel.max(refMel) + 1e-7;
        double worst = maxAbsDiff(mel, refMel);
        assertTrue(worst <= tol, name + ": max |mel - librosa| = " + worst + " > " + tol);

        float[][] db = LogMel.powerToDbRefMax(mel);
        double worstDb = maxAbsDiff(db, refDb);
        assertTrue(worstDb <= 0.01, name + ": max |logmel - librosa| = " + worstDb + " dB");
    }

    @Test
    void streamingInAnyChunkSizeEqualsBatch() throws Exception {
        float[] y = readWavInt16(resource("chirp.wav"));
        LogMel lm = new LogMel(P);
        float[][] batch = lm.melPower(y);
        for (int chunk : new int[] {1, 333, 511, 512, 513, 4096, 100_000}) {
            assertArrayEquals2(batch, streamed(lm, y, i -> chunk), "chunk " + chunk);
        }
        Random rnd = new Random(7);
        assertArrayEquals2(batch, streamed(lm, y, i -> rnd.nextInt(3000)), "random chunks");
    }

    @Test
    void framingMatchesNaiveReferenceForOddShapes() {
        Random rnd = new Random(42);
        // hop > nFft exercises the skip path; tiny inputs exercise padding on both sides.
        for (int[] cfg : new int[][] {{64, 16}, {64, 64}, {64, 100}, {32, 7}}) {
            MelParameters p = new MelParameters(8000, cfg[0], cfg[1], 10, 50.0, 3500.0);
            LogMel lm = new LogMel(p);
            for (int len : new int[] {0, 1, 31, 32, 33, 64, 65, 1000}) {
                float[] y = new float[len];
                for (int i = 0; i < len; i++) {
                    y[i] = (float) rnd.nextGaussian();
                }
                float[][] ref = naiveMel(p, lm.filterBank().weights(), y);
                float[][] got = lm.melPower(y);
                assertEquals(ref[0].length, got[0].length, "frames for len " + len);
                double tol = 1e-5 * Math.max(1e-12, LogMel.max(ref));
                assertTrue(maxAbsDiff(got, ref) <= tol,
                        "nFft " + cfg[0] + " hop " + cfg[1] + " len " + len + ": " + maxAbsDiff(got, ref));
                assertArrayEquals2(got, streamed(lm, y, i -> 1 + (i % 5)), "stream " + len);
            }
        }
    }

    @Test
    void filterBankIsSlaneyNormalised() {
        MelFilterBank fb = MelFilterBank.of(P);
        float[][] w = fb.weights();
        assertEquals(128, w.length);
        assertEquals(1025, w[0].length);
        double[] melF = MelFilterBank.melFrequencies(130, 0, 11025);
        // Area of each triangle in Hz is 1 with slaney norm: sum(w) * df ~= 1.
        double df = 22050.0 / 2048;
        for (int m = 20; m < 128; m++) {
            double sum = 0;
            for (float v : w[m]) {
                sum += v;
            }
            assertEquals(1.0, sum * df, 0.05, "band " + m);
            double peakHz = argmax(w[m]) * df;
            assertEquals(melF[m + 1], peakHz, df, "peak of band " + m);
        }
        assertEquals(15.0, MelFilterBank.hzToMel(1000), 1e-12);
        assertEquals(1000.0, MelFilterBank.melToHz(15.0), 1e-9);
        assertEquals(3000.0, MelFilterBank.melToHz(MelFilterBank.hzToMel(3000)), 1e-9);
        assertEquals(3.0, MelFilterBank.hzToMel(200), 1e-12);
    }

    @Test
    void powerToDbFollowsLibrosaFormula() {
        float[][] s = {{1f, 0.1f, 0f}, {100f, 1e-12f, 10f}};
        float[][] db = LogMel.powerToDbRefMax(s);
        assertArrayEquals(new float[] {-20f, -30f, -80f}, db[0], 1e-4f);
        assertArrayEquals(new float[] {0f, -80f, -10f}, db[1], 1e-4f);
        float[][] raw = LogMel.powerToDb(s, 1.0, 1e-10, null);
        assertArrayEquals(new float[] {20f, -100f, 10f}, raw[1], 1e-4f);
        assertEquals(-100f, raw[0][2], 1e-4f);
        assertThrows(IllegalArgumentException.class, () -> LogMel.powerToDb(s, 1.0, 0, null));
    }

    @Test
    void hannIsPeriodic() {
        double[] w = LogMel.hannWindow(8);
        assertEquals(0.0, w[0], 1e-15);
        assertEquals(1.0, w[4], 1e-15);
        assertEquals(w[1], w[7], 1e-15);
        assertEquals(0.5, w[2], 1e-15);
    }

    @Test
    void parametersNormaliseFmax() {
        assertEquals(11025.0, new MelParameters(22050, 2048, 512, 128, 0, null).fmax());
        assertEquals(11025.0, new MelParameters(22050, 2048, 512, 128, 0, -1.0).fmax());
        assertEquals(8000.0, new MelParameters(22050, 2048, 512, 128, 0, 8000.0).fmax());
        assertThrows(IllegalArgumentException.class, () -> new MelParameters(22050, 2047, 512, 128, 0, null));
        assertEquals(216, P.frameCount(110250));
    }

    @Test
    void npyRoundTripAndFloat64(@TempDir Path dir) throws IOException {
        float[][] a = {{1f, -2.5f, 3e-9f}, {Float.MAX_VALUE, 0f, -0f}};
        Path f = dir.resolve("a.npy");
        Npy.write(f, a);
        byte[] bytes = Files.readAllBytes(f);
        assertEquals(0, (bytes.length - 6 * 4) % 64, "data starts on a 64-byte boundary");
        float[][] back = Npy.read(f);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], back[i]);
        }

        // '<f8', Fortran order, written by hand.
        String dict = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }";
        String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        bo.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        bo.write(header.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer bb = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : new double[] {11, 21, 12, 22, 13, 23}) {
            bb.putDouble(v);
        }
        bo.write(bb.array());
        Path g = dir.resolve("f8.npy");
        Files.write(g, bo.toByteArray());
        float[][] m = Npy.read(g);
        assertArrayEquals(new float[] {11, 12, 13}, m[0]);
        assertArrayEquals(new float[] {21, 22, 23}, m[1]);

        Path bad = dir.resolve("bad.npy");
        Files.writeString(bad, "hello");
        assertThrows(IOException.class, () -> Npy.read(bad));
    }

    // ---- helpers ----

    private static float[][] streamed(LogMel lm, float[] y, java.util.function.IntUnaryOperator chunkAt) {
        List<float[]> frames = new ArrayList<>();
        MelFrameStream s = lm.stream((t, mel) -> {
            assertEquals(frames.size(), t);
            frames.add(mel.clone());
        });
        int pos = 0;
        int i = 0;
        while (pos < y.length) {
            int n = Math.min(y.length - pos, chunkAt.applyAsInt(i++));
            s.push(y, pos, n);
            pos += n;
        }
        s.finish();
        s.finish();
        assertEquals(y.length, s.samplesPushed());
        float[][] out = new float[lm.parameters().nMels()][frames.size()];
        for (int t = 0; t < frames.size(); t++) {
            for (int m = 0; m < out.length; m++) {
                out[m][t] = frames.get(t)[m];
            }
        }
        return out;
    }

    /** Pads, frames and runs a direct DFT: the definition, independent of the streaming code. */
    private static float[][] naiveMel(MelParameters p, float[][] w, float[] y) {
        int n = p.nFft();
        int half = n / 2;
        double[] padded = new double[y.length + n];
        for (int i = 0; i < y.length; i++) {
            padded[half + i] = y[i];
        }
        int frames = 1 + (padded.length - n) / p.hopLength();
        float[][] out = new float[p.nMels()][frames];
        for (int t = 0; t < frames; t++) {
            double[] pow = new double[half + 1];
            for (int k = 0; k <= half; k++) {
                double re = 0;
                double im = 0;
                for (int i = 0; i < n; i++) {
                    double win = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
                    double x = win * padded[t * p.hopLength() + i];
                    re += x * Math.cos(2 * Math.PI * k * i / n);
                    im -= x * Math.sin(2 * Math.PI * k * i / n);
                }
                pow[k] = re * re + im * im;
            }
            for (int m = 0; m < p.nMels(); m++) {
                double acc = 0;
                for (int k = 0; k <= half; k++) {
                    acc += w[m][k] * pow[k];
                }
                out[m][t] = (float) acc;
            }
        }
        return out;
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }

    static double maxAbsDiff(float[][] a, float[][] b) {
        double worst = 0;
        for (int m = 0; m < a.length; m++) {
            for (int t = 0; t < a[m].length; t++) {
                worst = Math.max(worst, Math.abs((double) a[m][t] - b[m][t]));
            }
        }
        return worst;
    }

    private static void assertArrayEquals2(float[][] expected, float[][] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int m = 0; m < expected.length; m++) {
            assertArrayEquals(expected[m], actual[m], what + ", band " + m);
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        var url = LogMelTest.class.getResource("/librosa-mel/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource librosa-mel/" + name);
        }
        return Path.of(url.toURI());
    }

    /** Reads 16-bit PCM mono as int16 / 32768, like the fixture generator. */
    static float[] readWavInt16(Path wav) throws IOException, UnsupportedAudioFileException {
        try (AudioInputStream ais = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = ais.getFormat();
            assertEquals(AudioFormat.Encoding.PCM_SIGNED, f.getEncoding());
            assertEquals(16, f.getSampleSizeInBits());
            assertEquals(1, f.getChannels());
            byte[] b;
            try (InputStream in = ais) {
                b = in.readAllBytes();
            }
            ByteBuffer bb = ByteBuffer.wrap(b).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            float[] y = new float[b.length / 2];
            for (int i = 0; i < y.length; i++) {
                y[i] = bb.getShort() / 32768f;
            }
            return y;
        }
    }
}
