package org.ebm4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --init-std}: the standard deviation of the initial weights; each command chooses the default. */
public final class InitStdOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--init-std", paramLabel = "SD",
            description = "Standard deviation of the initial weights (default: ${DEFAULT-VALUE}).")
    double std;

    /** The option with {@code defaultStd} unless given. */
    public InitStdOption(double defaultStd) {
        std = defaultStd;
    }

    /** Whether the flag was given on the command line. */
    public boolean given() {
        return spec.commandLine().getParseResult().hasMatchedOption("--init-std");
    }

    /**
     * The value given, unchecked: its range ([0, 10]) is the one the options record it sets declares, refused
     * as this flag's usage error when the record is built.
     */
    public double value() {
        return std;
    }
}
