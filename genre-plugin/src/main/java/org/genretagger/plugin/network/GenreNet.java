package org.genretagger.plugin.network;

import org.genretagger.plugin.model.ModelConfig;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/**
 * The genre network, defined once for training and inference: convolution blocks (3×3 conv,
 * batch norm, ReLU, 2×2 max pool) over the mel × time window, global average pooling, dropout and
 * a linear layer giving one logit per genre.
 */
public final class GenreNet {
    /** The config's name for this network. */
    public static final String CNN = "cnn";

    private GenreNet() {}

    /**
     * @param config the network's name, channels, dropout and the number of classes
     * @return an uninitialised block taking {@link #inputShape}: this CNN, a {@link PretrainedNet} or
     *     {@link EfficientAtNet} when the config names one, or a {@link TwoBaseNet} when it has a companion
     */
    public static Block build(ModelConfig config) {
        if (config.companion != null) {
            return new TwoBaseNet(config);
        }
        if (!CNN.equals(config.network)) {
            return base(config, config.numClasses());
        }
        SequentialBlock net = new SequentialBlock();
        for (int channels : config.channels) {
            net.add(Conv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .optPadding(new Shape(1, 1))
                            .optBias(false)
                            .setFilters(channels)
                            .build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)));
        }
        net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Dropout.builder().optRate((float) config.dropout).build())
                .add(Linear.builder().setUnits(config.numClasses()).build());
        return net;
    }

    /**
     * @param config names a pretrained network
     * @param classes outputs of its head; 0 for none
     * @return the pretrained network
     */
    static BaseNetwork base(ModelConfig config, int classes) {
        if (EfficientAtNet.EFFICIENTAT.equals(config.network)) {
            return new EfficientAtNet(classes);
        }
        return PretrainedNet.build(config.network, classes);
    }

    /**
     * @param config the model config
     * @param batch batch size
     * @return the input shape for a batch of windows: {@code (batch, 1, mels, frames)}, or with a
     *     companion base {@code (batch, inputSize)}
     */
    public static Shape inputShape(ModelConfig config, int batch) {
        if (config.companion != null) {
            return new Shape(batch, config.inputSize());
        }
        return new Shape(batch, 1, config.nMels, config.windowFrames);
    }
}
