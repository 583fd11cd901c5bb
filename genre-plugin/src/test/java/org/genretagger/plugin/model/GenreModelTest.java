package org.genretagger.plugin.model;

import org.genretagger.plugin.network.BaseNetwork;
import org.genretagger.plugin.network.TwoBaseNet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenreModelTest {
    /** The shipped model, and the imported bases beside it in {@code pretrained/}. */
    private static final Path MODELS = Path.of("../models");

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

    /** Every array of a pretrained network but its head's, by {@code layer.parameter}. */
    private static Map<String, float[]> baseArrays(GenreModel m) {
        return baseArrays((BaseNetwork) m.djlModel().getBlock());
    }

    private static Map<String, float[]> baseArrays(BaseNetwork net) {
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, Block> layer : net.baseLayers().entrySet()) {
            for (Pair<String, Parameter> p : layer.getValue().getParameters()) {
                arrays.put(layer.getKey() + "." + p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        return arrays;
    }

    @Test
    void theShippedModelsBaseArraysAreThoseOfTheImportedBaseItNames() throws Exception {
        ModelConfig shipped = ModelConfig.read(MODELS.resolve(GenreModel.CONFIG_FILE));
        assertNotNull(shipped.base, "the shipped model names the pretrained base its head was trained on");
        try (GenreModel model = GenreModel.load(MODELS);
                GenreModel base = GenreModel.load(MODELS.resolve("pretrained").resolve(shipped.base.name()))) {
            assertEquals(base.config().base, model.config().base, "the shipped config names the imported base as imported");
            if (model.djlModel().getBlock() instanceof TwoBaseNet two) {
                assertSameArrays(baseArrays(base), baseArrays(two.main()));
                try (GenreModel companion = GenreModel.load(MODELS.resolve("pretrained").resolve(shipped.companion.base.name()))) {
                    assertEquals(companion.config().base, model.config().companion.base, "the companion as imported");
                    Map<String, float[]> theirs = baseArrays(companion);
                    theirs.put("head.weight", headArray(companion, "weight"));
                    theirs.put("head.bias", headArray(companion, "bias"));
                    Map<String, float[]> ours = baseArrays(two.companion());
                    ours.put("head.weight", two.companion().head().getParameters().get("weight").getArray().toFloatArray());
                    ours.put("head.bias", two.companion().head().getParameters().get("bias").getArray().toFloatArray());
                    assertSameArrays(theirs, ours);
                }
            } else {
                assertSameArrays(baseArrays(base), baseArrays(model));
            }
        }
    }

    /** The imported companion's own output layer, which the shipped model keeps as evidence. */
    private static float[] headArray(GenreModel m, String name) {
        return ((BaseNetwork) m.djlModel().getBlock()).head().getParameters().get(name).getArray().toFloatArray();
    }

    private static void assertSameArrays(Map<String, float[]> theirs, Map<String, float[]> ours) {
        assertEquals(theirs.keySet(), ours.keySet());
        for (String k : theirs.keySet()) {
            assertArrayEquals(theirs.get(k), ours.get(k), "base array " + k);
        }
    }

    @Test
    void baseWeightsOtherThanTheNamedOnesAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        try (GenreModel m = GenreModel.load(MODELS)) {
            // One value of one base array changed, the config (and its digest) left as it was.
            // The first base layer of whichever base the shipped model stands on.
            Block first = ((BaseNetwork) m.djlModel().getBlock()).baseLayers().values().iterator().next();
            NDArray a = first.getParameters().get(0).getValue().getArray();
            float[] v = a.toFloatArray();
            v[v.length / 2] += 0.01f;
            a.set(v);
            m.save(dir);
        }
        Path weights = dir.resolve(ModelConfig.read(dir.resolve(GenreModel.CONFIG_FILE)).weights);
        IOException e = assertThrows(IOException.class, () -> GenreModel.load(dir));
        assertTrue(e.getMessage().startsWith(weights + ": the base arrays in this file") && e.getMessage().contains("are not those of base"),
                e.getMessage());
    }
}
