package org.ebm4j.cli.conditional;

import java.util.function.UnaryOperator;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.SgdFlags;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.conditional.ConditionalOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The flags of a conditional energy's network and loss that {@code ebm conditional train},
 * {@code ebm segment train} and {@code ebm chain train} share (the latter two refuse the losses they have no form of): {@code --loss}, {@code --margin}, {@code --loss-scale},
 * {@code --encoding} and {@code --layers} (the loss and layers defaulting as each command chooses).
 */
public final class AnswerLossFlags {
    /** Its initial value, which each command chooses, is the default; so for {@code --layers}. */
    @Option(names = "--loss", paramLabel = "NAME",
            description = "energy, perceptron, hinge, log, square-square, square-exp, nll, lvq2, mce, min-hinge; segment train"
                    + " takes perceptron, lvq2 and nll, chain train perceptron, hinge (margin per differing digit) and nll"
                    + " (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--margin", paramLabel = "X", description = "Constant margin of hinge, min-hinge and square-square (default: ${DEFAULT-VALUE}).")
    double margin = 1;

    @Option(names = "--loss-scale", paramLabel = "X", description = "gamma of square-exp, beta of nll, delta of lvq2 (default: ${DEFAULT-VALUE}).")
    double lossScale = 1;

    @Option(names = "--encoding", paramLabel = "block|one-hot",
            description = "How x and y meet: a first layer per answer, or y as one-hot columns (default: ${DEFAULT-VALUE}).")
    String encoding = "block";

    @Option(names = "--layers", paramLabel = "SPEC", description = "Hidden layers of the joint network (default: ${DEFAULT-VALUE}).")
    String layers;

    /** The flags with {@code --loss} and {@code --layers} defaulting to {@code defaultLoss} and {@code defaultLayers}. */
    public AnswerLossFlags(String defaultLoss, String defaultLayers) {
        loss = defaultLoss;
        layers = defaultLayers;
    }

    /** The loss's name. */
    public String loss() {
        return loss;
    }

    /** {@code builder} with the encoding, layers, loss, margin and loss scale these flags say. */
    public ConditionalOptions.Builder apply(ConditionalOptions.Builder builder) {
        return builder.encoding(ConditionalEnergy.Encoding.byName(encoding)).layers(layers).loss(loss).margin(margin)
                .lossScale(lossScale);
    }

    /** {@link #options(CommandSpec, SgdFlags, long, UnaryOperator)} for a command with no settings of its own. */
    public ConditionalOptions options(CommandSpec spec, SgdFlags sgd, long seed) {
        return options(spec, sgd, seed, UnaryOperator.identity());
    }

    /**
     * The training options of a command that fits a conditional energy: {@code own} (the command's own
     * settings and checks, applied first), then these flags ({@link #apply}), {@code sgd}'s steps and epochs
     * and {@code seed}; a setting the library refuses is a usage error naming it.
     */
    public ConditionalOptions options(CommandSpec spec, SgdFlags sgd, long seed,
                                      UnaryOperator<ConditionalOptions.Builder> own) {
        try {
            return sgd.applyTo(apply(own.apply(ConditionalOptions.builder()))).epochs(sgd.epochs()).seed(seed).build();
        } catch (IllegalArgumentException e) {
            throw FlagChecks.settingError(spec, e);
        }
    }
}
