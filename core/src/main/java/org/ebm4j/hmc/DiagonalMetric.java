package org.ebm4j.hmc;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * A diagonal mass matrix {@code M} for a fixed number of chains, held on the backend in the two forms
 * HMC needs: the inverse mass {@code M^-1} as a {@code 1 x d} row (for the drift and the kinetic
 * energy) and {@code sqrt(M)} tiled to {@code chains x d} (to scale standard-normal momenta, since
 * the SPI has no row-broadcast multiply). Identity until {@link #setInverseMass} is called; while it
 * is the identity both tensors are absent and the fast paths skip them.
 */
public final class DiagonalMetric implements AutoCloseable {
    private final Backend backend;
    private final int chains;
    private final int d;
    private double[] inverseMass;
    private Tensor inverseMassRow;
    private Tensor sqrtMassTiled;

    public DiagonalMetric(Backend backend, int chains, int d) {
        this.backend = backend;
        this.chains = chains;
        this.d = d;
    }

    /**
     * Sets {@code M^-1 = diag(inverseMass)} (in HMC warm-up: the estimated posterior variances).
     *
     * @throws IllegalArgumentException if the length is not {@code d} or an entry is not finite and > 0
     */
    public void setInverseMass(double[] inverseMass) {
        if (inverseMass.length != d) {
            throw new IllegalArgumentException("inverse mass needs " + d + " entries, found " + inverseMass.length);
        }
        float[] row = new float[d];
        float[] tiled = new float[chains * d];
        for (int j = 0; j < d; j++) {
            double v = inverseMass[j];
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("inverse mass entry " + j + " must be finite and > 0, found " + v);
            }
            row[j] = (float) v;
            float s = (float) (1.0 / Math.sqrt(v));
            for (int r = 0; r < chains; r++) {
                tiled[r * d + j] = s;
            }
        }
        if (inverseMassRow == null) {
            inverseMassRow = backend.allocate(1, d);
            sqrtMassTiled = backend.allocate(chains, d);
        }
        inverseMassRow.copyFrom(row);
        sqrtMassTiled.copyFrom(tiled);
        this.inverseMass = inverseMass.clone();
    }

    /** The inverse mass diagonal, or null while the metric is the identity. */
    public double[] inverseMass() {
        return inverseMass == null ? null : inverseMass.clone();
    }

    /** {@code M^-1} as a {@code 1 x d} row, or null for the identity (the SPI's convention). */
    Tensor inverseMassRow() {
        return inverseMassRow;
    }

    /** {@code sqrt(M)} tiled to {@code chains x d}, or null for the identity. */
    Tensor sqrtMassTiled() {
        return sqrtMassTiled;
    }

    @Override
    public void close() {
        Tensor.closeAll(inverseMassRow, sqrtMassTiled);
    }
}
