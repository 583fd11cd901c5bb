package org.genretagger.plugin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenreModelTest {

    static ModelConfig tinyConfig() {
        ModelConfig c = new ModelConfig();
        c.labels = List.of("a", "b", "c");
        c.genres = List.of("A", "B", "C");
        c.nMels = 32;
        c.windowFrames = 32;
        c.windowHopFrames = 16;
        c.channels = List.of(4, 8);
        return c;
    }

    @Test
    void savedModelReloadsWithIdenticalOutputs(@TempDir Path dir) throws Exception {
        ModelConfig c = tinyConfig();
        float[] x = new float[3 * c.nMels * c.windowFrames];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[][] before;
        try (GenreModel m = GenreModel.create(c)) {
            before = m.probabilities(x, 3);
            m.save(dir);
        }
        try (GenreModel m = GenreModel.load(dir)) {
            float[][] after = m.probabilities(x, 3);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(before[i], after[i], 1e-6f);
                double sum = 0;
                for (float p : after[i]) {
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
    }

    @Test
    void theEmbeddingIsWhatTheClassifierLayerSeesAndTheWeightsAreIdentified(@TempDir Path dir) throws Exception {
        ModelConfig c = tinyConfig();
        float[] x = new float[2 * c.nMels * c.windowFrames];
        Random r = new Random(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        try (GenreModel m = GenreModel.create(c)) {
            m.save(dir);
        }
        try (GenreModel m = GenreModel.load(dir)) {
            float[][] e = m.embeddings(x, 2);
            float[][] logits = m.logits(x, 2);
            assertEquals(8, e[0].length, "the last block's channels, after global pooling");
            // The last layer is linear: logits = W e + b.
            ai.djl.nn.Block linear = m.djlModel().getBlock().getChildren().values().get(m.djlModel().getBlock().getChildren().size() - 1);
            float[] w = linear.getParameters().get("weight").getArray().toFloatArray();
            float[] b = linear.getParameters().get("bias").getArray().toFloatArray();
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < 3; k++) {
                    double s = b[k];
                    for (int j = 0; j < 8; j++) {
                        s += w[k * 8 + j] * e[i][j];
                    }
                    assertEquals(logits[i][k], s, 1e-4);
                }
            }
            String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(java.nio.file.Files.readAllBytes(dir.resolve(c.weights))));
            assertEquals(expected, m.weightsSha256());
        }
    }
}
