package org.genretagger.trainer.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.network.PretrainedNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import-keras} on small Keras-shaped HDF5 files written here with jhdf: a VGG file with
 * every weight (known values in Keras layouts) imports, each weight landing where the network
 * reads it; a file with a weight more, or one less, than the network has is refused, naming it.
 */
class KerasImportTest {
    /** Keras weight names of DJL parameters. */
    private static final Map<String, String> KERAS = Map.of("weight", "kernel", "bias", "bias", "gamma", "gamma", "beta", "beta",
            "runningMean", "moving_mean", "runningVar", "moving_variance");

    /** The value written at a flat Keras-layout index of a layer's weight: distinct, small. */
    private static float value(int layer, int weight, int i) {
        return (float) Math.sin(1 + layer * 7 + weight * 13 + i * 0.001);
    }

    /**
     * Writes a VGG weights file as Keras saves one ({@code model_weights/LAYER/LAYER/NAME:0}, kernels
     * {@code (kh, kw, in, out)} or {@code (in, out)}), with shapes from the network itself.
     *
     * @param extra a dataset path under {@code model_weights} to add, or null
     * @param drop a dataset path under {@code model_weights} to leave out, or null
     */
    private static Path writeVgg(Path h5, String extra, String drop) throws IOException {
        Map<String, Block> layers = new LinkedHashMap<>();
        try (GenreModel m = GenreModel.create(KerasImport.frontEnd(PretrainedNet.VGG, KerasImport.MSD_TAGS))) {
            PretrainedNet net = (PretrainedNet) m.djlModel().getBlock();
            layers.putAll(net.baseLayers());
            layers.put("output", net.head());
            try (WritableHdfFile f = HdfFile.write(h5)) {
                f.putAttribute("model_config", "{\"class_name\": \"Model\", \"config\": {\"layers\": [{\"name\": \"1CNN\"}]}}");
                WritableGroup weights = f.putGroup("model_weights");
                int l = 0;
                for (Map.Entry<String, Block> layer : layers.entrySet()) {
                    WritableGroup g = weights.putGroup(layer.getKey()).putGroup(layer.getKey());
                    int w = 0;
                    for (Pair<String, Parameter> p : layer.getValue().getParameters()) {
                        String name = KERAS.get(p.getKey()) + ":0";
                        if (!(layer.getKey() + "/" + layer.getKey() + "/" + name).equals(drop)) {
                            g.putDataset(name, kerasArray(p.getValue().getArray().getShape().getShape(), l, w));
                        }
                        w++;
                    }
                    l++;
                }
                if (extra != null) {
                    String[] parts = extra.split("/");
                    weights.putGroup(parts[0]).putGroup(parts[1]).putDataset(parts[2], new float[] {1, 2, 3});
                }
            }
        }
        return h5;
    }

    /** A Java array in Keras layout for a DJL shape, filled by {@link #value}. */
    private static Object kerasArray(long[] djl, int layer, int weight) {
        int[] dims = djl.length == 4 ? new int[] {(int) djl[2], (int) djl[3], (int) djl[1], (int) djl[0]}
                : djl.length == 2 ? new int[] {(int) djl[1], (int) djl[0]} : new int[] {(int) djl[0]};
        Object a = Array.newInstance(float.class, dims);
        fill(a, layer, weight, new int[] {0});
        return a;
    }

    private static void fill(Object a, int layer, int weight, int[] i) {
        if (a instanceof float[] row) {
            for (int k = 0; k < row.length; k++) {
                row[k] = value(layer, weight, i[0]++);
            }
            return;
        }
        for (int k = 0; k < Array.getLength(a); k++) {
            fill(Array.get(a, k), layer, weight, i);
        }
    }

    @Test
    void aCompleteFileImportsEveryWeightIntoItsPlace(@TempDir Path dir) throws Exception {
        Path h5 = writeVgg(dir.resolve("tiny_vgg.h5"), null, null);
        Path out = dir.resolve("out");
        KerasImport.importKeras(h5, out);
        try (GenreModel m = GenreModel.load(out)) { // also checks the recorded digest of the base arrays
            PretrainedNet net = (PretrainedNet) m.djlModel().getBlock();
            assertEquals(PretrainedNet.VGG, m.config().network);
            assertEquals("tiny_vgg", m.config().base.name());
            // 2CNN (layer 3: bn_input, 1CNN, bn_conv1, 2CNN) kernel: Keras (kh, kw, in, out) = (3, 3, 128, 128);
            // Keras [1][2][5][7] is flat index ((1 * 3 + 2) * 128 + 5) * 128 + 7, DJL (out, in, kh, kw) [7][5][1][2].
            float[] djl = net.baseLayers().get("2CNN").getParameters().get("weight").getArray().toFloatArray();
            assertEquals(value(3, 0, ((1 * 3 + 2) * 128 + 5) * 128 + 7), djl[((7 * 128 + 5) * 3 + 1) * 3 + 2]);
            // The head (Keras "output", after bn_input, 5 × (conv, bn)): dense kernel (in 256, out 50), DJL (50, 256).
            float[] head = net.head().getParameters().get("weight").getArray().toFloatArray();
            assertEquals(value(11, 0, 200 * 50 + 3), head[3 * 256 + 200]);
            float[] var = net.baseLayers().get("bn_conv5").getParameters().get("runningVar").getArray().toFloatArray();
            assertEquals(value(10, 3, 17), var[17]);
        }
    }

    @Test
    void aFileWithAWeightTheNetworkDoesNotHaveIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path h5 = writeVgg(dir.resolve("tiny_vgg.h5"), "dense_9/dense_9/kernel:0", null);
        IOException e = assertThrows(IOException.class, () -> KerasImport.importKeras(h5, dir.resolve("out")));
        assertTrue(e.getMessage().startsWith(h5.toString()) && e.getMessage().contains("weights not used: /model_weights/dense_9/dense_9/kernel:0"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void aFileMissingAWeightIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path h5 = writeVgg(dir.resolve("tiny_vgg.h5"), null, "bn_conv3/bn_conv3/moving_variance:0");
        IOException e = assertThrows(IOException.class, () -> KerasImport.importKeras(h5, dir.resolve("out")));
        assertTrue(e.getMessage().startsWith(h5.toString()) && e.getMessage().contains("no weights for bn_conv3.runningVar"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }
}
