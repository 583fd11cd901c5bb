package org.genretagger.trainer.pretrained;

import org.genretagger.plugin.model.SoftmaxRegression;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import me.tongfei.progressbar.ProgressBar;
import org.genretagger.plugin.features.Npy;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.network.BaseNetwork;
import org.genretagger.plugin.model.WindowNormaliser;
import org.genretagger.trainer.Training;
import org.genretagger.trainer.data.Clip;
import org.genretagger.trainer.data.FeatureCache;
import org.genretagger.plugin.evaluation.Calibration;

/**
 * Trains a genre head on a frozen pretrained network. Each clip and augmented variant goes through
 * the plugin's own front end and the pretrained base once; the embeddings of its 3 s patches are
 * cached on disk, so choosing the head's regularisation, cross-fitting for calibration and the
 * final fit all run on cached embeddings in seconds. A track's verdict is the mean of its patches'
 * calibrated probabilities, as the plugin computes it.
 */
public final class HeadTraining {
    private static final int BATCH = 16;

    private final GenreModel base;
    private final ModelConfig config;
    private final FeatureCache frames;
    /** The companion base's frames of every clip and variant, or null without a companion. */
    private final FeatureCache companionFrames;
    private final Path cacheDir;
    private final int patchesPerVariant;
    private final long seed;
    private final Map<String, float[][]> embeddings = new HashMap<>();

    /**
     * @param base the pretrained network (its own head is ignored): the imported base, or for a config
     *     with a companion the {@link #withBases} of both
     * @param config the genre model's config: the base's front end, the genre labels
     * @param frames mel frames of every clip and variant, prepared
     * @param companionFrames the companion's frames of the same, prepared; null without a companion
     * @param cacheDir where embeddings are kept between runs
     * @param patchesPerVariant random patches embedded per augmented variant (clean clips: every patch)
     * @param seed decides the random patches
     */
    public HeadTraining(GenreModel base, ModelConfig config, FeatureCache frames, FeatureCache companionFrames, Path cacheDir,
            int patchesPerVariant, long seed) {
        this.base = base;
        this.config = config;
        this.frames = frames;
        this.companionFrames = companionFrames;
        this.cacheDir = cacheDir;
        this.patchesPerVariant = patchesPerVariant;
        this.seed = seed;
    }

    /** A clip's variant. */
    record Item(Clip clip, int variant) {
        String id() {
            return clip.key().replace('/', '_') + "-v" + variant;
        }
    }

    /**
     * Embeds every patch the training needs (loading what is cached).
     *
     * @param clips clips
     * @param variants augmented variants per clip (besides the clean one)
     * @throws IOException if the cache cannot be written
     */
    public void embed(List<Clip> clips, int variants) throws IOException {
        Files.createDirectories(cacheDir);
        List<Item> todo = new ArrayList<>();
        for (Clip c : clips) {
            for (int v = 0; v <= variants; v++) {
                Item it = new Item(c, v);
                Path f = cacheDir.resolve(it.id() + ".npy");
                if (Files.isRegularFile(f)) {
                    embeddings.put(it.id(), Npy.read(f));
                } else {
                    todo.add(it);
                }
            }
        }
        int wf = config.windowFrames;
        int size = config.inputSize();
        try (ProgressBar bar = Training.bar("embeddings", todo.size())) {
            float[] batch = new float[BATCH * size];
            // Windows of several items share a batch; an item is saved once all its rows are in.
            List<float[][]> slotOut = new ArrayList<>();
            List<Integer> slotRow = new ArrayList<>();
            List<Item> pending = new ArrayList<>();
            List<float[][]> pendingOut = new ArrayList<>();
            for (Item it : todo) {
                float[][] f = padded(frames.frames(it.clip(), it.variant()), wf);
                float[][] cf = companionFrames == null ? null : companionFrames.frames(it.clip(), it.variant());
                int[] starts = starts(f.length, it);
                float[][] out = new float[starts.length][];
                pending.add(it);
                pendingOut.add(out);
                for (int p = 0; p < starts.length; p++) {
                    inputRow(config, f, cf, starts[p], batch, slotOut.size() * size);
                    slotOut.add(out);
                    slotRow.add(p);
                    if (slotOut.size() == BATCH) {
                        flush(batch, slotOut, slotRow);
                    }
                }
                saveFinished(pending, pendingOut, bar);
            }
            flush(batch, slotOut, slotRow);
            saveFinished(pending, pendingOut, bar);
        }
    }

    private void flush(float[] batch, List<float[][]> slotOut, List<Integer> slotRow) {
        if (slotOut.isEmpty()) {
            return;
        }
        float[][] e = base.embeddings(batch, slotOut.size());
        for (int i = 0; i < e.length; i++) {
            slotOut.get(i)[slotRow.get(i)] = e[i];
        }
        slotOut.clear();
        slotRow.clear();
    }

    private void saveFinished(List<Item> pending, List<float[][]> pendingOut, ProgressBar bar) throws IOException {
        while (!pending.isEmpty() && Arrays.stream(pendingOut.get(0)).allMatch(r -> r != null)) {
            Item it = pending.remove(0);
            float[][] out = pendingOut.remove(0);
            Npy.write(cacheDir.resolve(it.id() + ".npy"), out);
            embeddings.put(it.id(), out);
            bar.step();
        }
    }

    /** Clean clips: every patch of the non-overlapping grid; variants: random patches. */
    private int[] starts(int frameCount, Item it) {
        int wf = config.windowFrames;
        int grid = Math.max(1, frameCount / wf);
        if (it.variant() == 0 || patchesPerVariant >= grid) {
            int[] s = new int[grid];
            for (int i = 0; i < grid; i++) {
                s[i] = i * wf;
            }
            return s;
        }
        Random rng = new Random(seed * 31 + it.id().hashCode());
        int[] s = new int[patchesPerVariant];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextInt(frameCount - wf + 1);
        }
        return s;
    }

    /**
     * One window as the network takes it, cut where the plugin cuts it: the normalised window, then
     * any companion patches inside it (silence past the clip's end).
     *
     * @param config the model's config
     * @param frames the clip's frames
     * @param companionFrames the clip's companion frames; null without a companion
     * @param windowStart the window's first frame
     * @param out destination of {@link ModelConfig#inputSize} values
     * @param offset where the row starts in {@code out}
     */
    public static void inputRow(ModelConfig config, float[][] frames, float[][] companionFrames, int windowStart, float[] out,
            int offset) {
        WindowNormaliser.normalise(config, frames, windowStart, config.windowFrames, out, offset);
        if (companionFrames == null) {
            return;
        }
        float[][] cf = companionFrames;
        ModelConfig c = config.companion;
        int wf = c.windowFrames;
        float[][] patch = new float[wf][];
        for (int p = 0; p < config.companionPatches; p++) {
            long s = config.companionStart(windowStart, p);
            for (int i = 0; i < wf; i++) {
                patch[i] = s + i < cf.length ? cf[(int) (s + i)] : new float[c.nMels];
            }
            WindowNormaliser.normalise(c, patch, 0, wf, out, offset + config.nMels * config.windowFrames + p * c.nMels * wf);
        }
    }

    private static float[][] padded(float[][] f, int wf) {
        if (f.length >= wf) {
            return f;
        }
        float[][] p = Arrays.copyOf(f, wf);
        for (int i = f.length; i < wf; i++) {
            p[i] = new float[f.length > 0 ? f[0].length : 96];
        }
        return p;
    }

    /**
     * @param clip a clip
     * @param variant its variant
     * @return its patch embeddings
     */
    public float[][] embeddings(Clip clip, int variant) {
        float[][] e = embeddings.get(new Item(clip, variant).id());
        if (e == null) {
            throw new IllegalStateException("not embedded: " + clip.key() + " variant " + variant);
        }
        return e;
    }

    /**
     * Fits a head on the patches of the given clips and variants.
     *
     * @param clips training clips
     * @param variants variants used per clip (0 for clean only)
     * @param balance class balancing exponent: 0 natural, 1 uniform
     * @param l2 regularisation
     * @return the head
     */
    public SoftmaxRegression fit(List<Clip> clips, int variants, double balance, double l2) {
        return fit(clips, variants, balance, l2, c -> 1);
    }

    /**
     * Fits a head, weighing some clips above others (music from outside the main set, say).
     *
     * @param clips training clips
     * @param variants variants used per clip (0 for clean only)
     * @param balance class balancing exponent: 0 natural, 1 uniform
     * @param l2 regularisation
     * @param clipWeight a weight per clip, on top of class balancing
     * @return the head
     */
    public SoftmaxRegression fit(List<Clip> clips, int variants, double balance, double l2,
            java.util.function.ToDoubleFunction<Clip> clipWeight) {
        List<float[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        Map<Integer, Integer> count = new HashMap<>();
        for (Clip c : clips) {
            count.merge(label(c), 1, Integer::sum);
        }
        List<Double> w = new ArrayList<>();
        for (Clip c : clips) {
            int k = label(c);
            double weight = Math.pow(count.get(k), -balance) * clipWeight.applyAsDouble(c);
            for (int v = 0; v <= variants; v++) {
                float[][] e = embeddings(c, v);
                for (float[] row : e) {
                    x.add(row);
                    y.add(k);
                    // Every clip weighs the same whatever its number of patches and variants.
                    w.add(weight / e.length / (variants + 1));
                }
            }
        }
        return SoftmaxRegression.fit(x.toArray(new float[0][]), y.stream().mapToInt(Integer::intValue).toArray(),
                w.stream().mapToDouble(Double::doubleValue).toArray(), config.numClasses(), l2, 300);
    }

    /**
     * @param head a head
     * @param clips clips
     * @param patches patches per clip, evenly spread over the clean grid; 0 for all
     * @return each clip's patch logits
     */
    public List<float[][]> logits(SoftmaxRegression head, List<Clip> clips, int patches) {
        List<float[][]> out = new ArrayList<>();
        for (Clip c : clips) {
            float[][] e = embeddings(c, 0);
            if (patches > 0 && patches < e.length) {
                float[][] s = new float[patches][];
                for (int i = 0; i < patches; i++) {
                    // Centres of equal parts, as the plugin spreads sampled windows.
                    s[i] = e[(int) ((i + 0.5) * e.length / patches)];
                }
                e = s;
            }
            out.add(head.logits(e));
        }
        return out;
    }

    /**
     * @param clips clips
     * @return their label indices
     */
    public int[] truth(List<Clip> clips) {
        return clips.stream().mapToInt(this::label).toArray();
    }

    private int label(Clip c) {
        int k = config.labels.indexOf(c.label());
        if (k < 0) {
            throw new IllegalArgumentException(c.key() + ": label '" + c.label() + "' is not one of " + config.labels);
        }
        return k;
    }

    /**
     * @param logits per-clip patch logits
     * @param truth labels
     * @param temperature calibration
     * @return track accuracy
     */
    public static double accuracy(List<float[][]> logits, int[] truth, double temperature) {
        double[][] p = Calibration.trackProbabilities(logits, temperature);
        int right = 0;
        for (int i = 0; i < p.length; i++) {
            if (Calibration.argmax(p[i]) == truth[i]) {
                right++;
            }
        }
        return (double) right / p.length;
    }

    /**
     * Writes the genre model: the base's weights with this head.
     *
     * @param head the head
     * @param out the folder
     * @throws IOException if unwritable
     */
    public void save(SoftmaxRegression head, Path out) throws IOException {
        try (GenreModel model = GenreModel.create(config)) {
            BaseNetwork net = (BaseNetwork) model.djlModel().getBlock();
            GenreModel.copyLayers(net.baseLayers(), ((BaseNetwork) base.djlModel().getBlock()).baseLayers());
            int k = head.bias().length;
            int d = head.weights()[0].length;
            float[] flat = new float[k * d];
            for (int i = 0; i < k; i++) {
                System.arraycopy(head.weights()[i], 0, flat, i * d, d);
            }
            Parameter w = net.head().getParameters().get("weight");
            Parameter b = net.head().getParameters().get("bias");
            NDArray wa = w.getArray();
            wa.set(flat);
            b.getArray().set(head.bias());
            model.save(out);
        }
    }

    /**
     * @param log where to print
     * @param label a line's name
     * @param acc accuracy
     * @param n clips
     */
    static void line(PrintStream log, String label, double acc, int n) {
        log.printf("%-40s %.3f (%d clips)%n", label, acc, n);
    }
}
