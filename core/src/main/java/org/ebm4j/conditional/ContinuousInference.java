package org.ebm4j.conditional;

import org.ebm4j.energy.MissingInputs;
import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * Zero-temperature inference over continuous variables of a joint energy {@code E(x, y, z)} whose
 * positions are the concatenation {@code [x | y | z]}: gradient descent on the free columns with the
 * others clamped, using the energy's own backpropagated {@code dE/dq}. With the answer's columns free
 * it is {@code y* = argmin_y E(x, y)}; with the latent's columns free it is {@code min_z E(x, y, z)};
 * with both, the joint minimization. Descent finds a local minimum: the global one when the energy is
 * convex in the free columns.
 */
public final class ContinuousInference {
    private ContinuousInference() {
    }

    /**
     * Descends the columns {@code [from, to)} of {@code q} in place, the other columns held fixed.
     *
     * @param q {@code n x d} positions; the free columns hold the starting point
     * @return the energies at the end, one per row
     */
    public static float[] minimize(EnergyFunction energy, Tensor q, int from, int to, float rate, int steps) {
        if (from < 0 || to > q.cols() || from >= to) {
            throw new IllegalArgumentException("free columns [" + from + ", " + to + ") must be a non-empty range "
                    + "inside the " + q.cols() + " columns of the positions");
        }
        Backend b = energy.backend();
        float[] mask = new float[q.rows() * q.cols()];
        for (int r = 0; r < q.rows(); r++) {
            for (int c = 0; c < q.cols(); c++) {
                mask[r * q.cols() + c] = c >= from && c < to ? 0f : 1f;
            }
        }
        try (Tensor clamped = b.fromArray(mask, q.rows(), q.cols())) {
            return MissingInputs.descend(energy, q, clamped, rate, steps);
        }
    }
}
