package org.ebm4j.cli;

import org.ebm4j.train.GradientOptionsBuilder;
import picocli.CommandLine.Option;

/**
 * The minibatch gradient-descent flags that {@code ebm rbm train}, {@code ebm bm train} and the
 * conditional, chain and segment training commands share: {@code --lr}, {@code --momentum},
 * {@code --weight-decay} (the same defaults), {@code --batch} and {@code --epochs} (defaults each command
 * chooses). Each command checks them where it builds its options, or leaves that to the library.
 */
public final class SgdFlags {
    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.05", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.5", description = "Momentum in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "L2", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    /** Its initial value, which each command chooses, is the default; so for {@code --epochs}. */
    @Option(names = "--batch", paramLabel = "N", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    /** The flags with {@code --batch} and {@code --epochs} defaulting to {@code defaultBatch} and {@code defaultEpochs}. */
    public SgdFlags(int defaultBatch, int defaultEpochs) {
        batch = defaultBatch;
        epochs = defaultEpochs;
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
