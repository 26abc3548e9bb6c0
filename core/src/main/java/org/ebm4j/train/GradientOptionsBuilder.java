package org.ebm4j.train;

import java.util.Objects;

/**
 * The base of the builders of options for minibatch gradient training with momentum SGD: the setters
 * of the learning rate, momentum, weight decay, batch size and seed, which every such options record
 * has, declared once here. Older records store the learning rate and batch size under shorter keys
 * ({@code lr}, {@code batch}) than newer ones ({@code learning_rate}, {@code batch_size}); the keys
 * stay as they are, so that model files already written read back, and each builder names its own.
 *
 * @param <O> the options record
 * @param <B> the builder itself
 */
public abstract class GradientOptionsBuilder<O extends Record, B extends GradientOptionsBuilder<O, B>>
        extends TrainingOptionsBuilder<O, B> {
    private final String learningRateKey;
    private final String batchSizeKey;

    /**
     * @param learningRateKey the table's key of the learning rate
     * @param batchSizeKey    the table's key of the minibatch size
     */
    protected GradientOptionsBuilder(OptionTable<O, B> table, String learningRateKey, String batchSizeKey) {
        super(table);
        this.learningRateKey = Objects.requireNonNull(learningRateKey, "learningRateKey");
        this.batchSizeKey = Objects.requireNonNull(batchSizeKey, "batchSizeKey");
    }

    /** The (base) learning rate. */
    public B learningRate(double v) {
        return set(learningRateKey, v);
    }

    /** The momentum of SGD, in [0, 1). */
    public B momentum(double v) {
        return set("momentum", v);
    }

    /** The L2 weight decay. */
    public B weightDecay(double v) {
        return set("weight_decay", v);
    }

    /** The rows of one minibatch. */
    public B batchSize(int v) {
        return set(batchSizeKey, v);
    }

    /** The seed of every random stream of the training. */
    public B seed(long v) {
        return set("seed", v);
    }
}
