package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.Philox;
import org.junit.jupiter.api.Test;

class ConvergenceDiagnosticsTest {

    // AR(1) chains x_t = phi x_{t-1} + sqrt(1 - phi^2) z_t, started in stationarity: unit variance and
    // integrated autocorrelation time (1 + phi) / (1 - phi).
    static double[][] ar1(int chains, int n, double phi, long seed) {
        double[][] x = new double[chains][n];
        double s = Math.sqrt(1 - phi * phi);
        for (int c = 0; c < chains; c++) {
            double v = Philox.normal(seed, c, 0, 0);
            for (int i = 0; i < n; i++) {
                v = phi * v + s * Philox.normal(seed, c, 1, i);
                x[c][i] = v;
            }
        }
        return x;
    }

    @Test
    void independentDrawsHaveEssNearTheirCount() {
        double[][] x = ar1(4, 2000, 0.0, 11);
        double ess = ConvergenceDiagnostics.effectiveSampleSize(x);
        // The estimator's relative error for 8000 iid draws is a few percent.
        assertEquals(8000, ess, 0.12 * 8000, "ess " + ess);
        double rhat = ConvergenceDiagnostics.splitRhat(x);
        assertTrue(rhat < 1.01, "rhat " + rhat);
    }

    @Test
    void autocorrelatedDrawsHaveEssOfCountOverTau() {
        double phi = 0.8;
        double tau = (1 + phi) / (1 - phi); // 9
        double[][] x = ar1(8, 5000, phi, 12);
        double ess = ConvergenceDiagnostics.effectiveSampleSize(x);
        double expected = 8 * 5000 / tau;
        assertEquals(expected, ess, 0.15 * expected, "ess " + ess + " expected about " + expected);
    }

    @Test
    void antitheticDrawsMayExceedTheirCount() {
        double[][] x = ar1(4, 4000, -0.5, 13);
        double ess = ConvergenceDiagnostics.effectiveSampleSize(x);
        // tau = 1/3: about three times the number of draws.
        assertTrue(ess > 1.5 * 16000, "ess " + ess);
    }

    @Test
    void chainsStuckInDifferentPlacesHaveLargeRhat() {
        double[][] x = ar1(4, 1000, 0.3, 14);
        for (int i = 0; i < 1000; i++) {
            x[3][i] += 3;
        }
        assertTrue(ConvergenceDiagnostics.splitRhat(x) > 1.2);
    }

    @Test
    void aTrendWithinChainsIsCaughtBySplitting() {
        // Every chain drifts the same way: plain R-hat would not see it, split R-hat does.
        double[][] x = ar1(4, 1000, 0.0, 15);
        for (double[] c : x) {
            for (int i = 0; i < c.length; i++) {
                c[i] += 4.0 * i / c.length;
            }
        }
        assertTrue(ConvergenceDiagnostics.splitRhat(x) > 1.2);
    }

    @Test
    void rhatMatchesTheFormulaOnATinyCase() {
        double[][] x = {{1, 2, 3, 4}, {2, 2, 5, 7}};
        // Halves: {1,2} {3,4} {2,2} {5,7}; means 1.5 3.5 2 6; variances .5 .5 0 2 -> W = .75.
        // Grand mean 3.25; B = n * var(means) = 2 * ((1.75^2 + .25^2 + 1.25^2 + 2.75^2) / 3) = 2 * 12.25 / 3.
        double w = 0.75;
        double b = 2 * 12.25 / 3;
        double varPlus = 0.5 * w + b / 2;
        assertEquals(Math.sqrt(varPlus / w), ConvergenceDiagnostics.splitRhat(x), 1e-12);
    }

    @Test
    void badShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ConvergenceDiagnostics.splitRhat(new double[][] {{1, 2, 3}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvergenceDiagnostics.effectiveSampleSize(new double[][] {{1, 2, 3, 4}, {1, 2, 3}}));
        assertTrue(e.getMessage().contains("chain 1 has 3"), e.getMessage());
    }

    @Test
    void constantDrawsGiveNaN() {
        double[][] x = {{1, 1, 1, 1}, {1, 1, 1, 1}};
        assertTrue(Double.isNaN(ConvergenceDiagnostics.effectiveSampleSize(x)));
        assertTrue(Double.isNaN(ConvergenceDiagnostics.splitRhat(x)));
    }

    /**
     * Known answers for a fixed array, computed outside the library by a numpy transcription of Stan's
     * {@code stan/analyze/mcmc/compute_effective_sample_size.hpp} and
     * {@code compute_potential_scale_reduction.hpp} (split chains, biased autocovariance, Geyer's
     * initial positive then monotone sequence, the last even autocorrelation as a bias term, the
     * {@code 1 / log10(N)} floor on tau):
     * <pre>
     * x[c, i]: v = c; v = phi v + ((7 i + 5 c) % 11 - 5) for i in 0..39, 3 chains
     * s = concat(x[:, :20], x[:, 20:]); M, n = s.shape
     * W = s.var(1, ddof=1).mean(); B = n * s.mean(1).var(ddof=1); rhat = sqrt((B / W + n - 1) / n)
     * acov[c, k] = sum((s_c - mean)[:n-k] * (s_c - mean)[k:]) / n
     * mean_var = acov[:, 0].mean() * n / (n - 1); var_plus = mean_var (n - 1) / n + s.mean(1).var(ddof=1)
     * rho_t = 1 - (mean_var - acov[:, t].mean()) / var_plus; pairs while t < n - 4 and the last pair sums > 0
     * tau = -1 + 2 sum(rho[:max_t]) + rho[max_t + 1]; ess = min(M n / tau, M n log10(M n))
     * sd = x.std(ddof=1); mcse = sd / sqrt(ess)
     * </pre>
     * phi = 0.95 runs into the length limit, needs the monotone correction (rho 0.095, 0.19 -> 0.143)
     * and keeps a positive bias term; phi = -0.6 is antithetic, so its ESS exceeds its 120 draws. The
     * arithmetic is the same IEEE double either side, so only summation order separates the answers.
     *
     * <p>A second, independent implementation agrees: ArviZ 0.23.4 ({@code az.rhat(x, method="split")},
     * {@code az.ess(x, method="mean")}, {@code az.mcse(x, method="mean")} on the same arrays, chains as
     * rows) gives these R-hats for all three rows and these ESS and MCSE to the last digit for
     * phi = -0.6 and 0.7. For phi = 0.95 it gives ESS 16.715268726172482: where the positive sequence
     * reaches the length limit, ArviZ (like the R package posterior) stops one lag earlier than Stan's
     * C++, whose value this class follows.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "0.95, 1.2260012242462135, 15.505383153843116, 3.153714970267724, 0.8009053382548282, 0.4065620727068339",
        "-0.6, 0.9761482406684231, 249.50174952571496, 4.024388777289269, 0.2547787083752994, 0.010657572576320525",
        "0.7, 0.9868936191933558, 87.14955170611275, 2.813139016406854, 0.30134127080064027, 0.05390540189791359"})
    void knownAnswersFromAnIndependentTranscriptionOfStan(double phi, double rhat, double ess, double sd, double mcse,
            double mean) {
        double[][] x = new double[3][40];
        for (int c = 0; c < 3; c++) {
            double v = c;
            for (int i = 0; i < 40; i++) {
                v = phi * v + (((7 * i + 5 * c) % 11) - 5);
                x[c][i] = v;
            }
        }
        assertEquals(rhat, ConvergenceDiagnostics.splitRhat(x), 1e-12 * rhat, "split R-hat");
        assertEquals(ess, ConvergenceDiagnostics.effectiveSampleSize(x), 1e-10 * ess, "ESS");
        assertEquals(sd, ConvergenceDiagnostics.standardDeviation(x), 1e-12 * sd, "sd");
        assertEquals(mcse, ConvergenceDiagnostics.meanStandardError(x), 1e-10 * mcse, "MCSE");
        assertEquals(mean, ConvergenceDiagnostics.pooledMean(x), 1e-12, "mean");
    }
}
