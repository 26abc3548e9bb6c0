package org.ebm4j.conditional;

/**
 * How a latent variable {@code z} with finitely many values leaves the energy of an answer: at zero
 * temperature {@code F = min_z E(z)}, or marginalized at inverse temperature {@code beta},
 * {@code F = -(1/beta) log sum_z exp(-beta E(z))} (the free energy). Both also give
 * {@code dF/dE(z)}: the indicator of the minimizing value, or the posterior {@code p(z) ~ exp(-beta E(z))}.
 */
public final class LatentReduction {
    private final double beta;

    private LatentReduction(double beta) {
        this.beta = beta;
    }

    /** Zero temperature: {@code F = min_z E(z)}. */
    public static LatentReduction minimum() {
        return new LatentReduction(Double.POSITIVE_INFINITY);
    }

    /** Marginalization at inverse temperature {@code beta > 0}: the free energy. */
    public static LatentReduction marginal(double beta) {
        if (!(beta > 0) || Double.isNaN(beta)) {
            throw new IllegalArgumentException("inverse temperature beta must be > 0, found " + beta);
        }
        return new LatentReduction(beta);
    }

    /** {@code +infinity} for the minimum. */
    public double beta() {
        return beta;
    }

    /** Whether this is the zero-temperature minimum. */
    public boolean isMinimum() {
        return beta == Double.POSITIVE_INFINITY;
    }

    /**
     * Reduces {@code e[offset .. offset + k)} to one energy and writes its derivative with respect to
     * each term into {@code weights[offset ..]} (when {@code weights} is not null). The log-sum-exp is
     * shifted by the minimum, so no term overflows and at least one term is exactly 1.
     */
    public double reduce(double[] e, int offset, int k, double[] weights) {
        if (k < 1) {
            throw new IllegalArgumentException("a latent variable needs >= 1 values, found " + k);
        }
        int best = offset;
        for (int j = offset + 1; j < offset + k; j++) {
            if (e[j] < e[best]) {
                best = j;
            }
        }
        double low = e[best];
        if (isMinimum() || k == 1) {
            if (weights != null) {
                java.util.Arrays.fill(weights, offset, offset + k, 0);
                weights[best] = 1;
            }
            return low;
        }
        double z = 0;
        for (int j = offset; j < offset + k; j++) {
            z += Math.exp(-beta * (e[j] - low));
        }
        if (weights != null) {
            for (int j = offset; j < offset + k; j++) {
                weights[j] = Math.exp(-beta * (e[j] - low)) / z;
            }
        }
        return low - Math.log(z) / beta;
    }

    @Override
    public String toString() {
        return isMinimum() ? "min" : "marginal(beta=" + beta + ")";
    }
}
