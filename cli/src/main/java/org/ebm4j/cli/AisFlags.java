package org.ebm4j.cli;

import org.ebm4j.rbm.AisOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --ais-runs} and {@code --ais-betas}: how an {@code eval} command estimates log Z by
 * annealed importance sampling (the RBM's and the DBM's), checked the same way in each.
 */
public final class AisFlags {
    @Option(names = "--ais-runs", paramLabel = "N", defaultValue = "100", description = "AIS runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--ais-betas", paramLabel = "N", defaultValue = "14500",
            description = "AIS inverse temperatures (default: ${DEFAULT-VALUE}).")
    int betas;

    /** Refuses a run count below 1, fewer than 3 temperatures, or a schedule the heap cannot hold. */
    public void check(CommandSpec spec) {
        FlagChecks.positive(spec, "--ais-runs", runs);
        if (betas < 3) {
            throw FlagChecks.error(spec, "--ais-betas must be >= 3 but was " + betas);
        }
        // The schedule alone, before a model is loaded; the runs are checked against the model's size.
        options(0).requireMemory(0, 0);
    }

    public int runs() {
        return runs;
    }

    public int betas() {
        return betas;
    }

    /** The estimator's options with {@code seed}. */
    public AisOptions options(long seed) {
        return new AisOptions(runs, betas, seed);
    }
}
