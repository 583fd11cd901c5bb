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
}
