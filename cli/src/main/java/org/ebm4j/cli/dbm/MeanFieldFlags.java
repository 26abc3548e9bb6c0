package org.ebm4j.cli.dbm;

import org.ebm4j.cli.FlagChecks;
import org.ebm4j.dbm.MeanField;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --mf-tolerance} and {@code --mf-iterations} of the commands that infer a trained DBM's
 * posteriors ({@code ebm dbm eval}, {@code ebm dbm classify}); the defaults are
 * {@link MeanField#precise()}'s, no damping.
 */
final class MeanFieldFlags {
    /** The library's evaluation settings are the defaults. */
    private static final MeanField PRECISE = MeanField.precise();

    @Option(names = "--mf-tolerance", paramLabel = "TOL",
            description = "Mean field stops at this RMS change per sweep (default: ${DEFAULT-VALUE}).")
    double tolerance = PRECISE.tolerance();

    @Option(names = "--mf-iterations", paramLabel = "N", description = "Most mean-field sweeps (default: ${DEFAULT-VALUE}).")
    int iterations = PRECISE.maxIterations();

    /** The flags as settings; a value the library refuses is a usage error. */
    MeanField meanField(CommandSpec spec) {
        return FlagChecks.options(spec, () -> new MeanField(tolerance, iterations, 0));
    }
}
