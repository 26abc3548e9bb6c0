package org.ebm4j.conditional;

import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.tensor.Tensor;

/**
 * How a latent variable {@code z} leaves the energy of an answer: at zero temperature
 * {@code F = min_z E(z)}, or marginalized at inverse temperature {@code beta},
 * {@code F = -(1/beta) log sum_z exp(-beta E(z))} (the free energy). For a {@code z} with finitely many
 * values ({@link #reduce(double[], int, int, double[])}) both also give {@code dF/dE(z)}: the indicator of
 * the minimizing value, or the posterior {@code p(z) ~ exp(-beta E(z))}. For a continuous {@code z}
 * ({@link #reduce(EnergyFunction, Tensor, int, int, ContinuousLatent)}) the sum is an integral, done as
 * {@link ContinuousLatent} says.
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

    /**
     * Reduces a continuous latent: the energy's positions are {@code [x | y | z]} rows of {@code q}
     * ({@code n x d}) with {@code z} in columns {@code [from, to)}, which hold the start of the descent and
     * are left at the minimizer. At zero temperature {@code F = min_z E} by {@code how}'s gradient descent;
     * marginalized, {@code F = -(1/beta) log integral exp(-beta E) dz} by {@code how}'s method.
     *
     * @return {@code F} per row
     */
    public double[] reduce(EnergyFunction energy, Tensor q, int from, int to, ContinuousLatent how) {
        if (isMinimum()) {
            float[] e = ContinuousInference.minimize(energy, q, from, to, how.rate(), how.steps());
            double[] f = new double[e.length];
            for (int r = 0; r < e.length; r++) {
                f[r] = e[r];
            }
            return f;
        }
        return how.freeEnergy(energy, q, from, to, beta);
    }

    @Override
    public String toString() {
        return isMinimum() ? "min" : "marginal(beta=" + beta + ")";
    }
}
