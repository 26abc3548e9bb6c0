package org.ebm4j.hmc;

import java.util.Locale;

/**
 * How far an HMC run's estimates lie from a known answer, in Monte Carlo standard errors: per
 * coordinate, {@code |mean estimate - true mean| / MCSE(mean)} and
 * {@code |variance estimate - true variance| / MCSE(variance)}, the variance estimate being the pooled
 * mean of the squared deviations from the estimated mean and its MCSE coming from their own effective
 * sample size. A correct sampler keeps every one of them small (beyond 4-5 is a bug, not chance, for a
 * few dozen estimates); {@link HmcResult#checkAgainst} computes it.
 *
 * @param meanErrors     per coordinate, the mean's error in MCSE
 * @param varianceErrors per coordinate, the variance's error in MCSE
 */
public record McseCheck(double[] meanErrors, double[] varianceErrors) {

    public McseCheck {
        meanErrors = meanErrors.clone();
        varianceErrors = varianceErrors.clone();
    }

    /** The largest mean error over coordinates, in MCSE. */
    public double maxMeanError() {
        return max(meanErrors);
    }

    /** The largest variance error over coordinates, in MCSE. */
    public double maxVarianceError() {
        return max(varianceErrors);
    }

    /** Whether every mean and every variance lies within {@code k} MCSE of the truth (NaN fails). */
    public boolean within(double k) {
        return maxMeanError() < k && maxVarianceError() < k;
    }

    /** The worst coordinates, for a failure message. */
    public String summary() {
        return String.format(Locale.ROOT, "largest mean error %.3f MCSE (coordinate %d), largest variance error %.3f"
                + " MCSE (coordinate %d)", maxMeanError(), argMax(meanErrors), maxVarianceError(), argMax(varianceErrors));
    }

    private static double max(double[] v) {
        int i = argMax(v);
        return i < 0 ? Double.NaN : v[i];
    }

    // The index of the largest value; a NaN wins (it must not hide behind finite errors); -1 when empty.
    private static int argMax(double[] v) {
        int best = -1;
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                return i;
            }
            if (best < 0 || v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
