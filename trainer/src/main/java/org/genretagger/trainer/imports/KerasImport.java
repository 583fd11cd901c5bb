package org.genretagger.trainer.imports;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.genretagger.plugin.library.SafeTagWriter;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.network.PretrainedNet;
import org.genretagger.plugin.model.WindowNormaliser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Imports one of musicnn's Keras networks ({@code MSD_musicnn.h5}, {@code MSD_vgg.h5}) into a DJL
 * model folder: {@code config.json} (the 50 MSD tags as labels, musicnn's front end), the weights,
 * and the licence notices found beside the {@code .h5}. Run once; the result ships in
 * {@code models/}.
 */
@Command(name = "import-keras", mixinStandardHelpOptions = true,
        description = "Import a pretrained musicnn Keras network (.h5) into a model folder.")
public final class KerasImport implements Callable<Integer> {
    /** The Million Song Dataset tags musicnn predicts, in output order. */
    public static final List<String> MSD_TAGS = List.of("rock", "pop", "alternative", "indie", "electronic",
            "female vocalists", "dance", "00s", "alternative rock", "jazz", "beautiful", "metal", "chillout",
            "male vocalists", "classic rock", "soul", "indie rock", "Mellow", "electronica", "80s", "folk", "90s",
            "chill", "instrumental", "punk", "oldies", "blues", "hard rock", "ambient", "acoustic", "experimental",
            "female vocalist", "guitar", "Hip-Hop", "70s", "party", "country", "easy listening", "sexy", "catchy",
            "funk", "electro", "heavy metal", "Progressive rock", "60s", "rnb", "indie pop", "sad", "House", "happy");

    @Parameters(paramLabel = "FILE.h5", description = "MSD_musicnn.h5 or MSD_vgg.h5")
    Path h5;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "model folder to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelConfig config = importKeras(h5, out);
        System.out.printf("%s: %s network imported to %s (sha256 %s)%n", h5, config.network, out, config.base.sha256());
        return 0;
    }

    /**
     * The config of a pretrained network's input: musicnn's front end at 16 kHz.
     *
     * @param network {@link PretrainedNet#MUSICNN} or {@link PretrainedNet#VGG}
     * @param labels the head's labels
     * @return the config, without base or weights
     */
    public static ModelConfig frontEnd(String network, List<String> labels) {
        ModelConfig c = new ModelConfig();
        c.network = network;
        c.labels = labels;
        c.genres = labels;
        c.sampleRate = 16000;
        c.nFft = 512;
        c.hopLength = 256;
        c.nMels = PretrainedNet.MELS;
        c.reflectPad = true;
        c.normalisation = WindowNormaliser.LOG10_FLOAT16;
        c.windowFrames = PretrainedNet.FRAMES;
        c.windowHopFrames = PretrainedNet.FRAMES;
        c.channels = List.of();
        c.dropout = 0;
        return c;
    }

    /**
     * @param h5 the Keras file
     * @param out the folder to write
     * @return the written config
     * @throws IOException if unreadable or not one of musicnn's networks
     */
    public static ModelConfig importKeras(Path h5, Path out) throws IOException {
        String name = h5.getFileName().toString().replaceFirst("\\.h5$", "");
        try (HdfFile f = new HdfFile(h5)) {
            String graph = String.valueOf(f.getAttribute("model_config").getData());
            String network = graph.contains("\"midend_conv1\"") ? PretrainedNet.MUSICNN
                    : graph.contains("\"1CNN\"") ? PretrainedNet.VGG : null;
            if (network == null) {
                throw new IOException(h5 + ": not one of musicnn's Keras networks (no midend_conv1 or 1CNN layer)");
            }
            ModelConfig config = frontEnd(network, MSD_TAGS);
            config.name = name;
            config.version = "musicnn_keras@ad6cfb8";
            config.weights = name + ".params";
            config.temperature = 1;
            try (GenreModel model = GenreModel.create(config)) {
                PretrainedNet net = (PretrainedNet) model.djlModel().getBlock();
                NDManager manager = model.djlModel().getNDManager();
                Group weights = (Group) f.getByPath("model_weights");
                // Every weight in the file goes somewhere, and every parameter gets one: a file of
                // another shape of network is refused, not half imported over random weights.
                Set<String> used = new HashSet<>();
                Set<String> missing = new TreeSet<>();
                for (Map.Entry<String, Block> e : net.baseLayers().entrySet()) {
                    load(manager, weights, e.getKey(), e.getValue(), h5, used, missing);
                }
                // The tag layer becomes the head on the embedding.
                load(manager, weights, PretrainedNet.MUSICNN.equals(network) ? "dense_1" : "output", net.head(), h5, used, missing);
                Set<String> unused = new TreeSet<>();
                datasets(weights, unused);
                unused.removeAll(used);
                if (!missing.isEmpty() || !unused.isEmpty()) {
                    throw new IOException(h5 + ": does not fit the " + network + " network:"
                            + (missing.isEmpty() ? "" : " no weights for " + String.join(", ", missing) + ";")
                            + (unused.isEmpty() ? "" : " weights not used: " + String.join(", ", unused) + ";"));
                }
                // Written into the config (the model's own): a model on this base is refused at load
                // unless its base arrays are these.
                config.base = new ModelConfig.BaseModel(name, "Quint-e/musicnn_keras@ad6cfb8 keras_checkpoints/" + h5.getFileName(),
                        SafeTagWriter.sha256(h5), net.baseSha256());
                model.save(out);
            }
            for (Path notice : List.of(h5.resolveSibling("LICENSE-musicnn.md"), h5.resolveSibling("LICENSE-musicnn_keras.md"))) {
                if (Files.exists(notice)) {
                    Files.copy(notice, out.resolve(notice.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return config;
        }
    }

    /** Every dataset under a group, by path. */
    private static void datasets(Group group, Set<String> out) {
        for (Node n : group.getChildren().values()) {
            if (n instanceof Dataset d) {
                out.add(d.getPath());
            } else if (n instanceof Group g) {
                datasets(g, out);
            }
        }
    }

    /**
     * Copies one Keras layer's weights into the DJL block of the same role, converting layouts.
     *
     * @param used gets the path of each dataset copied
     * @param missing gets {@code layer.parameter} of each of the block's parameters the file has no weights for
     */
    private static void load(NDManager manager, Group weights, String layer, Block block, Path h5, Set<String> used,
            Set<String> missing) throws IOException {
        Set<String> unset = new HashSet<>(block.getParameters().keys());
        Node node = weights.getChild(layer);
        if (!(node instanceof Group g) || !(g.getChild(layer) instanceof Group w)) {
            unset.forEach(p -> missing.add(layer + "." + p));
            return;
        }
        for (Node n : w.getChildren().values()) {
            if (!(n instanceof Dataset d)) {
                continue; // its datasets are reported as not used
            }
            String key = d.getName().replaceFirst("(_\\d+)?:0$", "");
            int[] dims = d.getDimensions();
            float[] flat = flatten(d.getData(), dims);
            NDArray a = manager.create(flat, new Shape(toLong(dims)));
            String target;
            switch (key) {
                case "kernel" -> {
                    // Keras: conv (kh, kw, in, out), dense (in, out); DJL: (out, in, kh, kw), (out, in).
                    a = dims.length == 4 ? a.transpose(3, 2, 0, 1) : a.transpose(1, 0);
                    target = "weight";
                }
                case "bias" -> target = "bias";
                case "gamma" -> target = "gamma";
                case "beta" -> target = "beta";
                case "moving_mean" -> target = "runningMean";
                case "moving_variance" -> target = "runningVar";
                default -> throw new IOException(h5 + ": unexpected weight " + d.getPath());
            }
            Parameter p = block.getParameters().get(target);
            if (p == null || !p.getArray().getShape().equals(a.getShape())) {
                throw new IOException(h5 + ": " + d.getPath() + " " + a.getShape() + " does not fit " + layer + "." + target
                        + (p == null ? "" : " " + p.getArray().getShape()));
            }
            if (!unset.remove(target)) {
                throw new IOException(h5 + ": " + d.getPath() + ": a second " + layer + "." + target);
            }
            p.getArray().set(a.toFloatArray());
            a.close();
            used.add(d.getPath());
        }
        unset.forEach(p -> missing.add(layer + "." + p));
    }

    static float[] flatten(Object data, int[] dims) {
        int total = 1;
        for (int d : dims) {
            total *= d;
        }
        float[] out = new float[total];
        int[] pos = {0};
        fill(data, out, pos);
        return out;
    }

    private static void fill(Object data, float[] out, int[] pos) {
        if (data instanceof float[] row) {
            System.arraycopy(row, 0, out, pos[0], row.length);
            pos[0] += row.length;
            return;
        }
        for (int i = 0; i < Array.getLength(data); i++) {
            fill(Array.get(data, i), out, pos);
        }
    }

    private static long[] toLong(int[] dims) {
        long[] l = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            l[i] = dims[i];
        }
        return l;
    }
}
