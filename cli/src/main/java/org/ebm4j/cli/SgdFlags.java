package org.ebm4j.cli;

import org.ebm4j.train.GradientOptionsBuilder;
import picocli.CommandLine.Option;

/**
 * The minibatch gradient-descent flags that {@code ebm rbm train}, {@code ebm bm train},
 * {@code ebm dbm classify} and the conditional, chain and segment training commands share:
 * {@code --lr}, {@code --momentum}, {@code --weight-decay}, {@code --batch} and {@code --epochs}, with
 * defaults each command chooses (all but {@code dbm classify} share 0.05, 0.5 and 0 for the first
 * three). Each command checks them where it builds its options, or leaves that to the library.
 */
public final class SgdFlags {
    /** The initial values of these fields, which each command chooses, are the defaults. */
    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", paramLabel = "M", description = "Momentum in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "L2", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--batch", paramLabel = "N", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    /**
     * The flags with {@code --batch} and {@code --epochs} defaulting to {@code defaultBatch} and
     * {@code defaultEpochs}, and the generative trainers' learning rate 0.05, momentum 0.5, no weight decay.
     */
    public SgdFlags(int defaultBatch, int defaultEpochs) {
        this(defaultBatch, defaultEpochs, 0.05, 0.5, 0);
    }

    /** The flags with every default chosen by the command. */
    public SgdFlags(int defaultBatch, int defaultEpochs, double defaultLr, double defaultMomentum,
                    double defaultWeightDecay) {
        batch = defaultBatch;
        epochs = defaultEpochs;
        lr = defaultLr;
        momentum = defaultMomentum;
        weightDecay = defaultWeightDecay;
    }

    public double learningRate() {
        return lr;
    }

    public double momentum() {
        return momentum;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public int batch() {
        return batch;
    }

    public int epochs() {
        return epochs;
    }

    /** Sets the learning rate, momentum, weight decay and batch size on {@code options}; each builder sets its epochs. */
    public <B extends GradientOptionsBuilder<?, B>> B applyTo(B options) {
        return options.learningRate(lr).momentum(momentum).weightDecay(weightDecay).batchSize(batch);
    }
}
