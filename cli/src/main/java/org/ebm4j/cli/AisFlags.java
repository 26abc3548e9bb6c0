package org.ebm4j.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.rbm.AisOptions;
import org.ebm4j.rbm.AisResult;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --ais-runs} and {@code --ais-betas}: how an {@code eval} command estimates log Z by
 * annealed importance sampling (the RBM's and the DBM's), checked the same way in each.
 */
public final class AisFlags {
    private static final List<String> LOG_Z_METHODS = List.of("auto", "exact", "ais");

    @Option(names = "--ais-runs", paramLabel = "N", defaultValue = "100", description = "AIS runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--ais-betas", paramLabel = "N", defaultValue = "14500",
            description = "AIS inverse temperatures (default: ${DEFAULT-VALUE}).")
    int betas;

    /**
     * Refuses a run count or a number of temperatures outside {@link AisOptions}' ranges, or a schedule the
     * heap cannot hold, as the usage error of the flag.
     */
    public void check(CommandSpec spec) {
        // The schedule alone, before a model is loaded; the runs are checked against the model's size.
        FlagChecks.options(spec, () -> options(0)).requireMemory(0, 0);
    }

    /**
     * The {@code --logz} choice of an {@code eval} command, {@code auto}, {@code exact} or {@code ais} in lower
     * case; a usage error otherwise.
     */
    public static String logZMethod(CommandSpec spec, String logz) {
        String method = logz.trim().toLowerCase(Locale.ROOT);
        if (LOG_Z_METHODS.contains(method)) {
            return method;
        }
        throw FlagChecks.error(spec, "--logz must be auto, exact or ais but was '" + logz + "'");
    }

    public int runs() {
        return runs;
    }

    public int betas() {
        return betas;
    }

    /**
     * Adds an AIS estimate to an {@code evaluation} result: {@code log_z_method} ais, {@code log_z} with its
     * interval {@code log_z_low}..{@code log_z_high}, and the {@code ais_runs} and {@code ais_betas} it took.
     */
    public void report(AisResult estimate, Map<String, Object> result) {
        result.put("log_z_method", "ais");
        result.put("log_z", estimate.logZ());
        result.put("log_z_low", estimate.logZLow());
        result.put("log_z_high", estimate.logZHigh());
        result.put("ais_runs", runs);
        result.put("ais_betas", betas);
    }

    /** The estimator's options with {@code seed}. */
    public AisOptions options(long seed) {
        return new AisOptions(runs, betas, seed);
    }
}
