package org.ebm4j.cli.conditional;

import org.ebm4j.cli.FlagChecks;
import org.ebm4j.conditional.ConditionalModel;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.data.HoldOut;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --holdout N}: the last N training examples (rows, digit strings or sequences) that a conditional
 * energy's trainer holds out ({@link ConditionalOptions#holdout()}), the examples whose loss early stopping
 * ({@code --patience}) watches; and the per-epoch metrics a command prints with them.
 */
public final class HoldoutOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--holdout", paramLabel = "N", description = "The last N training examples held out of training"
            + " (not the --held-out test data): every epoch reports their loss, which --patience watches, and their"
            + " error (default: ${DEFAULT-VALUE}).")
    int holdout = ConditionalOptions.builder().build().holdout();

    /** The examples held out (its range is the options record's, a usage error when they are built). */
    public int value() {
        return holdout;
    }

    /**
     * Refuses, as a usage error naming {@code --holdout}, a hold-out that leaves none of {@code total}
     * training examples ({@link HoldOut#trainingCount}); returns how many are trained on.
     */
    public int trainingCount(String name, int total, String unit) {
        return FlagChecks.parse(spec, "--holdout", () -> HoldOut.trainingCount(name, total, holdout, unit));
    }

    /** {@code training}'s metrics, then with a hold-out {@link ConditionalModel#HELDOUT_METRIC} and its error. */
    public String[] metrics(String... training) {
        if (holdout == 0) {
            return training;
        }
        String[] all = java.util.Arrays.copyOf(training, training.length + 2);
        all[training.length] = ConditionalModel.HELDOUT_METRIC;
        all[training.length + 1] = ConditionalModel.HELDOUT_ERROR;
        return all;
    }
}
