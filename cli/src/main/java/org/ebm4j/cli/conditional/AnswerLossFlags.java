package org.ebm4j.cli.conditional;

import java.util.function.UnaryOperator;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.LossFlags;
import org.ebm4j.cli.SgdFlags;
import org.ebm4j.cli.TrainingSafetyFlags;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.energy.EnergyNetwork;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The flags of a conditional energy's network, loss and training that {@code ebm conditional train},
 * {@code ebm segment train} and {@code ebm chain train} share (the latter two refuse the losses they have no form of): {@code --loss}, {@code --margin}, {@code --loss-scale}
 * ({@link LossFlags}), {@code --encoding}, {@code --layers}, the gradient flags ({@link SgdFlags}),
 * {@code --holdout} ({@link HoldoutOption}) and the training safety's flags ({@link TrainingSafetyFlags}),
 * defaulting to the training options of the command's family in the library.
 */
public final class AnswerLossFlags {
    /** Its defaults are those of the family's options; so for {@code --encoding} and {@code --layers}. */
    @Mixin
    LossFlags loss;

    @Option(names = "--encoding", paramLabel = "block|one-hot",
            description = "How x and y meet: a first layer per answer, or y as one-hot columns (default: ${DEFAULT-VALUE}).")
    String encoding;

    @Option(names = "--layers", paramLabel = "SPEC", description = "Hidden layers of the joint network (default: ${DEFAULT-VALUE}).")
    String layers;

    /** The gradient flags, defaulting to the family's learning rate, momentum, weight decay, batch and epochs. */
    @Mixin
    SgdFlags sgd;

    @Mixin
    HoldoutOption holdout;

    @Mixin
    TrainingSafetyFlags safety;

    private final ConditionalOptions defaults;

    /**
     * The flags defaulting to {@code defaults} (the library's training options of the command's family,
     * e.g. {@code ConditionalOptions.builder().build()}); the options these flags give start from them too.
     */
    public AnswerLossFlags(ConditionalOptions defaults) {
        this.defaults = defaults;
        ConditionalOptions d = defaults;
        loss = new LossFlags(new LossFlags.Loss(d.loss(), d.margin(), d.lossScale()));
        encoding = d.encoding().id();
        layers = EnergyNetwork.layerSpec(d.layers());
        sgd = new SgdFlags(d);
    }

    /** The training examples held out, and the metrics reported with them. */
    public HoldoutOption holdout() {
        return holdout;
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

    /** {@link #options(CommandSpec, long, UnaryOperator)} for a command with no settings of its own. */
    public ConditionalOptions options(CommandSpec spec, long seed) {
        return options(spec, seed, UnaryOperator.identity());
    }

    /**
     * The training options of a command that fits a conditional energy: {@code own} (the command's own
     * settings and checks, applied first), then the hold-out, the training safety, these flags
     * ({@link #apply}), the gradient flags' steps and epochs and {@code seed}; a setting the library refuses
     * is a usage error naming it.
     */
    public ConditionalOptions options(CommandSpec spec, long seed,
                                      UnaryOperator<ConditionalOptions.Builder> own) {
        try {
            ConditionalOptions.Builder b = safety.applyTo(own.apply(defaults.toBuilder())).holdout(holdout.value());
            return sgd.applyTo(apply(b)).epochs(sgd.epochs()).seed(seed).build();
        } catch (IllegalArgumentException e) {
            throw FlagChecks.settingError(spec, e);
        }
    }
}
