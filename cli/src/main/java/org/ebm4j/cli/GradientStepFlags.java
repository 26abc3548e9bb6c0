package org.ebm4j.cli;

import org.ebm4j.train.GradientOptionsBuilder;
import picocli.CommandLine.Option;

/**
 * The flags of one momentum-SGD step, which every gradient-trained model's command shares:
 * {@code --lr}, {@code --momentum}, {@code --weight-decay} and {@code --batch}, with defaults each
 * command chooses. {@link SgdFlags} adds {@code --epochs} for the commands that count passes over
 * the data and reads the values; {@code ebm energy train} counts parameter updates ({@code --iterations})
 * instead and its demo presets set the fields.
 */
public final class GradientStepFlags {
    /** The initial values of these fields, which each command chooses, are the defaults. */
    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", paramLabel = "M", description = "Momentum in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "L2", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--batch", paramLabel = "N", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    /** The flags with every default chosen by the command. */
    public GradientStepFlags(double defaultLr, double defaultMomentum, double defaultWeightDecay, int defaultBatch) {
        lr = defaultLr;
        momentum = defaultMomentum;
        weightDecay = defaultWeightDecay;
        batch = defaultBatch;
    }

    /** Sets the learning rate, momentum, weight decay and batch size on {@code options}. */
    public <B extends GradientOptionsBuilder<?, B>> B applyTo(B options) {
        return options.learningRate(lr).momentum(momentum).weightDecay(weightDecay).batchSize(batch);
    }
}
