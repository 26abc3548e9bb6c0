package org.ebm4j.cli;

import picocli.CommandLine.Option;

/**
 * The step-size flags of the commands that run HMC ({@code ebm hmc sample}, and the negatives of
 * {@code ebm energy train}): {@code --step-size}, {@code --adapt}, {@code --target-accept}. Each command
 * chooses its own defaults through the constructor. Their ranges are the options record's that the
 * command builds ({@code HmcOptions}, {@code EnergyOptions}), checked when it is built.
 */
public final class HmcFlags {
    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--step-size", paramLabel = "X", description = "Leapfrog step size, or the start of its adaptation (default: ${DEFAULT-VALUE}).")
    double stepSize;

    @Option(names = "--adapt", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Adapt the step size toward --target-accept (default: on; --no-adapt keeps --step-size).")
    boolean adapt = true;

    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--target-accept", paramLabel = "X", description = "Acceptance rate the step-size adaptation aims at (default: ${DEFAULT-VALUE}).")
    double targetAccept;

    /** Flags whose {@code --step-size} and {@code --target-accept} are these defaults unless given. */
    public HmcFlags(double defaultStepSize, double defaultTargetAccept) {
        stepSize = defaultStepSize;
        targetAccept = defaultTargetAccept;
    }
}
