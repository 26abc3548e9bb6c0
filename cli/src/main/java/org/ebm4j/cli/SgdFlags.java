package org.ebm4j.cli;

import picocli.CommandLine.Option;

/**
 * The gradient-step flags that {@code ebm rbm train} and {@code ebm bm train} share, with the same
 * defaults: {@code --lr}, {@code --momentum}, {@code --weight-decay}. Each command checks them where
 * it builds its options.
 */
public final class SgdFlags {
    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.05", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.5", description = "Momentum in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "L2", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    public double learningRate() {
        return lr;
    }

    public double momentum() {
        return momentum;
    }

    public double weightDecay() {
        return weightDecay;
    }
}
