package org.ebm4j.cli.conditional;

import java.util.function.UnaryOperator;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.LossFlags;
import org.ebm4j.cli.SgdFlags;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.conditional.ConditionalOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The flags of a conditional energy's network and loss that {@code ebm conditional train},
 * {@code ebm segment train} and {@code ebm chain train} share (the latter two refuse the losses they have no form of): {@code --loss}, {@code --margin}, {@code --loss-scale}
 * ({@link LossFlags}), {@code --encoding} and {@code --layers} (the loss and layers defaulting as each command chooses).
 */
public final class AnswerLossFlags {
    /** Its loss is the default each command chooses; so for {@code --layers}. */
    @Mixin
    LossFlags loss;

    @Option(names = "--encoding", paramLabel = "block|one-hot",
            description = "How x and y meet: a first layer per answer, or y as one-hot columns (default: ${DEFAULT-VALUE}).")
    String encoding = "block";

    @Option(names = "--layers", paramLabel = "SPEC", description = "Hidden layers of the joint network (default: ${DEFAULT-VALUE}).")
    String layers;

    /** The flags with {@code --loss} and {@code --layers} defaulting to {@code defaultLoss} and {@code defaultLayers}. */
    public AnswerLossFlags(String defaultLoss, String defaultLayers) {
        loss = new LossFlags(defaultLoss);
        layers = defaultLayers;
    }

    /** The loss's name. */
    public String loss() {
        return loss.value().name();
    }

    /** {@code builder} with the encoding, layers, loss, margin and loss scale these flags say. */
    public ConditionalOptions.Builder apply(ConditionalOptions.Builder builder) {
        LossFlags.Loss l = loss.value();
        return builder.encoding(ConditionalEnergy.Encoding.byName(encoding)).layers(layers).loss(l.name()).margin(l.margin())
                .lossScale(l.scale());
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
