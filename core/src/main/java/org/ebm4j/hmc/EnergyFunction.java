package org.ebm4j.hmc;

import org.ebm4j.tensor.Backend;
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
    void energy(Tensor q, Tensor energy);

    /** {@code gradient[r, :] = dU/dq at q[r, :]}. */
    void gradient(Tensor q, Tensor gradient);

    /**
     * Both at once; networks override it to share the forward pass. Either output may be null.
     */
    default void energyAndGradient(Tensor q, Tensor energy, Tensor gradient) {
        if (energy != null) {
            energy(q, energy);
        }
        if (gradient != null) {
            gradient(q, gradient);
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
