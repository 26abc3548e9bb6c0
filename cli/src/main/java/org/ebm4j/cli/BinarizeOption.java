package org.ebm4j.cli;

import org.ebm4j.data.Binarization;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --binarize}: how the pixels of the data become binary ({@code ebm rbm train}, {@code ebm rbm eval},
 * {@code ebm dbm train}). A command either sets the default or leaves the flag without one, when what
 * happens then depends on the model (the visible units, the trained model's own binarization) and the
 * command's bundle describes {@code binarize}.
 */
public final class BinarizeOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--binarize", paramLabel = "none|fixed[:T]|stochastic[:SEED]",
            description = "How pixels become binary (default: ${DEFAULT-VALUE}).")
    String binarize;

    /** The flag with no default: the command decides when it is not given. */
    public BinarizeOption() {
    }

    /** The flag with {@code defaults} unless given. */
    public BinarizeOption(Binarization defaults) {
        binarize = defaults.toString();
    }

    /**
     * The binarization given (or the default), {@code stochastic} drawing under {@code seed} unless it names
     * its own; null when the flag has no default and was not given. A malformed value is the flag's usage
     * error.
     */
    public Binarization value(long seed) {
        return binarize == null ? null : FlagChecks.parse(spec, "--binarize", () -> Binarization.parse(binarize, seed));
    }
}
