package org.genretagger.trainer.imports;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.genretagger.plugin.features.MelParameters;
import org.genretagger.plugin.library.SafeTagWriter;
import org.genretagger.plugin.network.EfficientAtNet;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.model.WindowNormaliser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Imports EfficientAT's {@code mn04_as.h5} (one dataset per PyTorch state-dict key) into a DJL model
 * folder: the config (AudioSet's 527 classes as labels, EfficientAT's front end), the weights, and
 * the licence notices found beside the {@code .h5}. The head is set to pass the AudioSet logits
 * through, so the folder classifies as the authors' network does. Every weight in the file must
 * find its layer and every layer its weights; anything else is refused. Run once; the result ships
 * in {@code models/}.
 */
@Command(name = "import-efficientat", mixinStandardHelpOptions = true,
        description = "Import EfficientAT's mn04_as network (.h5 of its PyTorch state dict) into a model folder.")
public final class EfficientAtImport implements Callable<Integer> {
    /** Where the authors' weights were published; the .h5 records the sha256 of that file. */
    static final String SOURCE = "nikih94/swch-audio-classification resources/mn04_as_mAP_432.pt";

    @Parameters(paramLabel = "FILE.h5", description = "mn04_as.h5")
    Path h5;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "model folder to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        ModelConfig config = importWeights(h5, out);
        System.out.printf("%s: %s imported to %s (sha256 %s)%n", h5, config.network, out, config.base.sha256());
        return 0;
    }

    /**
     * EfficientAT's input: 32 kHz, pre-emphasis 0.97, 1024-point STFT of an 800-sample symmetric Hann
     * window every 320 samples (reflect-padded), 128 Kaldi mel bands up to 15 kHz,
     * {@code (ln(x + 1e-5) + 4.5) / 5}; 10 s windows, as it was trained.
     *
     * @param labels the head's labels
     * @return the config, without base or weights
     */
    public static ModelConfig frontEnd(List<String> labels) {
        ModelConfig c = new ModelConfig();
        c.network = EfficientAtNet.EFFICIENTAT;
        c.labels = labels;
        c.genres = labels;
        c.sampleRate = 32000;
        c.nFft = 1024;
        c.winLength = 800;
        c.symmetricWindow = true;
        c.hopLength = 320;
        c.nMels = EfficientAtNet.MELS;
        c.fmin = 0;
        c.fmax = 15000;
        c.melScale = MelParameters.KALDI;
        c.preEmphasis = 0.97;
        c.reflectPad = true;
        c.normalisation = WindowNormaliser.LN_AFFINE;
        c.windowFrames = 1000;
        c.windowHopFrames = 1000;
        c.channels = List.of();
        c.dropout = 0;
        return c;
    }

    /**
     * @param csv AudioSet's {@code class_labels_indices.csv}
     * @return the 527 display names in index order
     * @throws IOException if unreadable or not 527 classes
     */
    static List<String> audioSetLabels(Path csv) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8).subList(1, EfficientAtNet.AUDIOSET_CLASSES + 1)) {
            // index,mid,"display name" (the name may hold commas)
            String name = line.substring(line.indexOf(',', line.indexOf(',') + 1) + 1);
            names.add(name.startsWith("\"") ? name.substring(1, name.length() - 1) : name);
        }
        return names;
    }

    /**
     * @param h5 the weights file
     * @param out the folder to write
     * @return the written config
     * @throws IOException if unreadable, or a weight is missing, unused or of the wrong shape
     */
    public static ModelConfig importWeights(Path h5, Path out) throws IOException {
        ModelConfig config = frontEnd(audioSetLabels(h5.resolveSibling("class_labels_indices.csv")));
        config.name = "mn04_as";
        config.version = "EfficientAT mn04_as mAP 0.432";
        config.weights = config.name + ".params";
        config.temperature = 1;
        try (HdfFile f = new HdfFile(h5); GenreModel model = GenreModel.create(config)) {
            EfficientAtNet net = (EfficientAtNet) model.djlModel().getBlock();
            Map<String, Dataset> weights = new TreeMap<>();
            for (Node n : f.getChildren().values()) {
                if (n instanceof Dataset d && !d.getName().endsWith("num_batches_tracked")) {
                    weights.put(d.getName(), d);
                }
            }
            TreeSet<String> missing = new TreeSet<>();
            for (Map.Entry<String, Block> layer : net.baseLayers().entrySet()) {
                for (var p : layer.getValue().getParameters()) {
                    String key = layer.getKey() + "." + torchName(p.getKey());
                    Dataset d = weights.remove(key);
                    if (d == null) {
                        missing.add(key);
                    } else {
                        set(p.getValue(), d, h5);
                    }
                }
            }
            if (!missing.isEmpty() || !weights.isEmpty()) {
                throw new IOException(h5 + ": not EfficientAT mn04_as: " + (missing.isEmpty() ? "" : "missing " + missing)
                        + (missing.isEmpty() || weights.isEmpty() ? "" : "; ") + (weights.isEmpty() ? "" : "unused " + weights.keySet()));
            }
            config.base = new ModelConfig.BaseModel(config.name, SOURCE, SafeTagWriter.sha256(h5), net.baseSha256());
            // The head passes the AudioSet logits through: weight [0 | I], bias 0.
            int d = net.evidenceSize();
            float[] identity = new float[EfficientAtNet.AUDIOSET_CLASSES * d];
            for (int k = 0; k < EfficientAtNet.AUDIOSET_CLASSES; k++) {
                identity[k * d + EfficientAtNet.EMBEDDING + k] = 1;
            }
            net.head().getParameters().get("weight").getArray().set(identity);
            net.head().getParameters().get("bias").getArray().set(new float[EfficientAtNet.AUDIOSET_CLASSES]);
            model.save(out);
        }
        for (String notice : List.of("LICENSE-EfficientAT.txt", "LICENSE-swch-audio-classification.txt")) {
            Path n = h5.resolveSibling(notice);
            if (Files.exists(n)) {
                Files.copy(n, out.resolve(notice), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return config;
    }

    /** DJL's parameter names in PyTorch's words. */
    private static String torchName(String djl) {
        return switch (djl) {
            case "gamma" -> "weight";
            case "beta" -> "bias";
            case "runningMean" -> "running_mean";
            case "runningVar" -> "running_var";
            default -> djl;
        };
    }

    private static void set(Parameter p, Dataset d, Path h5) throws IOException {
        Object data = d.getData();
        float[] flat = KerasImport.flatten(data, d.getDimensions());
        NDArray target = p.getArray();
        long[] dims = new long[d.getDimensions().length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = d.getDimensions()[i];
        }
        if (!target.getShape().equals(new Shape(dims))) {
            throw new IOException(h5 + ": " + d.getName() + " " + new Shape(dims) + " does not fit " + target.getShape());
        }
        target.set(flat);
    }
}
