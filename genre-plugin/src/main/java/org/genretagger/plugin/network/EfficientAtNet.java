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
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EfficientAT's {@code mn04_as} (Schmid et al., ICASSP 2023): a MobileNetV3 of width 0.4 trained on
 * AudioSet's 527 classes, rebuilt layer for layer, with a linear head on its evidence. The evidence
 * is the 384-value embedding (the global average of the last convolution stage) followed by the 527
 * AudioSet logits of the authors' two-layer classifier: what the network learned about genres and
 * sounds from two million clips, for the head to correct rather than replace.
 *
 * <p>Input {@code (batch, 1, 128 mels, frames)} of any frame count (it pools globally). Layers are
 * kept under their PyTorch state-dict names ({@code features.4.block.1.0}, ...) so the importer maps
 * the weights file directly. Dropout is left out: it does nothing at inference.
 */
public final class EfficientAtNet extends AbstractBlock implements BaseNetwork {
    /** The config's name for this network. */
    public static final String EFFICIENTAT = "efficientat";
    /** Mel bands of the input. */
    public static final int MELS = 128;
    /** Length of the embedding. */
    public static final int EMBEDDING = 384;
    /** AudioSet classes of the network's own output layer. */
    public static final int AUDIOSET_CLASSES = 527;

    private static final byte VERSION = 1;
    private static final float EPS = 1e-3f;

    /**
     * The inverted-residual blocks {@code features.1 .. features.15}: input, expanded and output
     * channels, depthwise kernel, stride, squeeze-excitation width (0 for none), hard-swish (else ReLU).
     */
    private static final int[][] BLOCKS = {
        {8, 8, 8, 3, 1, 0, 0}, {8, 24, 16, 3, 2, 0, 0}, {16, 32, 16, 3, 1, 0, 0},
        {16, 32, 16, 5, 2, 8, 0}, {16, 48, 16, 5, 1, 16, 0}, {16, 48, 16, 5, 1, 16, 0},
        {16, 96, 32, 3, 2, 0, 1}, {32, 80, 32, 3, 1, 0, 1}, {32, 72, 32, 3, 1, 0, 1},
        {32, 72, 32, 3, 1, 0, 1}, {32, 192, 48, 3, 1, 48, 1}, {48, 272, 48, 3, 1, 72, 1},
        {48, 272, 64, 5, 2, 72, 1}, {64, 384, 64, 5, 1, 96, 1}, {64, 384, 64, 5, 1, 96, 1},
    };

    private final Map<String, Block> layers = new LinkedHashMap<>();
    private final Linear head;

    /** @param classes outputs of the head; 0 for none (the main base of a {@link TwoBaseNet}, whose head reads more) */
    public EfficientAtNet(int classes) {
        super(VERSION);
        convBn("features.0", 8, 3, 2, 1);
        for (int i = 1; i <= BLOCKS.length; i++) {
            int[] b = BLOCKS[i - 1];
            String p = "features." + i + ".block.";
            int j = 0;
            if (b[1] != b[0]) {
                convBn(p + j++, b[1], 1, 1, 1);
            }
            convBn(p + j++, b[1], b[3], b[4], b[1]);
            if (b[5] > 0) {
                String se = p + j++ + ".conc_se_layers.0.";
                layer(se + "fc1", Linear.builder().setUnits(b[5]).build());
                layer(se + "fc2", Linear.builder().setUnits(b[1]).build());
            }
            convBn(p + j, b[2], 1, 1, 1);
        }
        convBn("features.16", EMBEDDING, 1, 1, 1);
        layer("classifier.2", Linear.builder().setUnits(512).build());
        layer("classifier.5", Linear.builder().setUnits(AUDIOSET_CLASSES).build());
        head = classes > 0 ? addChildBlock("head", Linear.builder().setUnits(classes).build()) : null;
    }

    @Override
    public Map<String, Block> baseLayers() {
        return layers;
    }

    @Override
    public Linear head() {
        return head;
    }

    @Override
    public int evidenceSize() {
        return EMBEDDING + AUDIOSET_CLASSES;
    }

    /** A convolution ({@code name.0}, no bias, same padding) and its batch norm ({@code name.1}). */
    private void convBn(String name, int out, int kernel, int stride, int groups) {
        layer(name + ".0", Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(out)
                .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2))
                .optGroups(groups).optBias(false).build());
        layer(name + ".1", BatchNorm.builder().optEpsilon(EPS).optAxis(1).build());
    }

    private void layer(String name, Block b) {
        layers.put(name, addChildBlock(name.replace('.', '_'), b));
    }

    private NDArray run(ParameterStore ps, String name, NDArray x) {
        return layers.get(name).forward(ps, new NDList(x), false).singletonOrThrow();
    }

    private NDArray convBn(ParameterStore ps, String name, NDArray x) {
        return run(ps, name + ".1", run(ps, name + ".0", x));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray evidence = evidence(ps, inputs.singletonOrThrow(), null);
        NDArray logits = head.forward(ps, new NDList(evidence), training).singletonOrThrow();
        return new NDList(logits, evidence);
    }

    @Override
    public NDArray evidence(ParameterStore ps, NDArray windows) {
        return evidence(ps, windows, null);
    }

    /**
     * @param x {@code (B, 1, 128, T)}
     * @param stages where to add the output of each of {@code features.0 .. features.16}; may be null
     * @return the embedding followed by the AudioSet logits, {@code (B, 911)}
     */
    NDArray evidence(ParameterStore ps, NDArray x, List<NDArray> stages) {
        x = hardSwish(convBn(ps, "features.0", x));
        add(stages, x);
        for (int i = 1; i <= BLOCKS.length; i++) {
            int[] b = BLOCKS[i - 1];
            String p = "features." + i + ".block.";
            int j = 0;
            NDArray y = x;
            if (b[1] != b[0]) {
                y = activation(convBn(ps, p + j++, y), b[6]);
            }
            y = activation(convBn(ps, p + j++, y), b[6]);
            if (b[5] > 0) {
                String se = p + j++ + ".conc_se_layers.0.";
                NDArray s = y.mean(new int[] {2, 3});
                s = Activation.sigmoid(run(ps, se + "fc2", Activation.relu(run(ps, se + "fc1", s))));
                y = y.mul(s.expandDims(2).expandDims(3));
            }
            y = convBn(ps, p + j, y);
            x = b[4] == 1 && b[0] == b[2] ? y.add(x) : y;
            add(stages, x);
        }
        x = hardSwish(convBn(ps, "features.16", x));
        add(stages, x);
        NDArray embedding = x.mean(new int[] {2, 3});
        NDArray audioSet = run(ps, "classifier.5", hardSwish(run(ps, "classifier.2", embedding)));
        return NDArrays.concat(new NDList(embedding, audioSet), 1);
    }

    private static void add(List<NDArray> stages, NDArray x) {
        if (stages != null) {
            stages.add(x);
        }
    }

    private static NDArray activation(NDArray x, int hardSwish) {
        return hardSwish == 1 ? hardSwish(x) : Activation.relu(x);
    }

    /** {@code x * relu6(x + 3) / 6}, PyTorch's {@code Hardswish}. */
    private static NDArray hardSwish(NDArray x) {
        return x.mul(x.add(3).clip(0, 6)).div(6);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return outputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // Walk the shapes through the layers in order; a squeeze-excitation layer sees (B, channels).
        Shape shape = inputShapes[0];
        long batch = shape.get(0);
        for (Map.Entry<String, Block> e : layers.entrySet()) {
            Block b = e.getValue();
            String name = e.getKey();
            if (name.endsWith("fc1")) {
                b.initialize(manager, dataType, new Shape(batch, shape.get(1)));
            } else if (name.endsWith("fc2")) {
                b.initialize(manager, dataType, layers.get(name.replace("fc2", "fc1")).getOutputShapes(
                        new Shape[] {new Shape(batch, shape.get(1))}));
            } else if (name.equals("classifier.2")) {
                b.initialize(manager, dataType, new Shape(batch, EMBEDDING));
            } else if (name.equals("classifier.5")) {
                b.initialize(manager, dataType, new Shape(batch, 512));
            } else {
                b.initialize(manager, dataType, shape);
                shape = b.getOutputShapes(new Shape[] {shape})[0];
            }
        }
        if (head != null) {
            head.initialize(manager, dataType, new Shape(batch, evidenceSize()));
        }
    }

    /**
     * Runs the base alone, keeping every stage, for checking a port against the authors' outputs.
     *
     * @param ps parameters
     * @param x input {@code (B, 1, 128, T)}
     * @return the outputs of {@code features.0 .. features.16}, then the evidence
     */
    public List<NDArray> stages(ParameterStore ps, NDArray x) {
        List<NDArray> stages = new ArrayList<>();
        NDArray evidence = evidence(ps, x, stages);
        stages.add(evidence);
        return stages;
    }
}
