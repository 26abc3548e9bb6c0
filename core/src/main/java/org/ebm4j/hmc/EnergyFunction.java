package org.ebm4j.hmc;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Shapes;
import org.ebm4j.tensor.Tensor;

/**
 * A potential energy {@code U(q)} over {@code d}-dimensional real vectors, evaluated for many
 * chains at once on a backend: the target of {@link HmcSampler} ({@code p(q) ~ exp(-U(q))}).
 *
 * <p>Positions are {@code chains x d} tensors (one chain per row); energies are {@code chains x 1}.
 * Implementations reuse their own workspaces (sized on first use for a given number of rows), so
 * one instance must not be used from two threads at once. The gradient must be the exact
 * derivative of {@link #energy} (HMC's detailed balance depends on it), never a finite difference.
 */
public interface EnergyFunction {

    /** The backend the function's parameters live on; positions must belong to it too. */
    Backend backend();

    /** The dimension {@code d} of a position. */
    int dimension();

    /** {@code energy[r, 0] = U(q[r, :])}. */
    default void energy(Tensor q, Tensor energy) {
        energyAndGradient(q, energy, null);
    }

    /** {@code gradient[r, :] = dU/dq at q[r, :]}. */
    default void gradient(Tensor q, Tensor gradient) {
        energyAndGradient(q, null, gradient);
    }

    /**
     * The energy and the gradient at once, sharing the forward pass; either output may be null (not
     * asked for). {@link #energy} and {@link #gradient} call this.
     */
    void energyAndGradient(Tensor q, Tensor energy, Tensor gradient);

    /**
     * Throws unless {@code q} is {@code rows x dimension()}, {@code energy} (when given) is
     * {@code rows x 1} and {@code gradient} (when given) has the shape of {@code q}.
     */
    default void checkOutputs(String op, Tensor q, Tensor energy, Tensor gradient) {
        checkPositions(op, q);
        if (energy != null) {
            Shapes.checkShape(op, "energy", energy, q.rows(), 1);
        }
        if (gradient != null) {
            Shapes.checkSameShape(op, "positions", q, "gradient", gradient);
        }
    }

    /** Throws unless {@code q} is {@code rows x dimension()}. */
    default void checkPositions(String op, Tensor q) {
        if (q == null) {
            throw new IllegalArgumentException(op + ": positions are null");
        }
        if (q.cols() != dimension()) {
            throw new IllegalArgumentException(op + ": positions must have " + dimension()
                    + " columns (the energy's dimension) but are " + q.shape());
        }
    }
}
