package org.ebm4j.hopfield;

import org.ebm4j.boltzmann.NetworkChains;
import org.ebm4j.boltzmann.TemperatureSchedule;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;
import org.ebm4j.train.SettingChecks;

/**
 * Stochastic units and simulated annealing: sweep {@code k} of the schedule visits every unit in a
 * random order and sets it to +1 with probability {@code sigmoid(dE_i / T_k)}, where
 * {@code dE_i = 2 h_i} is the unit's {@link HopfieldNetwork#energyGaps energy gap} (Glauber dynamics:
 * Gibbs sampling from {@code exp(-E/T)}). A decreasing schedule anneals the chains towards low
 * energies; {@code quenchSweeps > 0} then finishes with deterministic {@link AsynchronousRecall} so the
 * result is a fixed point.
 */
public final class StochasticRecall {
    private final HopfieldNetwork network;
    private final TemperatureSchedule schedule;
    private final int quenchSweeps;

    /**
     * @param schedule     the temperature of each stochastic sweep
     * @param quenchSweeps deterministic sweeps afterwards (0 = none: the result is a sample)
     */
    public StochasticRecall(HopfieldNetwork network, TemperatureSchedule schedule, int quenchSweeps) {
        this.network = SettingChecks.notNull("network", network);
        this.schedule = SettingChecks.notNull("temperature schedule", schedule);
        this.quenchSweeps = SettingChecks.atLeast("quenchSweeps", quenchSweeps, 0);
    }

    /**
     * Runs the schedule in place on {@code states} ({@code chains x n}, -1/+1), with {@code clamp}
     * (may be null) holding units at their cue values. The result's iterations count the stochastic
     * sweeps plus the quench sweeps; without a quench every chain is {@link RecallStatus#UNSETTLED}.
     */
    public RecallResult run(Tensor states, Tensor clamp, RandomStream rng) {
        if (rng == null) {
            throw new IllegalArgumentException("stochastic recall needs a random stream");
        }
        int n = network.units();
        try (NetworkChains c = NetworkChains.over(network.couplings(), states)) {
            for (int k = 0; k < schedule.sweeps(); k++) {
                UnitRule rule = UnitRule.stochastic(-1f, 1f, (float) schedule.temperature(k));
                c.sweep(rng.permutation(n), rule, clamp, rng);
            }
        }
        if (quenchSweeps == 0) {
            RecallStatus[] status = new RecallStatus[states.rows()];
            java.util.Arrays.fill(status, RecallStatus.UNSETTLED);
            return new RecallResult(schedule.sweeps(), status, new int[states.rows()]);
        }
        RecallResult q = new AsynchronousRecall(network, quenchSweeps).run(states, clamp, rng);
        int[] at = q.settledAt().clone();
        for (int r = 0; r < at.length; r++) {
            if (at[r] > 0) {
                at[r] += schedule.sweeps();
            }
        }
        return new RecallResult(schedule.sweeps() + q.iterations(), q.status(), at);
    }
}
