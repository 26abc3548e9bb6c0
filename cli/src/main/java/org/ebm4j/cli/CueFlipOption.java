package org.ebm4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --flip}: the fraction of a pattern's units flipped to make its cue ({@code ebm hopfield recall},
 * {@code capacity} and {@code mnist}), checked the same way in each; each command chooses the default.
 */
final class CueFlipOption {
    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--flip", paramLabel = "F",
            description = "Fraction of each pattern's units flipped to make its cue (default: ${DEFAULT-VALUE}).")
    double fraction;

    /** The option with {@code defaultFraction} unless given. */
    CueFlipOption(double defaultFraction) {
        fraction = defaultFraction;
    }

    /** The fraction given, which must lie in [0, 0.5] (else a usage error). */
    double value(FlagChecks checks) {
        return checks.inRange("--flip", fraction, 0.0, 0.5, false);
    }
}
