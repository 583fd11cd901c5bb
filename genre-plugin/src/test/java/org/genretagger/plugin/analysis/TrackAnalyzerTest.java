package org.genretagger.plugin.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.genretagger.api.Analysis;
import org.genretagger.api.TrackPrediction;
import org.genretagger.api.WindowPrediction;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.plugin.features.LogMel;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.model.WindowNormaliser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyzer's shortcuts (frames outside sampled windows skipped, seeking to sampled windows,
 * windows batched across tracks) must give what the plain computation gives: the whole log-mel
 * spectrogram, cut into the planned windows, each run through the model on its own.
 */
class TrackAnalyzerTest {
    private static final Path FIXTURES = Path.of("src/test/resources/audio");

    @TempDir
    static Path dir;

    private static GenreModel model;
    private static TrackAnalyzer analyzer;

    @BeforeAll
    static void setUp() {
        ModelConfig c = new ModelConfig();
        c.labels = List.of("a", "b", "c", "d");
        c.genres = List.of("A", "B", "C", "D");
        c.nMels = 32;
        c.windowFrames = 32;
        c.windowHopFrames = 16;
        c.channels = List.of(4, 8);
        model = GenreModel.create(c);
        analyzer = new TrackAnalyzer(model);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    @Test
    void sampledWindowsAreSpreadOverTheTrackAndAvoidItsEdges() {
        // 10 000 frames, windows of 128: starts 0 to 9872, cut into 5 slices of 1974.4 frames, a
        // window starting at the centre of each (987.2, 2961.6, 4936, 6910.4, 8884.8), rounded.
        assertArrayEquals(new int[] {987, 2962, 4936, 6910, 8885}, WindowPlan.starts(10_000, 128, 64, 5));
        // 30 s of musicnn input (1875 frames of 187, hop 187): starts 0 to 1688, 2 slices of 844.
        assertArrayEquals(new int[] {422, 1266}, WindowPlan.starts(1875, 187, 187, 2));
        // Asking for more windows than the track has gives every window.
        assertArrayEquals(new int[] {0, 64, 128}, WindowPlan.starts(256, 128, 64, 10));
        assertArrayEquals(new int[] {0}, WindowPlan.starts(50, 128, 64, 4), "a short track gets one window");
    }

    @Test
    void fullAnalysisHasAWindowEveryHopThatFitsInTheTrack() {
        // 300 frames: windows at 0, 64 and 128 fit (the last ends at 256); one at 192 would end at 320.
        assertArrayEquals(new int[] {0, 64, 128}, WindowPlan.starts(300, 128, 64, 0));
        assertArrayEquals(new int[] {0, 187, 374, 561, 748, 935, 1122, 1309, 1496, 1683}, WindowPlan.starts(1875, 187, 187, 0));
        assertArrayEquals(new int[] {0}, WindowPlan.starts(128, 128, 64, 0), "exactly one window");
        assertArrayEquals(new int[] {0}, WindowPlan.starts(50, 128, 64, 0), "a short track gets one window");
    }

    @Test
    void seekingToSampledWindowsGivesTheWindowsOfTheWholeSpectrogram() throws Exception {
        Path wav = sweep(dir.resolve("sweep-seek.wav"), 20, 1);
        TrackAnalyzer.Analyzed a = analyzer.analyzeTrack(wav, new Analysis(5), null, Long.MAX_VALUE, true);
        assertNull(a.audio(), "a seeking analysis decodes only parts, so it has no digest");
        assertMatchesReference(wav, a.prediction(), 5, 2e-3);
    }

    @Test
    void decodingWholeButTransformingOnlySampledWindowsGivesTheSameWindows() throws Exception {
        Path wav = sweep(dir.resolve("sweep-whole.wav"), 20, 2);
        TrackAnalyzer.Analyzed a = analyzer.analyzeTrack(wav, new Analysis(5), null, Long.MAX_VALUE, false);
        assertEquals(AudioDigest.of(wav, model.config().sampleRate), a.audio(), "the digest covers every decoded sample");
        assertMatchesReference(wav, a.prediction(), 5, 1e-5);
    }

    @Test
    void fullAnalysisClassifiesEveryHop() throws Exception {
        Path wav = sweep(dir.resolve("sweep-full.wav"), 8, 3);
        TrackAnalyzer.Analyzed a = analyzer.analyzeTrack(wav, Analysis.FULL, null, Long.MAX_VALUE);
        assertNotNull(a.audio());
        assertMatchesReference(wav, a.prediction(), 0, 1e-5);
    }

    @Test
    void lossyAndLosslessFormatsSampledBySeekingStayCloseToWholeDecoding() throws Exception {
        for (String f : new String[] {"tone.flac", "tone.mp3", "tone-alac.m4a", "tone.ogg"}) {
            Path file = FIXTURES.resolve(f);
            TrackPrediction seek = analyzer.analyzeTrack(file, new Analysis(3), null, Long.MAX_VALUE, true).prediction();
            TrackPrediction whole = analyzer.analyzeTrack(file, new Analysis(3), null, Long.MAX_VALUE, false).prediction();
            assertEquals(whole.timeline().size(), seek.timeline().size(), f);
            for (int i = 0; i < seek.timeline().size(); i++) {
                WindowPrediction s = seek.timeline().get(i);
                WindowPrediction w = whole.timeline().get(i);
                assertEquals(w.startSeconds(), s.startSeconds(), 1e-9, f + " window " + i);
                for (int k = 0; k < s.probabilities().size(); k++) {
                    // MP3 seeks land within about 18 ms; the others exactly.
                    assertEquals(w.probabilities().get(k), s.probabilities().get(k), f.endsWith(".mp3") ? 0.05 : 2e-3, f + " window " + i);
                }
            }
        }
    }

    @Test
    void windowsBatchedAcrossTracksGiveTheSameProbabilitiesAsOneTrackAtATime() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            files.add(sweep(dir.resolve("batch-" + i + ".wav"), 4 + i, 10 + i));
        }
        List<TrackPrediction> alone = new ArrayList<>();
        for (Path f : files) {
            alone.add(analyzer.analyze(f, Analysis.FULL, null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                List<Future<TrackPrediction>> together = new ArrayList<>();
                for (Path f : files) {
                    together.add(pool.submit(() -> analyzer.analyze(f, Analysis.FULL, null)));
                }
                for (int i = 0; i < files.size(); i++) {
                    assertSamePrediction(alone.get(i), together.get(i).get(), 1e-5);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- helpers ----

    /** The plain computation: whole log-mel, planned windows, one forward pass per window. */
    private static void assertMatchesReference(Path file, TrackPrediction p, int sample, double tol) throws IOException {
        ModelConfig c = model.config();
        float[] y = AudioDecoder.decodeAll(file, c.sampleRate);
        float[][] mel = new LogMel(TrackAnalyzer.melParameters(c)).melPower(y);
        int frames = mel[0].length;
        int[] starts = WindowPlan.starts(frames, c.windowFrames, c.windowHopFrames, sample);
        assertEquals(starts.length, p.timeline().size(), "windows");
        double[] mean = new double[c.numClasses()];
        for (int i = 0; i < starts.length; i++) {
            float[][] w = new float[c.windowFrames][c.nMels];
            for (int t = 0; t < c.windowFrames; t++) {
                for (int m = 0; m < c.nMels; m++) {
                    w[t][m] = mel[m][starts[i] + t];
                }
            }
            float[] x = new float[c.nMels * c.windowFrames];
            WindowNormaliser.normalise(c, w, 0, c.windowFrames, x, 0);
            float[] expected = model.probabilities(x, 1)[0];
            WindowPrediction got = p.timeline().get(i);
            assertEquals((double) starts[i] * c.hopLength / c.sampleRate, got.startSeconds(), 1e-9, "start of window " + i);
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], got.probabilities().get(k), tol, "window " + i + " class " + k);
                mean[k] += expected[k] / starts.length;
            }
        }
        for (var g : p.genres()) {
            int k = c.labels.indexOf(g.label());
            assertEquals(mean[k], g.probability(), tol, "track probability of " + g.label());
        }
    }

    private static void assertSamePrediction(TrackPrediction a, TrackPrediction b, double tol) {
        assertEquals(a.timeline().size(), b.timeline().size());
        for (int i = 0; i < a.timeline().size(); i++) {
            assertEquals(a.timeline().get(i).startSeconds(), b.timeline().get(i).startSeconds(), 1e-9);
            for (int k = 0; k < a.timeline().get(i).probabilities().size(); k++) {
                assertEquals(a.timeline().get(i).probabilities().get(k), b.timeline().get(i).probabilities().get(k), tol);
            }
        }
        for (int k = 0; k < a.genres().size(); k++) {
            assertEquals(a.genres().get(k).label(), b.genres().get(k).label());
            assertEquals(a.genres().get(k).probability(), b.genres().get(k).probability(), tol);
        }
    }

    /** A 16-bit stereo 44.1 kHz WAV whose every window differs: a chirp, beats and noise bursts. */
    static Path sweep(Path file, double seconds, long seed) throws IOException {
        int sr = 44100;
        int n = (int) (seconds * sr);
        Random r = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(44 + n * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + n * 4).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 2).putInt(sr).putInt(sr * 4)
                .putShort((short) 4).putShort((short) 16);
        b.put("data".getBytes()).putInt(n * 4);
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) i / sr;
            double f = 200 + 3000 * (0.5 + 0.5 * Math.sin(2 * Math.PI * t / (3.7 + seed)));
            phase += 2 * Math.PI * f / sr;
            double beat = (t * 2.3) % 1.0 < 0.1 ? r.nextGaussian() * 0.3 : 0;
            double v = 0.4 * Math.sin(phase) * (0.6 + 0.4 * Math.sin(2 * Math.PI * t * 0.9)) + beat + 0.01 * r.nextGaussian();
            short s = (short) Math.round(Math.max(-1, Math.min(1, v)) * 32000);
            b.putShort(s).putShort((short) (s / 2));
        }
        Files.write(file, b.array());
        return file;
    }
}
