package org.genretagger.plugin.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A pretrained base network with a linear head on its evidence. The block returns two arrays: the
 * head's logits and the evidence the head reads (the base's embedding, and for bases that have one,
 * its own output layer's logits). The base's layers are frozen and imported once from the authors'
 * weights, under their source names.
 */
public interface BaseNetwork extends Block {
    /** @return the layers by their names in the source weights file, for importing and copying weights */
    Map<String, Block> baseLayers();

    /** @return the linear head on the evidence */
    Linear head();

    /**
     * @param ps parameters
     * @param windows normalised windows, {@code (batch, 1, mels, frames)}
     * @return the evidence the head reads, {@code (batch, evidenceSize)}
     */
    NDArray evidence(ParameterStore ps, NDArray windows);

    /** @return the length of the evidence vector the head reads */
    int evidenceSize();

    /**
     * Identifies the base's weights whatever head sits on them and whichever file they came in: the
     * shipped genre model and the imported base it was trained on hold the same base arrays.
     *
     * @return SHA-256 (hex) over every parameter of every layer but the head, in layer order: its
     *     name ({@code layer.parameter}) and its values as big-endian float32
     */
    default String baseSha256() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, Block> layer : baseLayers().entrySet()) {
            for (Pair<String, Parameter> p : layer.getValue().getParameters()) {
                sha.update((layer.getKey() + "." + p.getKey()).getBytes(StandardCharsets.UTF_8));
                float[] values = p.getValue().getArray().toFloatArray();
                ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES);
                b.asFloatBuffer().put(values);
                sha.update(b);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * @param inputShapes the windows' shape, batch first
     * @return the head's logits and the evidence, batch first
     */
    default Shape[] outputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape evidence = new Shape(batch, evidenceSize());
        return new Shape[] {head().getOutputShapes(new Shape[] {evidence})[0], evidence};
    }
}
