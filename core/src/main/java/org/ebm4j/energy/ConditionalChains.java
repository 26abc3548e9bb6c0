package org.ebm4j.energy;

import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.hmc.HmcChains;
import org.ebm4j.hmc.TrajectoryStats;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Shapes;
import org.ebm4j.tensor.Tensor;

/**
 * Metropolis-corrected HMC on the missing entries of a fixed number of rows, the observed entries
 * clamped: each call moves the missing entries of the rows given by a few trajectories that leave the
 * model's conditional {@code p(x_missing | x_observed)} invariant. Holds its workspaces, so a trainer can
 * call it every update without allocating.
 *
 * <p>The chains run on {@code U(q) = E(observed + free * q)} with {@code dU/dq = free * dE/dx}
 * ({@code free} is 1 at the missing entries). Positions keep the full width {@code d}, so HMC runs
 * unchanged: the observed coordinates of a position feel no force and do not enter the energy, so they
 * drift with their momentum, leave the Hamiltonian's error untouched and are dropped when the rows are
 * read back.
 */
final class ConditionalChains implements AutoCloseable {
    private final Backend backend;
    private final EnergyFunction energy;
    private final Tensor observedValues;
    private final Tensor free;
    private final Tensor rows;
    private final HmcChains chains;

    ConditionalChains(EnergyFunction energy, int count) {
        this.backend = energy.backend();
        this.energy = energy;
        int d = energy.dimension();
        this.observedValues = backend.allocate(count, d);
        this.free = backend.allocate(count, d);
        this.rows = backend.allocate(count, d);
        this.chains = new HmcChains(new Clamped(), observedValues);
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
        Shapes.checkSameShape(op, "x", x, "observed", observed);
        MissingInputs.complement(backend, observed, free);
        backend.mul(x, observed, observedValues); // 0 at the missing entries
        chains.setPositions(x);
        chains.energyChanged();
        double acceptance = 0;
        for (int t = 0; t < trajectories; t++) {
            TrajectoryStats s = chains.transition(stepSize, leapfrogSteps, rng);
            acceptance += s.meanAcceptProbability();
        }
        fullRows(chains.positions(), x);
        return trajectories == 0 ? 1 : acceptance / trajectories;
    }

    // out = observed + free * q: the rows a position stands for.
    private void fullRows(Tensor q, Tensor out) {
        backend.mul(free, q, out);
        backend.add(out, observedValues, out);
    }

    @Override
    public void close() {
        chains.close();
        for (Tensor t : new Tensor[] {observedValues, free, rows}) {
            t.close();
        }
    }

    /** The energy of the held rows as a function of their missing entries. */
    private final class Clamped implements EnergyFunction {
        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public int dimension() {
            return energy.dimension();
        }

        @Override
        public void energyAndGradient(Tensor q, Tensor e, Tensor gradient) {
            checkOutputs("ConditionalChains", q, e, gradient);
            Shapes.checkSameShape("ConditionalChains", "positions", q, "held rows", rows);
            fullRows(q, rows);
            energy.energyAndGradient(rows, e, gradient);
            if (gradient != null) {
                backend.mul(gradient, free, gradient);
            }
        }
    }
}
