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
}
