package org.ebm4j.hopfield;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * Counts, per chain, how many units differ between two {@code chains x n} spin states, on the
 * backend: {@code |a - b|^2 / 4} summed along each row, then copied to the host ({@code chains} floats).
 */
final class ChangeCounter implements AutoCloseable {
    private final Backend backend;
    private final Tensor difference;
    private final Tensor perChain;
    private final float[] host;

    ChangeCounter(Backend backend, int chains, int n) {
        this.backend = backend;
        this.difference = backend.allocate(chains, n);
        this.perChain = backend.allocate(chains, 1);
        this.host = new float[chains];
    }

    /** Per-chain counts of differing units (the returned array is reused by the next call). */
    float[] count(Tensor a, Tensor b) {
        backend.sub(a, b, difference);
        backend.rowSquaredNorms(difference, null, perChain);
        perChain.copyTo(host, 0);
        for (int r = 0; r < host.length; r++) {
            host[r] = Math.round(host[r] * 0.25f);
        }
        return host;
    }

    @Override
    public void close() {
        difference.close();
        perChain.close();
    }
}
