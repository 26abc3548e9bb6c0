package org.ebm4j.energy;

import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.hmc.HmcChains;
import org.ebm4j.hmc.TrajectoryStats;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Shapes;
import org.ebm4j.tensor.Tensor;

/**
 * Metropolis-corrected HMC on the missing entries of a fixed number of rows, the observed entries
 * clamped: each call moves the missing entries of the rows given by a few trajectories that leave the
 * model's conditional {@code p(x_missing | x_observed)} invariant ({@link ClampedEnergy}). Holds its
 * workspaces, so a trainer can call it every update without allocating.
 */
final class ConditionalChains implements AutoCloseable {
    private final ClampedEnergy clamped;
    private final HmcChains chains;

    ConditionalChains(EnergyFunction energy, int count) {
        this.clamped = new ClampedEnergy(energy, count);
        try (Tensor start = energy.backend().allocate(count, energy.dimension())) {
            this.chains = new HmcChains(clamped, start);
        }
    }

    /**
     * Moves the missing entries of {@code x} in place by {@code trajectories} HMC trajectories of
     * {@code leapfrogSteps} steps of size {@code stepSize}, starting from their current values.
     *
     * @param x {@code rows x d}, finite everywhere
     * @param observed {@code rows x d} mask, 1 where observed (kept bit for bit) and 0 where missing
     * @return the mean acceptance probability over the trajectories (1 when there were none)
     */
    double move(Tensor x, Tensor observed, float stepSize, int leapfrogSteps, int trajectories, RandomStream rng) {
        String op = "ConditionalChains.move";
        Shapes.checkSameShape(op, "x", x, "chains", chains.positions());
        clamped.hold(x, observed);
        chains.setPositions(x);
        chains.energyChanged();
        double acceptance = 0;
        for (int t = 0; t < trajectories; t++) {
            TrajectoryStats s = chains.transition(stepSize, leapfrogSteps, rng);
            acceptance += s.meanAcceptProbability();
        }
        clamped.fullRows(chains.positions(), x);
        return trajectories == 0 ? 1 : acceptance / trajectories;
    }

    @Override
    public void close() {
        chains.close();
        clamped.close();
    }
}
