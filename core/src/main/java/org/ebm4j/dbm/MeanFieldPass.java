package org.ebm4j.dbm;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * Workspace of {@link MeanField} inference for batches of a fixed number of rows: the posteriors
 * {@code mu_1 .. mu_L} of every hidden layer, each layer's next value and a scratch tensor, allocated
 * once. {@link #run} clamps layer 0 to the data and iterates the fixed-point updates.
 */
final class MeanFieldPass implements AutoCloseable {
    private final Dbm dbm;
    private final LayerScales scales;
    private final Backend backend;
    /** {@code mu[0]} is the clamped data (not owned), {@code mu[l]} layer {@code l}'s posterior. */
    final Tensor[] mu;
    private final Tensor[] next;
    private final Tensor[] scratch;
    private int iterations;
    private double change;

    MeanFieldPass(Dbm dbm, LayerScales scales, int rows) {
        this.dbm = dbm;
        this.scales = scales;
        this.backend = dbm.backend();
        int[] sizes = dbm.sizes();
        mu = new Tensor[sizes.length];
        next = new Tensor[sizes.length];
        scratch = new Tensor[sizes.length];
        for (int l = 1; l < sizes.length; l++) {
            mu[l] = backend.allocate(rows, sizes[l]);
            next[l] = backend.allocate(rows, sizes[l]);
            scratch[l] = backend.allocate(rows, sizes[l]);
        }
    }

    int rows() {
        return mu[1].rows();
    }

    /** Sweeps run by the last {@link #run}. */
    int iterations() {
        return iterations;
    }

    /** The RMS change of the last sweep of the last {@link #run}. */
    double change() {
        return change;
    }

    /**
     * The mean-field posteriors of {@code v} ({@code rows x sizes[0]}, kept by reference in
     * {@code mu[0]} until the next call): a bottom-up pass in which every layer below the top counts
     * its input twice (standing in for the input from above it does not have yet), then sweeps of odd
     * and even layers until {@code settings} say stop. Returns the sweeps run.
     */
    int run(Tensor v, MeanField settings) {
        int depth = mu.length - 1;
        mu[0] = v;
        for (int l = 1; l <= depth; l++) {
            float factor = scales.up()[l] * (l < depth ? 2f : 1f);
            backend.gemm(false, false, factor, mu[l - 1], dbm.weights(l), 0f, scratch[l]);
            backend.sigmoid(scratch[l], dbm.bias(l), mu[l]);
        }
        float damping = (float) settings.damping();
        long units = 0;
        for (int l = 1; l <= depth; l++) {
            units += mu[l].size();
        }
        iterations = 0;
        change = Double.POSITIVE_INFINITY;
        while (iterations < settings.maxIterations() && !(change <= settings.tolerance())) {
            double squares = 0;
            for (int parity = 1; parity >= 0; parity--) {
                for (int l = parity == 1 ? 1 : 2; l <= depth; l += 2) {
                    dbm.layerInput(mu, l, scales, next[l]);
                    backend.sigmoid(next[l], dbm.bias(l), next[l]);
                    if (damping > 0f) {
                        backend.scale(1f - damping, next[l], next[l]);
                        backend.axpy(damping, mu[l], next[l]);
                    }
                    backend.sub(next[l], mu[l], scratch[l]);
                    squares += backend.dot(scratch[l], scratch[l]);
                    backend.copy(next[l], mu[l]);
                }
            }
            change = Math.sqrt(squares / units);
            iterations++;
        }
        return iterations;
    }

    @Override
    public void close() {
        for (int l = 1; l < mu.length; l++) {
            mu[l].close();
            next[l].close();
            scratch[l].close();
        }
    }
}
