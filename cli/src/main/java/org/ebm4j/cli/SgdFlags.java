package org.ebm4j.cli;

import org.ebm4j.train.GradientOptionsBuilder;
import org.ebm4j.train.GradientSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The minibatch gradient-descent flags of the commands that train for a number of passes over the data
 * ({@code ebm rbm train}, {@code ebm bm train}, {@code ebm dbm train}, {@code ebm dbm classify} and the
 * conditional, chain and segment training commands): the step's flags ({@link GradientStepFlags}) and
 * {@code --epochs}, with defaults each command chooses. Each command checks them where it builds its
 * options, or leaves that to the library.
 */
public final class SgdFlags {
    @Mixin
    GradientStepFlags step;

    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    /** The flags with the defaults of the command's options record ({@code XOptions.builder().build()}). */
    public SgdFlags(GradientSettings defaults) {
        this(defaults.batchSize(), defaults.epochs(), defaults.learningRate(), defaults.momentum(), defaults.weightDecay());
    }

    /** The flags with every default chosen by the command. */
    public SgdFlags(int defaultBatch, int defaultEpochs, double defaultLr, double defaultMomentum,
                    double defaultWeightDecay) {
        step = new GradientStepFlags(defaultLr, defaultMomentum, defaultWeightDecay, defaultBatch);
        epochs = defaultEpochs;
    }

    public double learningRate() {
        return step.lr;
    }

    public double momentum() {
        return step.momentum;
    }

    public double weightDecay() {
        return step.weightDecay;
    }

    public int batch() {
        return step.batch;
    }

    public int epochs() {
        return epochs;
    }

    /** Sets the learning rate, momentum, weight decay and batch size on {@code options}; each builder sets its epochs. */
    public <B extends GradientOptionsBuilder<?, B>> B applyTo(B options) {
        return step.applyTo(options);
    }
}
