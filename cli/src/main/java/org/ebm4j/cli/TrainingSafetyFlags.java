package org.ebm4j.cli;

import org.ebm4j.train.Optimizer;
import org.ebm4j.train.TrainingOptionsBuilder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --optimizer}, {@code --patience} and {@code --max-rollbacks}: the settings of the library's
 * training safety ({@link org.ebm4j.train.TrainingSafety}) that every training command shares. Each
 * family watches its own metric, so a command names it in the {@code patience} entry of its resource
 * bundle; without one, the description stays generic.
 */
public final class TrainingSafetyFlags {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--optimizer", paramLabel = "sgd|adam", defaultValue = "sgd",
            description = "Momentum SGD or Adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "0", descriptionKey = "patience",
            description = "Early stopping: stop after N metric evaluations without a better watched metric and keep "
                    + "the best model; 0 for none (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--max-rollbacks", paramLabel = "N", defaultValue = "3",
            description = "Divergences rolled back with the learning rate halved before training fails "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxRollbacks;

    /** The optimizer named (a usage error naming the flag otherwise). */
    public Optimizer optimizer() {
        return FlagChecks.parse(spec, "--optimizer", () -> Optimizer.parse(optimizer));
    }

    /**
     * The patience given, or 0; its range ({@code >= 0}) is the options record's, refused as this flag's usage
     * error when the record is built.
     */
    public int patience() {
        return patience;
    }

    /** The rollbacks allowed, or 3; its range ({@code >= 0}) is the options record's, as for {@link #patience()}. */
    public int maxRollbacks() {
        return maxRollbacks;
    }

    /** Sets all three on {@code options}. */
    public <B extends TrainingOptionsBuilder<?, B>> B applyTo(B options) {
        return options.optimizer(optimizer()).patience(patience()).maxRollbacks(maxRollbacks());
    }
}
