package org.genretagger.plugin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.genretagger.plugin.analysis.TrackAnalyzer;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.plugin.features.LogMel;
import org.genretagger.plugin.features.Npy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ported musicnn networks against reference outputs of an independent port of the Keras
 * originals (test resources {@code musicnn/}, copied from the shared fixtures): the input our
 * front end computes, then the embedding and tag probabilities the shipped pretrained weights
 * give for the reference input, within the tolerances the fixtures' README suggests.
 */
class PretrainedNetTest {
    private static final Path FIXTURES = Path.of("src/test/resources/musicnn");
    private static final Path PRETRAINED = Path.of("../models/pretrained");

    @ParameterizedTest
    @CsvSource({"band", "sweep"})
    void frontEndMatchesMusicnnInput(String clip) throws Exception {
        ModelConfig config = ModelConfig.read(PRETRAINED.resolve("MSD_musicnn/config.json"));
        float[] samples = AudioDecoder.decodeAll(FIXTURES.resolve(clip + ".wav"), config.sampleRate);
        float[][] mel = new LogMel(TrackAnalyzer.melParameters(config)).melPower(samples);
        float[][] frames = transpose(mel);
        float[][] expected = Npy.read(FIXTURES.resolve(clip + ".input.npy")); // (patches * 187, 96)
        int patches = expected.length / config.windowFrames;
        assertEquals(2, patches);
        float[] window = new float[config.nMels * config.windowFrames];
        double worst = 0;
        for (int p = 0; p < patches; p++) {
            WindowNormaliser.normalise(config, frames, p * config.windowFrames, config.windowFrames, window, 0);
            for (int t = 0; t < config.windowFrames; t++) {
                for (int m = 0; m < config.nMels; m++) {
                    worst = Math.max(worst, Math.abs(window[m * config.windowFrames + t] - expected[p * config.windowFrames + t][m]));
                }
            }
        }
        assertTrue(worst <= 1e-3, clip + ": input differs by " + worst);
    }

    @ParameterizedTest
    @CsvSource({"band, MSD_musicnn", "sweep, MSD_musicnn", "band, MSD_vgg", "sweep, MSD_vgg"})
    void embeddingAndTagsMatchReference(String clip, String network) throws Exception {
        float[][] input = Npy.read(FIXTURES.resolve(clip + ".input.npy"));
        float[][] refEmb = Npy.read(FIXTURES.resolve(clip + "." + network + ".emb.npy"));
        float[][] refProb = Npy.read(FIXTURES.resolve(clip + "." + network + ".prob.npy"));
        try (GenreModel model = GenreModel.load(PRETRAINED.resolve(network))) {
            ModelConfig c = model.config();
            int patches = refEmb.length;
            float[] windows = new float[patches * c.nMels * c.windowFrames];
            for (int p = 0; p < patches; p++) {
                for (int t = 0; t < c.windowFrames; t++) {
                    for (int m = 0; m < c.nMels; m++) {
                        windows[(p * c.nMels + m) * c.windowFrames + t] = input[p * c.windowFrames + t][m];
                    }
                }
            }
            float[][] logits = model.logits(windows, patches);
            float[][] emb = model.embeddings(windows, patches);
            double maxEmb = 0;
            for (float[] row : refEmb) {
                for (float v : row) {
                    maxEmb = Math.max(maxEmb, Math.abs(v));
                }
            }
            for (int p = 0; p < patches; p++) {
                assertEquals(refEmb[p].length, emb[p].length);
                for (int k = 0; k < emb[p].length; k++) {
                    assertEquals(refEmb[p][k], emb[p][k], 1e-3 * maxEmb, network + " embedding " + p + "," + k);
                }
                for (int k = 0; k < logits[p].length; k++) {
                    double prob = 1 / (1 + Math.exp(-logits[p][k]));
                    assertEquals(refProb[p][k], prob, 1e-4, network + " tag " + k);
                }
            }
        }
    }

    private static float[][] transpose(float[][] mel) {
        float[][] t = new float[mel[0].length][mel.length];
        for (int m = 0; m < mel.length; m++) {
            for (int i = 0; i < mel[m].length; i++) {
                t[i][m] = mel[m][i];
            }
        }
        return t;
    }
}
