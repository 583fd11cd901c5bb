package org.genretagger.plugin.model;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
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

    /** @return the length of the evidence vector the head reads */
    int evidenceSize();
}
