package org.ebm4j.energy;

import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Shapes;
import org.ebm4j.tensor.Tensor;

/**
 * The energy of a fixed number of rows as a function of their missing entries only:
 * {@code U(q) = E(observed + free * q)} with {@code dU/dq = free * dE/dx} ({@code free} is 1 at the
 * missing entries), so HMC on {@code U} samples the model's conditional {@code p(x_missing | x_observed)}.
 * Positions keep the full width {@code d}: the observed coordinates of a position feel no force and do not
 * enter the energy, so under HMC they drift with their momentum, leave the Hamiltonian's error untouched and
 * are dropped when the rows are read back ({@link #fullRows}). Close to release its workspaces (not the
 * energy).
 */
final class ClampedEnergy implements EnergyFunction, AutoCloseable {
    private final Backend backend;
    private final EnergyFunction energy;
    private final Tensor observedValues;
    private final Tensor free;
    private final Tensor rows;

    /** For {@code count} rows of {@code energy}'s width, nothing held yet (all entries missing, at 0). */
    ClampedEnergy(EnergyFunction energy, int count) {
        this.backend = energy.backend();
        this.energy = energy;
        int d = energy.dimension();
        this.observedValues = backend.allocate(count, d);
        this.free = backend.allocate(count, d);
        this.rows = backend.allocate(count, d);
    }

    /**
     * Holds the observed entries of {@code x} fixed from now on.
     *
     * @param x {@code count x d}, finite
     * @param observed {@code count x d} mask, 1 where observed and 0 where missing
     */
    void hold(Tensor x, Tensor observed) {
        String op = "ClampedEnergy.hold";
        Shapes.checkSameShape(op, "x", x, "held rows", rows);
        Shapes.checkSameShape(op, "x", x, "observed", observed);
        MissingInputs.complement(backend, observed, free);
        backend.mul(x, observed, observedValues); // 0 at the missing entries
    }

    /** {@code out = observed + free * q}: the rows a position stands for. */
    void fullRows(Tensor q, Tensor out) {
        backend.mul(free, q, out);
        backend.add(out, observedValues, out);
    }

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
        checkOutputs("ClampedEnergy", q, e, gradient);
        Shapes.checkSameShape("ClampedEnergy", "positions", q, "held rows", rows);
        fullRows(q, rows);
        energy.energyAndGradient(rows, e, gradient);
        if (gradient != null) {
            backend.mul(gradient, free, gradient);
        }
    }

    @Override
    public void close() {
        for (Tensor t : new Tensor[] {observedValues, free, rows}) {
            t.close();
        }
    }
}
