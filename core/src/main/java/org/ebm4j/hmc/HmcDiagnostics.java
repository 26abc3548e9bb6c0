package org.ebm4j.hmc;

/**
 * What an HMC run reports about itself. Transition statistics cover the sampling phase (after
 * warm-up); per-coordinate statistics (pooled over chains) need the draws, and are null when they were
 * not kept.
 *
 * @param chains number of chains
 * @param draws draws per chain after warm-up
 * @param stepSize the step size used for sampling (adapted or fixed)
 * @param leapfrogSteps steps per trajectory
 * @param acceptanceRate mean over sampling transitions and chains of {@code min(1, exp(-energyError))}
 * @param acceptedFraction fraction of sampling transitions (over chains) that were accepted
 * @param divergences divergent sampling transitions (energy error above the threshold or not finite)
 * @param warmupDivergences divergent warm-up transitions
 * @param meanAbsEnergyError mean {@code |H_new - H_old|} over the finite sampling energy errors
 * @param maxAbsEnergyError largest {@code |H_new - H_old|} while sampling (infinite if any was not finite)
 * @param mean per-coordinate mean of the draws, or null
 * @param sd per-coordinate standard deviation of the draws, or null
 * @param mcse per-coordinate Monte Carlo standard error of the mean ({@code sd / sqrt(ess)}), or null
 * @param ess per-coordinate effective sample size (all chains together), or null
 * @param rhat per-coordinate split R-hat, or null
 */
public record HmcDiagnostics(int chains, int draws, double stepSize, int leapfrogSteps, double acceptanceRate,
                             double acceptedFraction, long divergences, long warmupDivergences,
                             double meanAbsEnergyError, double maxAbsEnergyError, double[] mean, double[] sd,
                             double[] mcse, double[] ess, double[] rhat) {

    /** The largest split R-hat over coordinates (NaN if the draws were not kept). */
    public double maxRhat() {
        return extreme(rhat, true);
    }

    /** The smallest effective sample size over coordinates (NaN if the draws were not kept). */
    public double minEss() {
        return extreme(ess, false);
    }

    private static double extreme(double[] v, boolean max) {
        if (v == null || v.length == 0) {
            return Double.NaN;
        }
        double e = v[0];
        for (double x : v) {
            if (Double.isNaN(x)) {
                return Double.NaN;
            }
            e = max ? Math.max(e, x) : Math.min(e, x);
        }
        return e;
    }
}
