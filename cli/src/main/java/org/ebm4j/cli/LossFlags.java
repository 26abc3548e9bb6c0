package org.ebm4j.cli;

import picocli.CommandLine.Option;

/**
 * The flags of a contrastive loss: {@code --loss}, {@code --margin} and {@code --loss-scale}, which
 * {@code ebm energy train} and the conditional-energy training commands (through
 * {@link org.ebm4j.cli.conditional.AnswerLossFlags}) share. Each command chooses the default loss, and
 * one whose losses differ describes {@code --loss} and {@code --margin} in its resource bundle.
 */
public final class LossFlags {
    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--loss", paramLabel = "NAME",
            description = "energy, perceptron, hinge, log, square-square, square-exp, nll, lvq2, mce, min-hinge; segment train"
                    + " takes perceptron, lvq2 and nll, chain train perceptron, hinge (margin per differing digit) and nll"
                    + " (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--margin", paramLabel = "X", description = "Constant margin of hinge, min-hinge and square-square (default: ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--loss-scale", paramLabel = "X", description = "gamma of square-exp, beta of nll, delta of lvq2 (default: ${DEFAULT-VALUE}).")
    double lossScale;

    /** The flags with {@code --loss} defaulting to {@code defaultLoss}, margin and scale to 1. */
    public LossFlags(String defaultLoss) {
        this(new Loss(defaultLoss, 1, 1));
    }

    /** The flags defaulting to {@code defaults}' loss, margin and scale. */
    public LossFlags(Loss defaults) {
        loss = defaults.name();
        margin = defaults.margin();
        lossScale = defaults.scale();
    }

    /** A loss as the flags give it: its name, its margin and its scale (gamma, beta or delta). */
    public record Loss(String name, double margin, double scale) {
    }

    /** The loss the flags say. */
    public Loss value() {
        return new Loss(loss, margin, lossScale);
    }
}
