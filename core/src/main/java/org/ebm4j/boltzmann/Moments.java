package org.ebm4j.boltzmann;

/**
 * First and second moments of the units of an {@code n}-unit network: {@code means[i] = <s_i>} and
 * {@code pairs[i * n + j] = <s_i s_j>} (symmetric; the diagonal holds {@code <s_i^2>}). The
 * Boltzmann machine gradient is {@code pairs_data - pairs_model} (off the diagonal) for the weights
 * and {@code means_data - means_model} for the biases.
 */
public record Moments(int n, double[] pairs, double[] means) {
    public Moments {
        if (pairs.length != n * n || means.length != n) {
            throw new IllegalArgumentException("moments of " + n + " units need " + (n * n) + " pair and " + n
                    + " mean entries, found " + pairs.length + " and " + means.length);
        }
    }

    /** {@code this - other}, elementwise, with the pair diagonal set to zero: a log-likelihood gradient. */
    public Moments minus(Moments other) {
        double[] p = new double[n * n];
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i * n + j] = i == j ? 0 : pairs[i * n + j] - other.pairs[i * n + j];
            }
            m[i] = means[i] - other.means[i];
        }
        return new Moments(n, p, m);
    }
}
