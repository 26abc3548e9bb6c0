package org.ebm4j.cli.dbm;

import org.ebm4j.cli.FlagChecks;
import org.ebm4j.dbm.MeanField;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --mf-tolerance} and {@code --mf-iterations} of the DBM commands that run mean field: those that
 * infer a trained DBM's posteriors ({@code ebm dbm eval}, {@code ebm dbm classify}), whose defaults are
 * {@link MeanField#precise()}'s with no damping, and {@code ebm dbm train}, whose defaults are joint
 * training's and which adds {@code --mf-damping}.
 */
final class MeanFieldFlags {
    @Option(names = "--mf-tolerance", paramLabel = "TOL",
            description = "Mean field stops at this RMS change per sweep (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--mf-iterations", paramLabel = "N", description = "Most mean-field sweeps (default: ${DEFAULT-VALUE}).")
    int iterations;

    /** The library's evaluation settings are the defaults. */
    MeanFieldFlags() {
        this(MeanField.precise());
    }

    /** Flags that are {@code defaults}' tolerance and sweeps unless given. */
    MeanFieldFlags(MeanField defaults) {
        tolerance = defaults.tolerance();
        iterations = defaults.maxIterations();
    }

    /** The flags as settings without damping; a value the library refuses is a usage error. */
    MeanField meanField(CommandSpec spec) {
        return meanField(spec, 0);
    }

    /** The flags as settings with {@code damping}; a value the library refuses is a usage error. */
    MeanField meanField(CommandSpec spec, double damping) {
        return FlagChecks.options(spec, () -> new MeanField(tolerance, iterations, damping));
    }
}
