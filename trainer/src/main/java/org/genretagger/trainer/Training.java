package org.genretagger.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.network.GenreNet;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.model.WindowNormaliser;
import org.genretagger.trainer.augment.SpecMask;
import org.genretagger.trainer.data.Clip;
import org.genretagger.trainer.data.FeatureCache;
import org.genretagger.trainer.report.EpochLog;

/**
 * The training loop: Adam on randomly placed, masked windows drawn class-balanced from the cached
 * variants; validation at track level every epoch; learning-rate halving on a validation-loss
 * plateau; early stopping on validation track accuracy; a checkpoint every epoch.
 */
public final class Training {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * Training options.
     *
     * @param epochs maximum epochs
     * @param batchSize windows per step
     * @param learningRate initial Adam learning rate
     * @param patience epochs without a better validation track accuracy before stopping
     * @param variants augmented variants per clip
     * @param balance how strongly classes are balanced: 0 natural frequencies, 0.5 square root, 1 uniform
     * @param seed the seed for sampling, masks and initialisation order
     */
    public record Options(int epochs, int batchSize, double learningRate, int patience, int variants, double balance, long seed) {}

    /** Where training state lives between epochs, for resuming. */
    static final class State {
        int epoch;
        double learningRate;
        double bestTrackAcc = -1;
        double bestValidLoss = Double.MAX_VALUE;
        double plateauLoss = Double.MAX_VALUE;
        int bestEpoch;
        int sinceBest;
        int sincePlateauImprovement;
        List<EpochLog> history = new ArrayList<>();
    }

    private final ModelConfig config;
    private final Options options;
    private final FeatureCache cache;
    private final List<Clip> train;
    private final List<Clip> valid;
    private final Path out;
    private final PrintStream log;

    /**
     * @param config the network and feature parameters (labels included)
     * @param options how to train
     * @param cache prepared frames of every clip
     * @param train training clips
     * @param valid validation clips
     * @param out output folder: {@code checkpoint/}, {@code best/}, {@code state.json}
     * @param log where epoch lines go
     */
    public Training(ModelConfig config, Options options, FeatureCache cache, List<Clip> train, List<Clip> valid,
            Path out, PrintStream log) {
        this.config = config;
        this.options = options;
        this.cache = cache;
        this.train = train;
        this.valid = valid;
        this.out = out;
        this.log = log;
    }

    /**
     * Trains, resuming from {@code out/state.json} when present.
     *
     * @return the per-epoch log
     * @throws IOException if a checkpoint cannot be written
     */
    public List<EpochLog> run() throws IOException {
        Path stateFile = out.resolve("state.json");
        State state = new State();
        state.learningRate = options.learningRate();
        boolean resume = Files.isRegularFile(stateFile) && Files.isRegularFile(out.resolve("checkpoint").resolve(config.weights));
        if (resume) {
            state = GSON.fromJson(Files.readString(stateFile), State.class);
            log.printf("resuming after epoch %d (best valid track accuracy %.3f at epoch %d)%n",
                    state.epoch, state.bestTrackAcc, state.bestEpoch);
        }
        float[] lr = {(float) state.learningRate};
        Tracker tracker = numUpdate -> lr[0];
        int[] labelOf = labelIndices(train);
        double[] classWeight = classSamplingWeights(labelOf);
        Random rng = new Random(options.seed() + 7919L * state.epoch);
        SpecMask mask = SpecMask.defaults();
        long started = System.nanoTime() - (long) (lastElapsed(state) * 1e9);
        try (GenreModel model = GenreModel.create(config)) {
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(tracker).optWeightDecays(1e-4f).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.djlModel().newTrainer(tc)) {
                trainer.initialize(GenreNet.inputShape(config, options.batchSize()));
                if (resume) {
                    loadWeights(model, out.resolve("checkpoint"));
                }
                int windowSize = config.nMels * config.windowFrames;
                int perEpoch = samplesPerEpoch();
                for (int epoch = state.epoch + 1; epoch <= options.epochs(); epoch++) {
                    lr[0] = (float) state.learningRate;
                    double lossSum = 0;
                    int correct = 0;
                    int seen = 0;
                    float[] batch = new float[options.batchSize() * windowSize];
                    float[] labels = new float[options.batchSize()];
                    try (ProgressBar bar = bar("epoch " + epoch, perEpoch)) {
                        for (int done = 0; done + options.batchSize() <= perEpoch; done += options.batchSize()) {
                            for (int b = 0; b < options.batchSize(); b++) {
                                int cls = pick(classWeight, rng);
                                Clip c = randomClipOf(cls, labelOf, rng);
                                float[][] f = cache.frames(c, rng.nextInt(options.variants() + 1));
                                int start = f.length <= config.windowFrames ? 0 : rng.nextInt(f.length - config.windowFrames + 1);
                                WindowNormaliser.normalise(config, padded(f), start, config.windowFrames, batch, b * windowSize);
                                mask.apply(batch, b * windowSize, config.nMels, config.windowFrames, rng);
                                labels[b] = cls;
                            }
                            try (NDManager m = trainer.getManager().newSubManager()) {
                                NDArray x = m.create(batch, GenreNet.inputShape(config, options.batchSize()));
                                NDArray y = m.create(labels);
                                try (GradientCollector gc = trainer.newGradientCollector()) {
                                    NDList pred = trainer.forward(new NDList(x));
                                    NDArray loss = trainer.getLoss().evaluate(new NDList(y), pred);
                                    gc.backward(loss);
                                    lossSum += loss.getFloat() * options.batchSize();
                                    float[] argmax = pred.singletonOrThrow().argMax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                                    for (int b = 0; b < argmax.length; b++) {
                                        if (argmax[b] == labels[b]) {
                                            correct++;
                                        }
                                    }
                                }
                                trainer.step();
                            }
                            seen += options.batchSize();
                            bar.stepBy(options.batchSize());
                        }
                    }
                    Validation.Result v = Validation.run(model, cache, valid, config);
                    double elapsed = (System.nanoTime() - started) / 1e9;
                    EpochLog e = new EpochLog(epoch, lossSum / seen, (double) correct / seen, v.windowAccuracy(),
                            v.trackAccuracy(), v.windowLoss(), state.learningRate, elapsed);
                    state.history.add(e);
                    state.epoch = epoch;
                    boolean better = v.trackAccuracy() > state.bestTrackAcc
                            || (v.trackAccuracy() == state.bestTrackAcc && v.windowLoss() < state.bestValidLoss);
                    log.printf("epoch %3d  loss %.4f  train win acc %.3f  valid win acc %.3f  valid track acc %.3f  valid loss %.4f  lr %.2g  %s  %s%n",
                            epoch, e.trainLoss(), e.trainWindowAcc(), e.validWindowAcc(), e.validTrackAcc(), e.validLoss(),
                            state.learningRate, formatElapsed(elapsed), better ? "best" : "");
                    log.flush();
                    if (better) {
                        state.bestTrackAcc = v.trackAccuracy();
                        state.bestValidLoss = v.windowLoss();
                        state.bestEpoch = epoch;
                        state.sinceBest = 0;
                        model.save(out.resolve("best"));
                    } else {
                        state.sinceBest++;
                    }
                    if (v.windowLoss() < state.plateauLoss - 1e-4) {
                        state.plateauLoss = v.windowLoss();
                        state.sincePlateauImprovement = 0;
                    } else if (++state.sincePlateauImprovement >= 3) {
                        state.learningRate = Math.max(1e-5, state.learningRate * 0.5);
                        state.sincePlateauImprovement = 0;
                    }
                    model.save(out.resolve("checkpoint"));
                    Files.writeString(stateFile, GSON.toJson(state), StandardCharsets.UTF_8);
                    if (state.sinceBest >= options.patience()) {
                        log.printf("early stop: no better valid track accuracy for %d epochs%n", options.patience());
                        break;
                    }
                }
            }
        }
        log.printf("best epoch %d: valid track accuracy %.3f%n", state.bestEpoch, state.bestTrackAcc);
        return state.history;
    }

    private static double lastElapsed(State s) {
        return s.history.isEmpty() ? 0 : s.history.get(s.history.size() - 1).elapsedSeconds();
    }

    /** About one pass over every training window at the window hop, like a plain epoch. */
    private int samplesPerEpoch() {
        int n = 0;
        for (Clip c : train) {
            int frames = cache.frames(c, 0).length;
            n += Math.max(1, (frames - config.windowFrames) / config.windowHopFrames + 1);
        }
        return Math.max(options.batchSize(), n);
    }

    private float[][] padded(float[][] f) {
        if (f.length >= config.windowFrames) {
            return f;
        }
        float[][] p = new float[config.windowFrames][];
        for (int i = 0; i < p.length; i++) {
            p[i] = i < f.length ? f[i] : new float[config.nMels];
        }
        return p;
    }

    private int[] labelIndices(List<Clip> clips) {
        int[] idx = new int[clips.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = config.labels.indexOf(clips.get(i).label());
        }
        return idx;
    }

    private double[] classSamplingWeights(int[] labelOf) {
        double[] count = new double[config.numClasses()];
        for (int l : labelOf) {
            count[l]++;
        }
        double[] w = new double[count.length];
        for (int k = 0; k < w.length; k++) {
            w[k] = count[k] == 0 ? 0 : Math.pow(count[k], 1 - options.balance());
        }
        return w;
    }

    private static int pick(double[] weights, Random rng) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double r = rng.nextDouble() * total;
        for (int k = 0; k < weights.length; k++) {
            r -= weights[k];
            if (r < 0) {
                return k;
            }
        }
        return weights.length - 1;
    }

    private Clip randomClipOf(int cls, int[] labelOf, Random rng) {
        int count = 0;
        for (int l : labelOf) {
            if (l == cls) {
                count++;
            }
        }
        int target = rng.nextInt(count);
        for (int i = 0; i < labelOf.length; i++) {
            if (labelOf[i] == cls && target-- == 0) {
                return train.get(i);
            }
        }
        throw new IllegalStateException("no clip of class " + cls);
    }

    private static void loadWeights(GenreModel model, Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve(model.config().weights));
                java.io.DataInputStream data = new java.io.DataInputStream(new java.io.BufferedInputStream(in))) {
            model.djlModel().getBlock().loadParameters(model.djlModel().getNDManager(), data);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException(dir + ": checkpoint does not fit the network", e);
        }
    }

    /**
     * @param task what is counted
     * @param total how many
     * @return a progress bar on the console
     */
    public static ProgressBar bar(String task, long total) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000).continuousUpdate().setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .build();
    }

    static String formatElapsed(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

}
