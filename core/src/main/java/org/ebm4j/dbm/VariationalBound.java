package org.ebm4j.dbm;

import org.ebm4j.data.Dataset;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The mean-field lower bound on {@code log p(v) + log Z}: for the factorial posterior
 * {@code q(h) = prod mu^h (1 - mu)^(1 - h)},
 * {@code log p*(v) >= -E_q[E(v, h)] + H(q) = sum_l b_l . mu_l + sum_{l>=1} mu_{l-1}' W_l mu_l + sum H(mu)}
 * with {@code mu_0 = v} (Jensen's inequality; the gap is {@code KL(q || p(h | v))}, zero when the true
 * posterior factorizes and {@code q} is it). The energy terms are backend GEMMs and reductions; the
 * entropy is summed on the host in double, where {@code 0 log 0 = 0} needs no care on any backend.
 */
final class VariationalBound {
    private VariationalBound() {
    }

    /** Mean over the rows of {@code data} (binarized) of {@code -E_q[E(v, h)] + H(q)}. */
    static double mean(Dbm dbm, Dataset data, MeanField settings) {
        Backend b = dbm.backend();
        int[] sizes = dbm.sizes();
        double[] total = {0};
        dbm.forEachBatch(data, settings, (from, pass) -> {
            for (int l = 0; l < sizes.length; l++) {
                Tensor mu = pass.mu[l];
                try (Tensor sums = b.allocate(1, sizes[l])) {
                    b.columnSums(mu, 1f, 0f, sums);
                    total[0] += b.dot(sums, dbm.bias(l));
                }
                if (l > 0) {
                    try (Tensor t = b.allocate(mu.rows(), sizes[l])) {
                        b.gemm(false, false, 1f, pass.mu[l - 1], dbm.weights(l), 0f, t);
                        total[0] += b.dot(t, mu);
                    }
                    total[0] += entropy(mu.toArray());
                }
            }
        });
        return total[0] / data.rows();
    }

    /** {@code sum -m log m - (1 - m) log(1 - m)} over {@code mu}. */
    private static double entropy(float[] mu) {
        double h = 0;
        for (float m : mu) {
            if (m > 0f) {
                h -= m * Math.log(m);
            }
            if (m < 1f) {
                h -= (1.0 - m) * Math.log1p(-(double) m);
            }
        }
        return h;
    }
}
