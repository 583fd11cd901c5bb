package org.genretagger.plugin.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two pretrained music-tagging networks of Pons &amp; Serra's musicnn (trained on the Million Song
 * Dataset), rebuilt layer for layer from their Keras graphs, each topped by a linear head on its
 * embedding. The block takes windows as the analyzer cuts them, {@code (batch, 1, 96 mels, 187
 * frames)}, and returns two arrays: the head's logits and the embedding ({@code bn_dense}, 200
 * values, for musicnn; flattened {@code pool5}, 256 values, for the VGG). Weights come from
 * {@code trainer import-keras}; each layer is kept under its Keras name so the importer can find it.
 * Dropout layers are left out: they do nothing at inference, and the base is frozen in training.
 */
public final class PretrainedNet extends AbstractBlock implements BaseNetwork {
    /** musicnn: timbral and temporal front end, residual 1-D mid end, max and mean pooling, dense 200. */
    public static final String MUSICNN = "musicnn";
    /** The VGG-like baseline: five 3×3 conv blocks of 128 filters. */
    public static final String VGG = "vgg";

    private static final byte VERSION = 1;
    private static final float EPS = 1e-3f;
    /** musicnn's frames × mels; both networks were trained on these patches. */
    public static final int FRAMES = 187;
    /** Mel bands of the input. */
    public static final int MELS = 96;

    private final String kind;
    private final Map<String, Block> layers = new LinkedHashMap<>();
    private final Linear head;

    private PretrainedNet(String kind, int classes) {
        super(VERSION);
        this.kind = kind;
        if (MUSICNN.equals(kind)) {
            bn("batch_normalization");
            conv("conv2d", 204, 7, 38);
            conv("conv2d_1", 204, 7, 67);
            conv("conv2d_2", 51, 128, 1);
            conv("conv2d_3", 51, 64, 1);
            conv("conv2d_4", 51, 32, 1);
            for (int i = 1; i <= 5; i++) {
                bn("batch_normalization_" + i);
            }
            conv("midend_conv1", 64, 7, 561);
            bn("bn_midend_conv1");
            conv("midend_conv2", 64, 7, 64);
            bn("bn_midend_conv2");
            conv("midend_conv3", 64, 7, 64);
            bn("bn_midend_conv3");
            bn("bn_flatpool");
            layer("dense", Linear.builder().setUnits(200).build());
            bn("bn_dense");
        } else if (VGG.equals(kind)) {
            bn("bn_input");
            for (int i = 1; i <= 5; i++) {
                layer(i + "CNN", Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                        .setFilters(128).build());
                bn("bn_conv" + i);
            }
        } else {
            throw new IllegalArgumentException("unknown pretrained network '" + kind + "'");
        }
        head = addChildBlock("head", Linear.builder().setUnits(classes).build());
    }

    /**
     * @param network {@link #MUSICNN} or {@link #VGG}
     * @param classes outputs of the head
     * @return an uninitialised block
     */
    static PretrainedNet build(String network, int classes) {
        return new PretrainedNet(network, classes);
    }

    @Override
    public int evidenceSize() {
        return embeddingSize();
    }

    /** @return the embedding's length */
    public int embeddingSize() {
        return MUSICNN.equals(kind) ? 200 : 256;
    }

    /** @return the layers by their Keras names, for importing weights */
    @Override
    public Map<String, Block> baseLayers() {
        return layers;
    }

    /** @return the linear head on the embedding */
    @Override
    public Linear head() {
        return head;
    }

    private void conv(String name, int filters, int kh, int kw) {
        layer(name, Conv2d.builder().setKernelShape(new Shape(kh, kw)).setFilters(filters).build());
    }

    private void bn(String name) {
        layer(name, BatchNorm.builder().optEpsilon(EPS).optAxis(1).build());
    }

    private void layer(String name, Block b) {
        layers.put(name, addChildBlock(name, b));
    }

    private NDArray run(ParameterStore ps, String name, NDArray x) {
        return layers.get(name).forward(ps, new NDList(x), false).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray emb = evidence(ps, inputs.singletonOrThrow());
        NDArray logits = head.forward(ps, new NDList(emb), training).singletonOrThrow();
        return new NDList(logits, emb);
    }

    /**
     * @param windows {@code (B, 1, 96 mels, 187 frames)}, as the analyzer cuts them
     * @return the embedding (this network's evidence), {@code (B, embeddingSize)}
     */
    @Override
    public NDArray evidence(ParameterStore ps, NDArray windows) {
        // The analyzer's windows are mel-major; the Keras graphs are time-major (time as height).
        NDArray x = windows.transpose(0, 1, 3, 2);
        return MUSICNN.equals(kind) ? musicnn(ps, x) : vgg(ps, x);
    }

    /** @param x {@code (B, 1, 187, 96)} */
    private NDArray musicnn(ParameterStore ps, NDArray x) {
        NDArray in = run(ps, "batch_normalization", x);
        // Timbral filters: 'valid' convolutions over 3-frame-padded time, max over the mel axis.
        NDArray padded = padTime(in, 3, 3);
        NDArray t1 = maxMel(run(ps, "batch_normalization_1", Activation.relu(run(ps, "conv2d", padded))));
        NDArray t2 = maxMel(run(ps, "batch_normalization_2", Activation.relu(run(ps, "conv2d_1", padded))));
        // Temporal filters: TensorFlow's 'same' padding of an even kernel puts the extra frame after.
        NDArray s1 = maxMel(run(ps, "batch_normalization_3", Activation.relu(run(ps, "conv2d_2", padTime(in, 63, 64)))));
        NDArray s2 = maxMel(run(ps, "batch_normalization_4", Activation.relu(run(ps, "conv2d_3", padTime(in, 31, 32)))));
        NDArray s3 = maxMel(run(ps, "batch_normalization_5", Activation.relu(run(ps, "conv2d_4", padTime(in, 15, 16)))));
        // (B, C, T) each; concatenated along channels, then seen as a one-channel (B, 1, T, 561) image.
        NDArray front = NDArrays.concat(new NDList(t1, t2, s1, s2, s3), 1).transpose(0, 2, 1).expandDims(1);
        NDArray m1 = midend(ps, front, 1);
        NDArray m2 = midend(ps, m1, 2).add(m1);
        NDArray m3 = midend(ps, m2, 3).add(m2);
        NDArray all = NDArrays.concat(new NDList(front, m1, m2, m3), 3); // (B, 1, T, 753)
        NDArray max = all.max(new int[] {2}).squeeze(1); // (B, 753)
        NDArray mean = all.mean(new int[] {2}).squeeze(1);
        // Keras flattens (753, 2) with max and mean interleaved per feature.
        NDArray pooled = NDArrays.stack(new NDList(max, mean), 2).reshape(-1, 753 * 2);
        NDArray h = run(ps, "bn_flatpool", pooled);
        h = Activation.relu(run(ps, "dense", h));
        return run(ps, "bn_dense", h);
    }

    /** A mid-end layer: 7-frame conv across all features, ReLU, batch norm, back to (B, 1, T, 64). */
    private NDArray midend(ParameterStore ps, NDArray x, int i) {
        NDArray y = Activation.relu(run(ps, "midend_conv" + i, padTime(x, 3, 3)));
        return run(ps, "bn_midend_conv" + i, y).transpose(0, 3, 2, 1);
    }

    /** @param x {@code (B, 1, 187, 96)} */
    private NDArray vgg(ParameterStore ps, NDArray x) {
        NDArray h = run(ps, "bn_input", x);
        for (int i = 1; i <= 5; i++) {
            h = run(ps, "bn_conv" + i, Activation.relu(run(ps, i + "CNN", h)));
            if (i == 1) {
                h = Pool.maxPool2d(h, new Shape(4, 1), new Shape(2, 2), new Shape(0, 0), false);
            } else if (i < 5) {
                h = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            } else {
                h = Pool.maxPool2d(h, new Shape(4, 4), new Shape(4, 4), new Shape(0, 0), false);
            }
        }
        // Keras flattens channels last: (B, H, W, C).
        return h.transpose(0, 2, 3, 1).reshape(h.getShape().get(0), -1);
    }

    private static NDArray maxMel(NDArray x) {
        return x.max(new int[] {3});
    }

    /** Zero frames before and after along the time axis (2) of {@code (B, C, T, F)}. */
    private static NDArray padTime(NDArray x, int before, int after) {
        Shape s = x.getShape();
        NDManager m = x.getManager();
        NDArray a = m.zeros(new Shape(s.get(0), s.get(1), before, s.get(3)), x.getDataType());
        NDArray b = m.zeros(new Shape(s.get(0), s.get(1), after, s.get(3)), x.getDataType());
        return NDArrays.concat(new NDList(a, x, b), 2);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return outputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        Shape img = new Shape(b, 1, FRAMES, MELS);
        if (MUSICNN.equals(kind)) {
            init(manager, dataType, "batch_normalization", img);
            init(manager, dataType, "conv2d", new Shape(b, 1, FRAMES + 6, MELS));
            init(manager, dataType, "conv2d_1", new Shape(b, 1, FRAMES + 6, MELS));
            init(manager, dataType, "conv2d_2", new Shape(b, 1, FRAMES + 127, MELS));
            init(manager, dataType, "conv2d_3", new Shape(b, 1, FRAMES + 63, MELS));
            init(manager, dataType, "conv2d_4", new Shape(b, 1, FRAMES + 31, MELS));
            init(manager, dataType, "batch_normalization_1", new Shape(b, 204, FRAMES, 59));
            init(manager, dataType, "batch_normalization_2", new Shape(b, 204, FRAMES, 30));
            for (int i = 3; i <= 5; i++) {
                init(manager, dataType, "batch_normalization_" + i, new Shape(b, 51, FRAMES, MELS));
            }
            init(manager, dataType, "midend_conv1", new Shape(b, 1, FRAMES + 6, 561));
            for (int i = 2; i <= 3; i++) {
                init(manager, dataType, "midend_conv" + i, new Shape(b, 1, FRAMES + 6, 64));
            }
            for (int i = 1; i <= 3; i++) {
                init(manager, dataType, "bn_midend_conv" + i, new Shape(b, 64, FRAMES, 1));
            }
            init(manager, dataType, "bn_flatpool", new Shape(b, 1506));
            init(manager, dataType, "dense", new Shape(b, 1506));
            init(manager, dataType, "bn_dense", new Shape(b, 200));
        } else {
            init(manager, dataType, "bn_input", img);
            long[][] hw = {{FRAMES, MELS}, {92, 48}, {46, 24}, {23, 12}, {11, 6}};
            for (int i = 1; i <= 5; i++) {
                init(manager, dataType, i + "CNN", new Shape(b, i == 1 ? 1 : 128, hw[i - 1][0], hw[i - 1][1]));
                init(manager, dataType, "bn_conv" + i, new Shape(b, 128, hw[i - 1][0], hw[i - 1][1]));
            }
        }
        head.initialize(manager, dataType, new Shape(b, embeddingSize()));
    }

    private void init(NDManager manager, DataType dataType, String name, Shape shape) {
        layers.get(name).initialize(manager, dataType, shape);
    }
}
