package org.ebm4j.cli;

import java.util.Locale;
import org.ebm4j.hopfield.RecallOptions;
import picocli.CommandLine.Option;

/** The recall flags shared by the Hopfield commands, checked and turned into {@link RecallOptions}. */
final class RecallDynamics {
    @Option(names = "--dynamics", defaultValue = "async", paramLabel = "async|sync|anneal",
            description = "Recall dynamics: asynchronous (random unit order per sweep), synchronous (all units at once, "
                    + "2-cycles detected) or simulated annealing of stochastic units followed by asynchronous descent "
                    + "(default: ${DEFAULT-VALUE}).")
    String dynamics;

    @Option(names = "--max-sweeps", defaultValue = "100", paramLabel = "N",
            description = "Sweep (or synchronous step) limit of the deterministic recall (default: ${DEFAULT-VALUE}).")
    int maxSweeps;

    @Option(names = "--schedule", defaultValue = "geometric", paramLabel = "linear|geometric",
            description = "Annealing schedule from --t-start to --t-end (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--t-start", defaultValue = "2.0", paramLabel = "T",
            description = "Annealing start temperature (default: ${DEFAULT-VALUE}).")
    double tStart;

    @Option(names = "--t-end", defaultValue = "0.05", paramLabel = "T",
            description = "Annealing end temperature (default: ${DEFAULT-VALUE}).")
    double tEnd;

    @Option(names = "--anneal-sweeps", defaultValue = "100", paramLabel = "N",
            description = "Stochastic sweeps of the annealing schedule (default: ${DEFAULT-VALUE}).")
    int annealSweeps;

    /** Checks the values; returns the normalized dynamics name. */
    String validate(FlagChecks checks) {
        String d = dynamics.trim().toLowerCase(Locale.ROOT);
        if (!d.equals("async") && !d.equals("sync") && !d.equals("anneal")) {
            throw checks.fail("--dynamics must be async, sync or anneal but was '" + dynamics + "'");
        }
        checks.atLeast("--max-sweeps", maxSweeps, 1);
        // Checked whatever the dynamics: the recall options hold them (an unused bad value is still a mistake).
        checks.positive("--t-start", tStart);
        checks.positive("--t-end", tEnd);
        checks.atLeast("--anneal-sweeps", annealSweeps, 1);
        String s = schedule.trim().toLowerCase(Locale.ROOT);
        if (!s.equals("linear") && !s.equals("geometric")) {
            throw checks.fail("--schedule must be linear or geometric but was '" + schedule + "'");
        }
        return d;
    }

    /** The flags as recall options, with {@code seed} for the unit orders and stochastic units. */
    RecallOptions options(long seed) {
        return RecallOptions.builder().dynamics(RecallOptions.Dynamics.parse(dynamics)).maxSweeps(maxSweeps)
                .annealing(RecallOptions.Annealing.parse(schedule)).tStart(tStart).tEnd(tEnd).annealSweeps(annealSweeps)
                .seed(seed).build();
    }
}
