package org.ebm4j.hmc;

/**
 * Multi-chain convergence diagnostics of one scalar quantity, in double: split R-hat (Gelman et al.,
 * BDA3 section 11.4) and the effective sample size with Geyer's initial monotone sequence estimator
 * applied to autocorrelations combined across chains (as Stan computes it, on split chains).
 *
 * <p>Input {@code draws[c][i]} is draw {@code i} of chain {@code c}; every chain must have the same
 * length, at least 4 draws.
 */
public final class ConvergenceDiagnostics {
    private ConvergenceDiagnostics() {
    }

    /**
     * Split R-hat: each chain is cut into halves (the middle draw of an odd-length chain is dropped),
     * then {@code sqrt(varPlus / W)} with {@code W} the mean within-half variance and {@code varPlus}
     * the pooled estimate of the marginal variance. Near 1 when the chains agree; NaN when every draw
     * is identical.
     */
    public static double splitRhat(double[][] draws) {
        double[][] split = split(draws);
        int m = split.length;
        int n = split[0].length;
        double[] means = new double[m];
        double w = 0;
        for (int c = 0; c < m; c++) {
            means[c] = mean(split[c]);
            w += variance(split[c], means[c]);
        }
        w /= m;
        double b = n * variance(means, mean(means));
        double varPlus = (n - 1.0) / n * w + b / n;
        return Math.sqrt(varPlus / w);
    }

    /**
     * The effective sample size of the mean over all chains: {@code m n / tau} where the integrated
     * autocorrelation time {@code tau} comes from Geyer's initial positive sequence made monotone,
     * with Stan's bias term for antithetic chains (so ESS may exceed the number of draws) and its
     * floor {@code tau >= 1 / log10(m n)}. NaN when every draw is identical.
     */
    public static double effectiveSampleSize(double[][] draws) {
        double[][] split = split(draws);
        int m = split.length;
        int n = split[0].length;
        double[] means = new double[m];
        double[] chainVar = new double[m];
        for (int c = 0; c < m; c++) {
            means[c] = mean(split[c]);
            chainVar[c] = variance(split[c], means[c]);
        }
        double meanVar = mean(chainVar);
        double varPlus = meanVar * (n - 1.0) / n;
        if (m > 1) {
            varPlus += variance(means, mean(means));
        }
        if (!(varPlus > 0)) {
            return Double.NaN;
        }
        double[] rho = new double[n + 1];
        rho[0] = 1;
        double rhoEven = 1;
        double rhoOdd = correlation(split, means, 1, meanVar, varPlus);
        rho[1] = rhoOdd;
        int t = 1;
        // The last pair is left out of the positive sequence and used as a bias term below.
        while (t < n - 4 && rhoEven + rhoOdd > 0) {
            rhoEven = correlation(split, means, t + 1, meanVar, varPlus);
            rhoOdd = correlation(split, means, t + 2, meanVar, varPlus);
            if (rhoEven + rhoOdd >= 0) {
                rho[t + 1] = rhoEven;
                rho[t + 2] = rhoOdd;
            }
            t += 2;
        }
        int maxT = t;
        if (rhoEven > 0) {
            rho[maxT + 1] = rhoEven;
        }
        for (int s = 1; s <= maxT - 3; s += 2) {
            if (rho[s + 1] + rho[s + 2] > rho[s - 1] + rho[s]) {
                rho[s + 1] = (rho[s - 1] + rho[s]) / 2;
                rho[s + 2] = rho[s + 1];
            }
        }
        double total = (double) m * n;
        double sum = 0;
        for (int s = 0; s < maxT; s++) {
            sum += rho[s];
        }
        double tau = -1 + 2 * sum + rho[maxT + 1];
        tau = Math.max(tau, 1 / Math.log10(total));
        return total / tau;
    }

    /**
     * The Monte Carlo standard error of the mean of all draws: the standard deviation over all draws
     * divided by {@code sqrt(ESS)}.
     */
    public static double meanStandardError(double[][] draws) {
        return standardDeviation(draws) / Math.sqrt(effectiveSampleSize(draws));
    }

    /** The standard deviation of all draws pooled ({@code N - 1} denominator). */
    public static double standardDeviation(double[][] draws) {
        double mu = pooledMean(draws);
        long count = 0;
        double ss = 0;
        for (double[] c : draws) {
            count += c.length;
            for (double v : c) {
                ss += (v - mu) * (v - mu);
            }
        }
        return Math.sqrt(ss / (count - 1));
    }

    /** The mean of all draws pooled. */
    public static double pooledMean(double[][] draws) {
        double sum = 0;
        long count = 0;
        for (double[] c : draws) {
            for (double v : c) {
                sum += v;
                count++;
            }
        }
        return sum / count;
    }

    // rho_t = 1 - (W - mean_c acov_c(t)) / varPlus, acov with the 1/n (biased) normalization.
    private static double correlation(double[][] split, double[] means, int lag, double meanVar, double varPlus) {
        int m = split.length;
        int n = split[0].length;
        if (lag >= n) {
            return 0;
        }
        double acov = 0;
        for (int c = 0; c < m; c++) {
            double[] x = split[c];
            double mu = means[c];
            double s = 0;
            for (int i = 0; i + lag < n; i++) {
                s += (x[i] - mu) * (x[i + lag] - mu);
            }
            acov += s / n;
        }
        acov /= m;
        return 1 - (meanVar - acov) / varPlus;
    }

    static double[][] split(double[][] draws) {
        if (draws == null || draws.length == 0) {
            throw new IllegalArgumentException("diagnostics need at least one chain");
        }
        int n = draws[0].length;
        for (int c = 0; c < draws.length; c++) {
            if (draws[c].length != n) {
                throw new IllegalArgumentException("every chain must have the same number of draws: chain 0 has " + n
                        + ", chain " + c + " has " + draws[c].length);
            }
        }
        if (n < 4) {
            throw new IllegalArgumentException("diagnostics need at least 4 draws per chain, found " + n);
        }
        int half = n / 2;
        double[][] out = new double[2 * draws.length][half];
        for (int c = 0; c < draws.length; c++) {
            System.arraycopy(draws[c], 0, out[2 * c], 0, half);
            System.arraycopy(draws[c], n - half, out[2 * c + 1], 0, half);
        }
        return out;
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    // Unbiased (n - 1) variance about the given mean.
    private static double variance(double[] x, double mu) {
        double s = 0;
        for (double v : x) {
            s += (v - mu) * (v - mu);
        }
        return s / (x.length - 1);
    }
}
