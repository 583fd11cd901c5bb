package org.genretagger.plugin.network;

import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.WindowNormaliser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.genretagger.plugin.analysis.TrackAnalyzer;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.plugin.features.LogMel;
import org.genretagger.plugin.features.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The EfficientAT mn04_as port against the authors' PyTorch outputs (test resources
 * {@code efficientat/}, copied from the shared fixtures): our front end against their network input,
 * then, from their input, every stage, the embedding and the AudioSet logits of the shipped imported
 * weights. Tolerances sit a small factor above float32 rounding, so one wrong constant (an epsilon,
 * the pre-emphasis, a window length) fails.
 */
class EfficientAtNetTest {
    private static final Path FIXTURES = Path.of("src/test/resources/efficientat");
    private static final Path BASE = Path.of("../models/pretrained/mn04_as");

    @ParameterizedTest
    @CsvSource({"music-like", "sweep-noise"})
    void frontEndMatchesTheAuthorsInput(String clip) throws Exception {
        ModelConfig config = ModelConfig.read(BASE.resolve(GenreModel.CONFIG_FILE));
        float[] samples = AudioDecoder.decodeAll(FIXTURES.resolve(clip + ".wav"), config.sampleRate);
        float[][] mel = new LogMel(TrackAnalyzer.melParameters(config)).melPower(samples);
        float[][] expected = Npy.read(FIXTURES.resolve(clip + "-mel.npy")); // (128, 1000)
        assertEquals(expected.length, mel.length);
        assertEquals(expected[0].length, mel[0].length, "frames");
        float[] window = new float[config.nMels * config.windowFrames];
        WindowNormaliser.normalise(config, transpose(mel), 0, config.windowFrames, window, 0);
        double worst = 0;
        for (int m = 0; m < config.nMels; m++) {
            for (int t = 0; t < config.windowFrames; t++) {
                worst = Math.max(worst, Math.abs(window[m * config.windowFrames + t] - expected[m][t]));
            }
        }
        System.out.printf("%s front end: max |diff| %.3g%n", clip, worst);
        assertTrue(worst < 3e-4, clip + ": front end differs by " + worst);
    }

    @ParameterizedTest
    @CsvSource({"music-like", "sweep-noise"})
    void embeddingAndLogitsMatchTheAuthors(String clip) throws Exception {
        float[][] evidence = run(clip, null);
        float[] embedding = Npy.read(FIXTURES.resolve(clip + "-embedding.npy"))[0];
        float[] logits = Npy.read(FIXTURES.resolve(clip + "-logits.npy"))[0];
        assertEquals(EfficientAtNet.EMBEDDING, embedding.length);
        assertEquals(EfficientAtNet.AUDIOSET_CLASSES, logits.length);
        double embWorst = 0;
        for (int i = 0; i < embedding.length; i++) {
            embWorst = Math.max(embWorst, Math.abs(evidence[0][i] - embedding[i]));
        }
        double logitWorst = 0;
        for (int k = 0; k < logits.length; k++) {
            logitWorst = Math.max(logitWorst, Math.abs(evidence[0][EfficientAtNet.EMBEDDING + k] - logits[k]));
        }
        System.out.printf("%s: embedding max |diff| %.3g, logits %.3g%n", clip, embWorst, logitWorst);
        assertTrue(embWorst < 1e-4, clip + ": embedding differs by " + embWorst);
        assertTrue(logitWorst < 1e-4, clip + ": logits differ by " + logitWorst);
    }

    @Test
    void everyStageMatchesTheAuthors() throws Exception {
        try (ZipFile npz = new ZipFile(FIXTURES.resolve("music-like-stages.npz").toFile())) {
            run("music-like", (i, ours) -> {
                ZipEntry e = npz.getEntry("features." + i + ".npy");
                float[][] ref;
                try (InputStream in = npz.getInputStream(e)) {
                    ref = Npy.read(in); // (channels * mel, frames)
                }
                int cols = ref[0].length;
                double worst = 0;
                double scale = 0;
                for (int r = 0; r < ref.length; r++) {
                    for (int c = 0; c < cols; c++) {
                        worst = Math.max(worst, Math.abs(ours[r * cols + c] - ref[r][c]));
                        scale = Math.max(scale, Math.abs(ref[r][c]));
                    }
                }
                assertEquals(ref.length * cols, ours.length, "features." + i + " size");
                assertTrue(worst <= 1e-5 * Math.max(1, scale), "features." + i + " differs by " + worst + " (max " + scale + ")");
            });
        }
    }

    @Test
    void theHeadOfTheImportedBasePassesTheAudioSetLogitsThrough() throws Exception {
        try (GenreModel base = GenreModel.load(BASE)) {
            float[][] mel = Npy.read(FIXTURES.resolve("music-like-mel.npy"));
            float[] window = new float[mel.length * mel[0].length];
            for (int m = 0; m < mel.length; m++) {
                System.arraycopy(mel[m], 0, window, m * mel[0].length, mel[0].length);
            }
            float[] logits = Npy.read(FIXTURES.resolve("music-like-logits.npy"))[0];
            float[][] ours = base.logits(window, 1);
            assertEquals(logits.length, ours[0].length);
            for (int k = 0; k < logits.length; k++) {
                assertEquals(logits[k], ours[0][k], 1e-4, "class " + k);
            }
        }
    }

    /** Receives one stage's output, flattened. */
    private interface StageCheck {
        void check(int index, float[] output) throws Exception;
    }

    /** Runs the imported base on the authors' input for the clip; returns the evidence. */
    private static float[][] run(String clip, StageCheck stages) throws Exception {
        try (GenreModel base = GenreModel.load(BASE); NDManager m = base.djlModel().getNDManager().newSubManager()) {
            float[][] mel = Npy.read(FIXTURES.resolve(clip + "-mel.npy"));
            float[] flat = new float[mel.length * mel[0].length];
            for (int i = 0; i < mel.length; i++) {
                System.arraycopy(mel[i], 0, flat, i * mel[0].length, mel[0].length);
            }
            NDArray x = m.create(flat, new Shape(1, 1, mel.length, mel[0].length));
            EfficientAtNet net = (EfficientAtNet) base.djlModel().getBlock();
            List<NDArray> out = GenreModel.withOwnClassLoader(() -> net.stages(new ParameterStore(m, false), x));
            if (stages != null) {
                for (int i = 0; i < out.size() - 1; i++) {
                    stages.check(i, out.get(i).toFloatArray());
                }
            }
            return new float[][] {out.get(out.size() - 1).toFloatArray()};
        }
    }

    private static float[][] transpose(float[][] mel) {
        float[][] frames = new float[mel[0].length][mel.length];
        for (int m = 0; m < mel.length; m++) {
            for (int t = 0; t < mel[0].length; t++) {
                frames[t][m] = mel[m][t];
            }
        }
        return frames;
    }
}
