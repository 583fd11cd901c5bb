package org.genretagger.plugin.network;

import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.model.GenreModel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A model on two bases (trainer {@code --companion}): what its head reads must be exactly the
 * imported main base's evidence on the window, followed by the imported companion's embedding and
 * own outputs averaged over the patches laid out after the window.
 */
class TwoBaseNetTest {
    private static final Path MODELS = Path.of("../models");

    @Test
    void theHeadReadsBothImportedBasesOnTheirPartsOfTheInput() throws Exception {
        try (GenreModel main = GenreModel.load(MODELS.resolve("pretrained/mn04_as"));
                GenreModel companion = GenreModel.load(MODELS.resolve("pretrained/MSD_musicnn"))) {
            ModelConfig config = main.config().copy();
            config.labels = java.util.List.of("a", "b", "c");
            config.genres = java.util.List.of("A", "B", "C");
            config.companion = companion.config().copy();
            config.companionPatches = 3;
            ModelConfig c = config.companion;
            try (GenreModel shipped = GenreModel.onTwoBases(config, main, companion)) {
                assertEquals(config.nMels * config.windowFrames + 3 * c.nMels * c.windowFrames, config.inputSize());
                int windows = 2;
                int mainSize = config.nMels * config.windowFrames;
                int patchSize = c.nMels * c.windowFrames;
                int patches = config.companionPatches;
                float[] input = new float[windows * config.inputSize()];
                Random rng = new Random(5);
                for (int i = 0; i < input.length; i++) {
                    input[i] = (float) rng.nextGaussian();
                }
                float[][] evidence = shipped.embeddings(input, windows);
                for (int w = 0; w < windows; w++) {
                    int row = w * config.inputSize();
                    float[] window = java.util.Arrays.copyOfRange(input, row, row + mainSize);
                    float[] expectedMain = main.embeddings(window, 1)[0];
                    float[] patchInput = java.util.Arrays.copyOfRange(input, row + mainSize, row + config.inputSize());
                    float[][] emb = companion.embeddings(patchInput, patches);
                    float[][] own = companion.logits(patchInput, patches);
                    int d = emb[0].length + own[0].length;
                    assertEquals(expectedMain.length + d, evidence[w].length, "evidence length");
                    double worst = 0;
                    for (int k = 0; k < expectedMain.length; k++) {
                        worst = Math.max(worst, Math.abs(evidence[w][k] - expectedMain[k]) / (1 + Math.abs(expectedMain[k])));
                    }
                    for (int k = 0; k < d; k++) {
                        double mean = 0;
                        for (int p = 0; p < patches; p++) {
                            mean += k < emb[p].length ? emb[p][k] : own[p][k - emb[p].length];
                        }
                        mean /= patches;
                        worst = Math.max(worst, Math.abs(evidence[w][expectedMain.length + k] - mean) / (1 + Math.abs(mean)));
                    }
                    assertTrue(worst < 1e-4, "window " + w + ": evidence differs from the bases' by " + worst);
                    assertEquals(patchSize * patches, patchInput.length);
                }
            }
        }
    }
}
