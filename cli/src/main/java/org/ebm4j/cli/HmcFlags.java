package org.ebm4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The step-size flags of the commands that run HMC ({@code ebm hmc sample}, and the negatives of
 * {@code ebm energy train}): {@code --step-size}, {@code --adapt}, {@code --target-accept}. Each command
 * chooses its own defaults through the constructor.
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

    /** Rejects a step size that is not finite and positive, and a target acceptance outside (0, 1). */
    void check(CommandSpec spec) {
        if (!(stepSize > 0) || !Double.isFinite(stepSize)) {
            throw FlagChecks.error(spec, "--step-size must be finite and > 0 but was " + stepSize);
        }
        if (!(targetAccept > 0 && targetAccept < 1)) {
            throw FlagChecks.error(spec, "--target-accept must lie in (0, 1) but was " + targetAccept);
        }
    }
}
