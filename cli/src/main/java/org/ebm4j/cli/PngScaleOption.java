package org.ebm4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --scale}: the magnification of the {@link BinaryImageGrid} picture of the Hopfield commands that
 * draw one ({@code ebm hopfield recall}, {@code ebm hopfield mnist}); each command chooses the default.
 */
final class PngScaleOption {
    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--scale", paramLabel = "N", description = "PNG magnification (default: ${DEFAULT-VALUE}).")
    int scale;

    /** The option whose value is {@code defaultScale} unless given. */
    PngScaleOption(int defaultScale) {
        scale = defaultScale;
    }

    /** The magnification, or a usage error unless it lies in [1, 32]. */
    int value(FlagChecks checks) {
        return checks.inRange("--scale", scale, 1, 32);
    }
}
