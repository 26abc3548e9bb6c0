package org.ebm4j.hmc;

/**
 * The output of {@link HmcSampler#sample}: the draws (when kept), the final positions, the adapted
 * step size and metric, and the {@link HmcDiagnostics}.
 */
public final class HmcResult {
    private final int chains;
    private final int d;
    private final float[][] draws;
    private final float[] finalPositions;
    private final double stepSize;
    private final double[] inverseMass;
    private final HmcDiagnostics diagnostics;

    HmcResult(int chains, int d, float[][] draws, float[] finalPositions, double stepSize, double[] inverseMass,
              int leapfrogSteps, double acceptanceRate, double acceptedFraction, long divergences,
              long warmupDivergences, double meanAbsEnergyError, double maxAbsEnergyError) {
        this.chains = chains;
        this.d = d;
        this.draws = draws;
        this.finalPositions = finalPositions;
        this.stepSize = stepSize;
        this.inverseMass = inverseMass;
        int n = draws == null ? 0 : draws.length;
        double[] mean = null;
        double[] sd = null;
        double[] mcse = null;
        double[] ess = null;
        double[] rhat = null;
        if (draws != null && n >= 4) {
            mean = new double[d];
            sd = new double[d];
            mcse = new double[d];
            ess = new double[d];
            rhat = new double[d];
            for (int j = 0; j < d; j++) {
                double[][] c = coordinate(j);
                mean[j] = ConvergenceDiagnostics.pooledMean(c);
                sd[j] = ConvergenceDiagnostics.standardDeviation(c);
                ess[j] = ConvergenceDiagnostics.effectiveSampleSize(c);
                mcse[j] = sd[j] / Math.sqrt(ess[j]);
                rhat[j] = ConvergenceDiagnostics.splitRhat(c);
            }
        }
        this.diagnostics = new HmcDiagnostics(chains, draws == null ? 0 : n, stepSize, leapfrogSteps,
                acceptanceRate, acceptedFraction, divergences, warmupDivergences, meanAbsEnergyError,
                maxAbsEnergyError, mean, sd, mcse, ess, rhat);
    }

    public int chains() {
        return chains;
    }

    public int dimension() {
        return d;
    }

    /** Whether the draws were kept ({@link HmcOptions#keepDraws()}). */
    public boolean hasDraws() {
        return draws != null;
    }

    public int drawCount() {
        return draws == null ? 0 : draws.length;
    }

    /**
     * Draw {@code i} of every chain, {@code chains x d} row-major (the backing array: do not modify).
     */
    public float[] draw(int i) {
        requireDraws();
        return draws[i];
    }

    /**
     * Every kept draw of every chain, {@code (drawCount * chains) x d} row-major: draw 0 of every chain,
     * then draw 1, and so on (a fresh array).
     */
    public float[] allDraws() {
        requireDraws();
        int per = chains * d;
        float[] all = new float[draws.length * per];
        for (int i = 0; i < draws.length; i++) {
            System.arraycopy(draws[i], 0, all, i * per, per);
        }
        return all;
    }

    /**
     * How far the estimated means and variances lie from a known target's, in Monte Carlo standard
     * errors (see {@link McseCheck}).
     *
     * @param trueMean     the target's mean per coordinate
     * @param trueVariance the target's variance per coordinate
     * @throws IllegalStateException when the draws were not kept or fewer than 4 (no MCSE)
     */
    public McseCheck checkAgainst(double[] trueMean, double[] trueVariance) {
        requireDraws();
        if (trueMean.length != d || trueVariance.length != d) {
            throw new IllegalArgumentException("the known target needs " + d + " means and variances, found "
                    + trueMean.length + " and " + trueVariance.length);
        }
        if (diagnostics.mean() == null) {
            throw new IllegalStateException("a check against the truth needs >= 4 draws per chain, found "
                    + draws.length);
        }
        double[] meanZ = new double[d];
        double[] varianceZ = new double[d];
        for (int j = 0; j < d; j++) {
            double m = diagnostics.mean()[j];
            meanZ[j] = Math.abs(m - trueMean[j]) / diagnostics.mcse()[j];
            double[][] c = coordinate(j);
            for (double[] chain : c) {
                for (int i = 0; i < chain.length; i++) {
                    chain[i] = (chain[i] - m) * (chain[i] - m);
                }
            }
            varianceZ[j] = Math.abs(ConvergenceDiagnostics.pooledMean(c) - trueVariance[j])
                    / ConvergenceDiagnostics.meanStandardError(c);
        }
        return new McseCheck(meanZ, varianceZ);
    }

    /** {@code [chain][draw]} of coordinate {@code j}, in double, for the diagnostics. */
    public double[][] coordinate(int j) {
        requireDraws();
        if (j < 0 || j >= d) {
            throw new IllegalArgumentException("coordinate " + j + " is outside [0, " + d + ")");
        }
        double[][] out = new double[chains][draws.length];
        for (int i = 0; i < draws.length; i++) {
            float[] x = draws[i];
            for (int c = 0; c < chains; c++) {
                out[c][i] = x[c * d + j];
            }
        }
        return out;
    }

    /** The positions after the last transition, {@code chains x d} row-major. */
    public float[] finalPositions() {
        return finalPositions.clone();
    }

    public double stepSize() {
        return stepSize;
    }

    /** The diagonal inverse mass used for sampling, or null for the identity. */
    public double[] inverseMass() {
        return inverseMass == null ? null : inverseMass.clone();
    }

    public HmcDiagnostics diagnostics() {
        return diagnostics;
    }

    private void requireDraws() {
        if (draws == null) {
            throw new IllegalStateException("the draws were not kept (HmcOptions.keepDraws() was false)");
        }
    }
}
