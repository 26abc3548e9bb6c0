package org.ebm4j.hmc;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The energy of a dense multivariate normal on a backend, {@code U(q) = 0.5 (q - mu)^T P (q - mu)}
 * with precision {@code P} ({@code d x d}, symmetric) and mean {@code mu}: one GEMM per gradient,
 * {@code grad = (q - mu) P}. Workspaces follow the number of chains of the last call.
 */
public final class GaussianEnergy implements EnergyFunction, AutoCloseable {
    private final Backend backend;
    private final int d;
    private final Tensor precision;
    private final Tensor mean;
    private Tensor diff;
    private Tensor product;

    /** Uploads {@code gaussian}'s precision and mean (rounded to float) to {@code backend}. */
    public GaussianEnergy(Backend backend, DenseGaussian gaussian) {
        this.backend = backend;
        this.d = gaussian.dimension();
        double[][] p = gaussian.precision();
        float[] flat = new float[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                flat[i * d + j] = (float) p[i][j];
            }
        }
        this.precision = backend.fromArray(flat, d, d);
        double[] mu = gaussian.mean();
        boolean zero = true;
        float[] m = new float[d];
        for (int i = 0; i < d; i++) {
            m[i] = (float) mu[i];
            zero &= m[i] == 0f;
        }
        this.mean = zero ? null : backend.fromArray(m, 1, d);
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public void energyAndGradient(Tensor q, Tensor energy, Tensor gradient) {
        checkOutputs("GaussianEnergy", q, energy, gradient);
        ensure(q.rows());
        Tensor centred = q;
        if (mean != null) {
            backend.addRowVector(q, mean, -1f, diff);
            centred = diff;
        }
        Tensor g = gradient != null ? gradient : product;
        backend.gemm(false, false, 1f, centred, precision, 0f, g);
        if (energy != null) {
            backend.mul(centred, g, product);
            backend.rowSums(product, energy);
            backend.scale(0.5f, energy, energy);
        }
    }

    private void ensure(int rows) {
        if (product == null || product.rows() != rows) {
            closeWorkspaces();
            product = backend.allocate(rows, d);
            diff = mean == null ? null : backend.allocate(rows, d);
        }
    }

    private void closeWorkspaces() {
        Tensor.closeAll(product, diff);
    }

    @Override
    public void close() {
        closeWorkspaces();
        Tensor.closeAll(precision, mean);
    }
}
