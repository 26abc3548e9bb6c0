package org.ebm4j.cli;

import java.util.Locale;
import org.ebm4j.boltzmann.TemperatureSchedule;
import org.ebm4j.hopfield.AsynchronousRecall;
import org.ebm4j.hopfield.HopfieldNetwork;
import org.ebm4j.hopfield.RecallResult;
import org.ebm4j.hopfield.StochasticRecall;
import org.ebm4j.hopfield.SynchronousRecall;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Tensor;
import picocli.CommandLine.Option;

/** The recall options shared by the Hopfield commands, and running the chosen recall. */
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
        if (d.equals("anneal")) {
            checks.positive("--t-start", tStart);
            checks.positive("--t-end", tEnd);
            checks.atLeast("--anneal-sweeps", annealSweeps, 1);
            String s = schedule.trim().toLowerCase(Locale.ROOT);
            if (!s.equals("linear") && !s.equals("geometric")) {
                throw checks.fail("--schedule must be linear or geometric but was '" + schedule + "'");
            }
        }
        return d;
    }

    TemperatureSchedule temperatureSchedule() {
        return schedule.trim().equalsIgnoreCase("linear") ? TemperatureSchedule.linear(tStart, tEnd, annealSweeps)
                : TemperatureSchedule.geometric(tStart, tEnd, annealSweeps);
    }

    RecallResult run(HopfieldNetwork net, Tensor states, Tensor clamp, RandomStream rng) {
        return switch (dynamics.trim().toLowerCase(Locale.ROOT)) {
            case "sync" -> new SynchronousRecall(net, maxSweeps).run(states, clamp);
            case "anneal" -> new StochasticRecall(net, temperatureSchedule(), maxSweeps).run(states, clamp, rng);
            default -> new AsynchronousRecall(net, maxSweeps).run(states, clamp, rng);
        };
    }
}
