package org.genretagger.plugin.model;

import org.genretagger.plugin.network.GenreNet;
import org.genretagger.plugin.network.BaseNetwork;
import org.genretagger.plugin.network.TwoBaseNet;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The network with its weights and config, ready to turn normalised windows into genre
 * probabilities. Inference calls are serialised: one model serves every thread, and batching
 * across tracks (not parallel forward passes) is how it is kept busy.
 */
public final class GenreModel implements AutoCloseable {
    /** Where the shipped model lives on the plugin's class path. */
    public static final String BUNDLED = "org/genretagger/model/";
    /** The config file name inside a model folder. */
    public static final String CONFIG_FILE = "config.json";
    private static final String ENGINE = "MXNet";

    private final ModelConfig config;
    private final Model model;
    private final Block block;
    /**
     * The input batch in native memory, reused (guarded by this). Handing DJL a heap array makes it
     * allocate a direct buffer per call, which only the garbage collector frees: over a long file
     * those pile up by the hundred megabytes before a collection comes.
     */
    private FloatBuffer input;
    /** SHA-256 of the weights it was loaded from (hex); empty for a model made for training. */
    private String weightsSha256 = "";

    private GenreModel(ModelConfig config, Model model) {
        this.config = config;
        this.model = model;
        this.block = model.getBlock();
    }

    /**
     * A model with freshly initialised weights, for training.
     *
     * @param config the network and feature parameters
     * @return the model
     */
    public static GenreModel create(ModelConfig config) {
        return withOwnClassLoader(() -> {
            Model model = Model.newInstance(config.name, Device.cpu(), ENGINE);
            Block block = GenreNet.build(config);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, GenreNet.inputShape(config, 1));
            return new GenreModel(config, model);
        });
    }

    /**
     * The network a head on two bases reads: the config's, with the main base's layers and the
     * companion's (its own output layer too) copied from their imported models.
     *
     * @param config a config with a companion
     * @param main the imported main base
     * @param companion the imported companion base
     * @return the model (its head untrained)
     */
    public static GenreModel onTwoBases(ModelConfig config, GenreModel main, GenreModel companion) {
        GenreModel model = GenreModel.create(config);
        TwoBaseNet net = (TwoBaseNet) model.djlModel().getBlock();
        copyLayers(net.main().baseLayers(), ((BaseNetwork) main.djlModel().getBlock()).baseLayers());
        BaseNetwork from = (BaseNetwork) companion.djlModel().getBlock();
        copyLayers(net.companion().baseLayers(), from.baseLayers());
        copyLayers(Map.of("head", net.companion().head()), Map.of("head", from.head()));
        return model;
    }

    /**
     * Copies each layer's parameters from the layer of the same name.
     *
     * @param to layers by name
     * @param from layers by name, holding at least those of {@code to}
     */
    public static void copyLayers(Map<String, ? extends Block> to, Map<String, ? extends Block> from) {
        for (Map.Entry<String, ? extends Block> e : to.entrySet()) {
            Block src = from.get(e.getKey());
            for (var p : e.getValue().getParameters()) {
                p.getValue().getArray().set(src.getParameters().get(p.getKey()).getArray().toFloatArray());
            }
        }
    }

    /**
     * @param dir a folder holding {@code config.json} and the weights it names
     * @return the model
     * @throws IOException if a file is missing or unreadable
     */
    public static GenreModel load(Path dir) throws IOException {
        ModelConfig config = ModelConfig.read(dir.resolve(CONFIG_FILE));
        Path weights = dir.resolve(config.weights);
        try (InputStream in = Files.newInputStream(weights)) {
            return load(config, in, weights.toString());
        }
    }

    /**
     * @return the bundled model's config alone (its labels, genres, rates), without loading the
     *     network
     * @throws IOException if the plugin was built without a model
     */
    public static ModelConfig bundledConfig() throws IOException {
        try (InputStream in = GenreModel.class.getClassLoader().getResourceAsStream(BUNDLED + CONFIG_FILE)) {
            if (in == null) {
                throw new IOException("no model bundled in the plugin (" + BUNDLED + CONFIG_FILE + " missing)");
            }
            return ModelConfig.read(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }

    /**
     * @return the model bundled in the plugin
     * @throws IOException if the plugin was built without a model
     */
    public static GenreModel loadBundled() throws IOException {
        ClassLoader cl = GenreModel.class.getClassLoader();
        ModelConfig config = bundledConfig();
        try (InputStream in = cl.getResourceAsStream(BUNDLED + config.weights)) {
            if (in == null) {
                throw new IOException("bundled model weights " + config.weights + " missing");
            }
            return load(config, in, "bundled model " + BUNDLED + config.weights);
        }
    }

    private static GenreModel load(ModelConfig config, InputStream weights, String where) throws IOException {
        GenreModel m = create(config);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (DigestInputStream digest = new DigestInputStream(weights, sha);
                DataInputStream in = new DataInputStream(new BufferedInputStream(digest))) {
            withOwnClassLoader(() -> {
                m.block.loadParameters(m.model.getNDManager(), in);
                return null;
            });
            in.transferTo(OutputStream.nullOutputStream()); // digest every byte, read or not
        } catch (RuntimeException e) {
            m.close();
            throw new IOException(where + ": weights do not fit the config (" + e.getMessage() + ")", e);
        }
        m.weightsSha256 = HexFormat.of().formatHex(sha.digest());
        try {
            requireNamedBase(m, where);
        } catch (IOException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /**
     * Refuses a pretrained network whose base arrays are not the ones its config names: a head (the
     * shipped one, or one a user learned) only fits the embedding of the base it was trained on.
     */
    private static void requireNamedBase(GenreModel m, String where) throws IOException {
        if (m.block instanceof TwoBaseNet two) {
            requireNamedBase(two.main(), m.config.base, where);
            requireNamedBase(two.companion(), m.config.companion.base, where);
        } else if (m.block instanceof BaseNetwork net) {
            requireNamedBase(net, m.config.base, where);
        }
    }

    private static void requireNamedBase(BaseNetwork net, ModelConfig.BaseModel base, String where) throws IOException {
        if (base == null) {
            return;
        }
        if (base.paramsSha256() == null) {
            throw new IOException(where + ": its config names base " + base.name() + " without the digest of its arrays"
                    + " (base.paramsSha256); import the base again with the trainer (import-keras, import-efficientat)");
        }
        String actual = net.baseSha256();
        if (!actual.equals(base.paramsSha256())) {
            throw new IOException(where + ": the base arrays in this file (sha256 " + actual + ") are not those of base "
                    + base.name() + " that its config names (sha256 " + base.paramsSha256() + ")");
        }
    }

    /**
     * Writes config and weights into a folder.
     *
     * @param dir the folder, created if needed
     * @throws IOException if unwritable
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        config.write(dir.resolve(CONFIG_FILE));
        try (OutputStream out = Files.newOutputStream(dir.resolve(config.weights));
                DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out))) {
            block.saveParameters(data);
        }
    }

    /** @return the config */
    public ModelConfig config() {
        return config;
    }

    /**
     * Identifies the base network a user model's head was trained on: a head only fits the
     * embedding of the very weights it learned from.
     *
     * @return SHA-256 (hex) of the weights file this model was loaded from; empty if not loaded
     */
    public String weightsSha256() {
        return weightsSha256;
    }

    /** @return the underlying DJL model, for training */
    public Model djlModel() {
        return model;
    }

    /**
     * Runs the network on normalised windows.
     *
     * @param windows {@code count} windows, each {@link ModelConfig#inputSize} values: {@code nMels × windowFrames}
     *     mel-major, then any companion patches
     * @param count how many windows
     * @return logits, {@code [count][classes]}
     */
    public float[][] logits(float[] windows, int count) {
        return forward(windows, count, 1)[0];
    }

    /**
     * @param outputs how many of the network's outputs to return: 1 for the logits, 2 for the
     *     logits and a pretrained network's embedding
     */
    private synchronized float[][][] forward(float[] windows, int count, int outputs) {
        return withOwnClassLoader(() -> {
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray x = input(m, windows, count);
                // A pretrained base returns its evidence after the logits.
                NDList out = block.forward(new ParameterStore(m, false), new NDList(x), false);
                float[][][] result = new float[outputs][][];
                for (int o = 0; o < outputs; o++) {
                    result[o] = rows(out.get(o).toFloatArray(), count);
                }
                return result;
            }
        });
    }

    private static float[][] rows(float[] flat, int count) {
        int k = flat.length / count;
        float[][] rows = new float[count][k];
        for (int i = 0; i < count; i++) {
            System.arraycopy(flat, i * k, rows[i], 0, k);
        }
        return rows;
    }

    /**
     * The network's embedding of each window: what a head (the shipped one of a pretrained base,
     * or one learned on a user's own genres) reads. For a pretrained network, its embedding output;
     * for the CNN, the activations that feed the final classifier layer (after global average
     * pooling; dropout is off at inference).
     *
     * @param windows as for {@link #logits}
     * @param count how many windows
     * @return embeddings, {@code [count][dimension]}
     */
    public float[][] embeddings(float[] windows, int count) {
        if (block instanceof BaseNetwork) {
            return forward(windows, count, 2)[1];
        }
        return cnnEmbeddings(windows, count);
    }

    /**
     * Calibrated probabilities and embeddings of the same windows; for a pretrained network both
     * come from one forward pass (its head reads the embedding), which halves what learning costs.
     *
     * @param windows as for {@link #logits}
     * @param count how many windows
     * @return {@code [0]} probabilities as {@link #probabilities}, {@code [1]} embeddings as {@link #embeddings}
     */
    public float[][][] probabilitiesAndEmbeddings(float[] windows, int count) {
        float[][][] both = block instanceof BaseNetwork ? forward(windows, count, 2)
                : new float[][][] {logits(windows, count), cnnEmbeddings(windows, count)};
        calibrate(both[0]);
        return both;
    }

    private synchronized float[][] cnnEmbeddings(float[] windows, int count) {
        return withOwnClassLoader(() -> {
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList x = new NDList(input(m, windows, count));
                ParameterStore ps = new ParameterStore(m, false);
                List<Block> layers = block.getChildren().values();
                // Every layer but the last two: dropout and the linear classifier.
                for (Block layer : layers.subList(0, layers.size() - 2)) {
                    x = layer.forward(ps, x, false);
                }
                return rows(x.singletonOrThrow().toFloatArray(), count);
            }
        });
    }

    /** Copies a batch into the reused native buffer (callers hold this). */
    private NDArray input(NDManager m, float[] windows, int count) {
        int n = count * config.inputSize();
        if (input == null || input.capacity() < n) {
            input = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        input.clear();
        input.put(windows, 0, n).flip();
        return m.create(input, GenreNet.inputShape(config, count));
    }

    /**
     * Calibrated window probabilities: softmax of logits divided by the config's temperature.
     *
     * @param windows as for {@link #logits}
     * @param count how many windows
     * @return probabilities, {@code [count][classes]}
     */
    public float[][] probabilities(float[] windows, int count) {
        float[][] logits = logits(windows, count);
        calibrate(logits);
        return logits;
    }

    /** Turns each row of logits into probabilities at the config's temperature, in place. */
    private void calibrate(float[][] logits) {
        for (float[] l : logits) {
            Softmax.inPlace(l, config.temperature);
        }
    }

    @Override
    public void close() {
        model.close();
    }

    /**
     * DJL finds its engine through the context class loader; inside a PF4J plugin that must be
     * the plugin's own loader, whatever thread the host calls from.
     *
     * @param work what to run with the plugin's loader as the context class loader
     * @param <T> its result type
     * @return its result
     */
    public static <T> T withOwnClassLoader(Callable<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(GenreModel.class.getClassLoader());
        try {
            return work.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** Starts the engine, so the first track does not pay for it. */
    public static void warmUpEngine() {
        withOwnClassLoader(() -> Engine.getEngine(ENGINE));
    }
}
