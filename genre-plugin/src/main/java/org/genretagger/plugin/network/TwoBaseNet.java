package org.genretagger.plugin.network;

import org.genretagger.plugin.model.ModelConfig;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Two frozen pretrained bases heard together, with one linear head on both evidences: the main base
 * on the window, and a companion (a config's {@link ModelConfig#companion}) on patches inside it,
 * with the companion's own output layer kept (musicnn's 50 Million Song Dataset tags beside
 * EfficientAT's AudioSet classes). Each network learned genres from different music; the head reads
 * both.
 *
 * <p>Input {@code (batch, inputSize)}: each row the main window (mel-major) followed by the
 * companion's patches, as {@link ModelConfig#inputSize} lays them out. Evidence: the main base's,
 * then the companion's embedding and own outputs averaged over the window's patches.
 */
public final class TwoBaseNet extends AbstractBlock implements BaseNetwork {
    private static final byte VERSION = 1;

    private final ModelConfig config;
    private final BaseNetwork main;
    private final BaseNetwork companion;
    private final Linear head;

    /** @param config a config with a companion base */
    TwoBaseNet(ModelConfig config) {
        super(VERSION);
        this.config = config;
        main = addChildBlock("main", GenreNet.base(config, 0));
        companion = addChildBlock("companion", GenreNet.base(config.companion, config.companion.numClasses()));
        head = addChildBlock("head", Linear.builder().setUnits(config.numClasses()).build());
    }

    /** @return the main base (no head of its own) */
    public BaseNetwork main() {
        return main;
    }

    /** @return the companion base, its own output layer as its head */
    public BaseNetwork companion() {
        return companion;
    }

    /** Both bases' layers, the companion's prefixed {@code companion/} (its output layer as {@code companion/head}). */
    @Override
    public Map<String, Block> baseLayers() {
        Map<String, Block> all = new LinkedHashMap<>(main.baseLayers());
        companion.baseLayers().forEach((name, layer) -> all.put("companion/" + name, layer));
        all.put("companion/head", companion.head());
        return all;
    }

    @Override
    public Linear head() {
        return head;
    }

    @Override
    public int evidenceSize() {
        return main.evidenceSize() + companionEvidenceSize();
    }

    private int companionEvidenceSize() {
        return companion.evidenceSize() + config.companion.numClasses();
    }

    @Override
    public NDArray evidence(ParameterStore ps, NDArray input) {
        long batch = input.getShape().get(0);
        int mainSize = config.nMels * config.windowFrames;
        ModelConfig c = config.companion;
        NDArray window = input.get(":, :" + mainSize).reshape(batch, 1, config.nMels, config.windowFrames);
        NDArray patches = input.get(":, " + mainSize + ":").reshape(batch * config.companionPatches, 1, c.nMels, c.windowFrames);
        NDArray mainEvidence = main.evidence(ps, window);
        NDArray embedding = companion.evidence(ps, patches);
        NDArray own = companion.head().forward(ps, new NDList(embedding), false).singletonOrThrow();
        NDArray companionEvidence = NDArrays.concat(new NDList(embedding, own), 1)
                .reshape(batch, config.companionPatches, companionEvidenceSize()).mean(new int[] {1});
        return NDArrays.concat(new NDList(mainEvidence, companionEvidence), 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray evidence = evidence(ps, inputs.singletonOrThrow());
        NDArray logits = head.forward(ps, new NDList(evidence), training).singletonOrThrow();
        return new NDList(logits, evidence);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return outputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        ModelConfig c = config.companion;
        main.initialize(manager, dataType, new Shape(batch, 1, config.nMels, config.windowFrames));
        companion.initialize(manager, dataType, new Shape(batch * config.companionPatches, 1, c.nMels, c.windowFrames));
        head.initialize(manager, dataType, new Shape(batch, evidenceSize()));
    }
}
