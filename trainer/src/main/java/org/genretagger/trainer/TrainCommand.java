package org.genretagger.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.genretagger.api.Analysis;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.trainer.augment.Augmenter;
import org.genretagger.trainer.pretrained.HeadRecipe;
import org.genretagger.trainer.data.Dataset;
import org.genretagger.trainer.data.FeatureCache;
import org.genretagger.plugin.evaluation.Calibration;
import org.genretagger.trainer.report.Charts;
import org.genretagger.plugin.evaluation.ConfidenceThreshold;
import org.genretagger.trainer.report.EpochLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a model from labelled audio and writes it, calibrated, with its report: one command from
 * a data folder to what the plugin ships.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the genre CNN on DIR/<genre>/<clip>.<ext> and write config.json, weights and REPORT.md to --out.")
final class TrainCommand implements Callable<Integer> {
    /** Display names for GTZAN's labels; other labels are capitalised. */
    static final java.util.Map<String, String> GTZAN_NAMES = java.util.Map.of("blues", "Blues", "classical", "Classical",
            "country", "Country", "disco", "Disco", "hiphop", "Hip-Hop", "jazz", "Jazz", "metal", "Metal", "pop", "Pop",
            "reggae", "Reggae", "rock", "Rock");
    /** Windows per track tried for the speed/accuracy curve; 0 is full analysis. */
    static final int[] SAMPLE_CURVE = {1, 2, 4, 6, 8, 12, 16, 0};

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "folder of <genre>/<clip>.<ext> (GTZAN layout)")
    Path data;

    @Option(names = "--train", paramLabel = "LIST", description = "training clips, one genre/clip a line")
    Path trainList;

    @Option(names = "--valid", paramLabel = "LIST", description = "validation clips, one genre/clip a line")
    Path validList;

    @Option(names = "--split", paramLabel = "random", description = "'random': a seeded stratified 80/20 split by track instead of lists")
    String split;

    @Option(names = "--seed", defaultValue = "42", description = "seed for the split, augmentation and sampling (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the model and its report go, e.g. models/")
    Path out;

    @Option(names = "--work", paramLabel = "DIR", description = "checkpoints and feature cache (default ~/.cache/genre-tagger/trainer/<out name>)")
    Path work;

    @Option(names = "--epochs", defaultValue = "40", description = "maximum epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--patience", defaultValue = "10", description = "early stopping patience in epochs (default ${DEFAULT-VALUE})")
    int patience;

    @Option(names = "--batch", defaultValue = "32", description = "batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "0.001", description = "initial learning rate (default ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--variants", defaultValue = "4", description = "augmented variants per clip (default ${DEFAULT-VALUE})")
    int variants;

    @Option(names = "--balance", defaultValue = "0.5", description = "class balancing: 0 natural, 0.5 square root, 1 uniform (default ${DEFAULT-VALUE})")
    double balance;

    @Option(names = "--window-frames", defaultValue = "128", description = "frames per window (default ${DEFAULT-VALUE}, 2.97 s)")
    int windowFrames;

    @Option(names = "--hop-frames", defaultValue = "64", description = "frames between windows (default ${DEFAULT-VALUE}, 50 %% overlap)")
    int hopFrames;

    @Option(names = "--channels", defaultValue = "16,32,64,128", split = ",", description = "channels per conv block (default ${DEFAULT-VALUE})")
    List<Integer> channels;

    @Option(names = "--dropout", defaultValue = "0.3", description = "dropout before the classifier (default ${DEFAULT-VALUE})")
    double dropout;

    @Option(names = "--threads", defaultValue = "0", description = "feature workers; 0 for one per core")
    int threads;

    @Option(names = "--name", defaultValue = "gtzan-cnn", description = "model name (default ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--base", paramLabel = "DIR", description = "a pretrained model folder (trainer import-keras): train a "
            + "head on its frozen embedding instead of the CNN")
    Path base;

    @Option(names = "--companion", paramLabel = "DIR", description = "with --base: a second pretrained model folder heard "
            + "beside it on patches inside each window; the head reads both bases' embeddings and own outputs")
    Path companion;

    @Option(names = "--companion-patches", defaultValue = "1", description = "with --companion: its patches per window, "
            + "spread evenly over the window (default ${DEFAULT-VALUE})")
    int companionPatches;

    @Option(names = "--patches", defaultValue = "4", description = "with --base: random patches embedded per augmented variant (default ${DEFAULT-VALUE})")
    int patches;

    @Option(names = "--not-music", defaultValue = "60", description = "with --base: generated not-music clips for a not-music class, 0 for none (default ${DEFAULT-VALUE})")
    int notMusic;

    @Option(names = "--outside", paramLabel = "DIR", description = "with --base: labelled music from outside the main set "
            + "(DIR/labels.tsv: file, genre, artist, ...), trained on and scored by artist-grouped cross-validation; "
            + "its genres join the vocabulary")
    Path outside;

    @Option(names = "--level", description = "with --base: bring each window to the training clips' median level before the "
            + "base hears it (see ModelConfig.levelDb), so quiet recordings are heard as loud ones")
    boolean level;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        String commit = ModelReport.gitCommit();
        Dataset dataset = Dataset.scan(data);
        Dataset.Split s = split(dataset);
        ModelConfig config = new ModelConfig();
        config.name = name;
        config.version = LocalDate.now().toString();
        config.labels = dataset.labels();
        config.genres = dataset.labels().stream().map(l -> GTZAN_NAMES.getOrDefault(l, capitalise(l))).toList();
        config.windowFrames = windowFrames;
        config.windowHopFrames = hopFrames;
        config.channels = channels;
        config.dropout = dropout;
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Path workDir = work != null ? work
                : Path.of(System.getProperty("user.home"), ".cache", "genre-tagger", "trainer", out.toAbsolutePath().normalize().getFileName().toString());
        if (base != null) {
            return new HeadRecipe(base, companion, companionPatches, outside, variants, patches, balance, notMusic, level, seed).run(name, config.labels, config.genres, s,
                    workDir, out, "java -jar trainer/target/trainer.jar train " + String.join(" ", args()), System.out);
        }
        System.out.printf("data: %d training and %d validation clips, %d genres; work folder %s%n",
                s.train().size(), s.valid().size(), config.labels.size(), workDir);

        Augmenter augmenter = Augmenter.defaults();
        String featureId = String.format("sr%d-fft%d-hop%d-mel%d-seed%d-%s", config.sampleRate, config.nFft, config.hopLength,
                config.nMels, seed, Integer.toHexString(augmenter.toString().hashCode()));
        FeatureCache cache = new FeatureCache(workDir.resolve("cache").resolve(featureId), config, augmenter, seed);
        try (ProgressBar bar = Training.bar("features", (long) s.train().size() * (variants + 1) + s.valid().size())) {
            cache.prepare(s.train(), variants, workers, bar::stepBy);
            cache.prepare(s.valid(), 0, workers, bar::stepBy);
        }

        Training.Options options = new Training.Options(epochs, batch, learningRate, patience, variants, balance, seed);
        List<EpochLog> history = new Training(config, options, cache, s.train(), s.valid(), workDir, System.out).run();

        try (GenreModel best = GenreModel.load(workDir.resolve("best"))) {
            ModelConfig c = best.config();
            Validation.Result v = Validation.run(best, cache, s.valid(), c);
            double[][] before = Calibration.trackProbabilities(v.windowLogits(), 1.0);
            double eceBefore = Calibration.expectedCalibrationError(before, v.truth());
            c.temperature = Calibration.fitTemperature(v.windowLogits(), v.truth());
            double[][] after = Calibration.trackProbabilities(v.windowLogits(), c.temperature);
            double eceAfter = Calibration.expectedCalibrationError(after, v.truth());
            System.out.printf("temperature %.3f: validation track ECE %.3f -> %.3f%n", c.temperature, eceBefore, eceAfter);

            List<String> curve = new ArrayList<>();
            double fullAccuracy = Validation.run(best, cache, s.valid(), c, 0).trackAccuracy();
            c.defaultSampleWindows = 0;
            for (int n : SAMPLE_CURVE) {
                double acc = Validation.run(best, cache, s.valid(), c, n).trackAccuracy();
                curve.add(String.format("| %s | %.3f |", n == 0 ? "full" : "sample:" + n, acc));
                // The cheapest analysis that costs at most one validation track against full.
                if (n > 0 && c.defaultSampleWindows == 0 && acc >= fullAccuracy - 1.0 / s.valid().size() - 1e-9) {
                    c.defaultSampleWindows = n;
                }
            }
            System.out.printf("default analysis: %s%n", c.defaultSampleWindows == 0 ? "full" : "sample:" + c.defaultSampleWindows);

            Files.createDirectories(out);
            best.save(out);
            try (GenreModel shipped = GenreModel.load(out)) {
                Evaluation.Result r = Evaluation.run(shipped, s.valid(), Analysis.FULL, out, System.out);
                c.defaultMinConfidence = r.threshold().threshold();
                c.thresholdMeaning = r.threshold().describe("validation");
                shipped.config().defaultMinConfidence = c.defaultMinConfidence;
                shipped.config().thresholdMeaning = c.thresholdMeaning;
                best.save(out);
                Charts.trainingCurvesPng(history, out.resolve("training-curves.png"));
                double minutes = (System.nanoTime() - started) / 60e9;
                ModelReport.write(out.resolve("REPORT.md"), new ModelReport.Inputs(c, dataset, s, history, r, eceBefore, eceAfter,
                        curve, String.join(" ", args()), minutes, options,
                        augmenter.toString(), commit, ConfidenceThreshold.table(topProbs(after), topCorrect(after, v.truth()))));
                System.out.printf("model written to %s in %.1f minutes%n", out, minutes);
            }
        }
        return 0;
    }

    /** The arguments after {@code train}, as typed. */
    private List<String> args() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf("train");
        return at >= 0 ? all.subList(at + 1, all.size()) : all;
    }

    private Dataset.Split split(Dataset dataset) throws IOException {
        if ("random".equals(split)) {
            return dataset.randomSplit(0.2, seed);
        }
        if (split != null) {
            throw new IllegalArgumentException("--split takes 'random' only; use --train and --valid for lists");
        }
        if (trainList == null || validList == null) {
            throw new IllegalArgumentException("give --train LIST and --valid LIST, or --split random");
        }
        return Dataset.Split.of(dataset.select(trainList, true), dataset.select(validList, true));
    }

    private static double[] topProbs(double[][] p) {
        return Arrays.stream(p).mapToDouble(row -> row[Calibration.argmax(row)]).toArray();
    }

    private static boolean[] topCorrect(double[][] p, int[] truth) {
        boolean[] b = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            b[i] = Calibration.argmax(p[i]) == truth[i];
        }
        return b;
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
