package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdaptationTest {

    @Test
    void dualAveragingFindsTheStepSizeThatHitsTheTarget() {
        // A synthetic sampler whose acceptance falls with the step size: a(eps) = exp(-eps^2),
        // so the target 0.8 is reached at eps* = sqrt(-ln 0.8).
        DualAveraging da = DualAveraging.withDefaults();
        double eps = 2.0;
        da.restart(eps);
        for (int i = 0; i < 2000; i++) {
            eps = da.update(Math.exp(-eps * eps));
        }
        double expected = Math.sqrt(-Math.log(0.8));
        assertEquals(expected, da.finalStepSize(), 0.01 * expected);
    }

    @Test
    void dualAveragingMatchesItsRecurrenceForTwoSteps() {
        DualAveraging da = new DualAveraging(0.8, 0.05, 0.75, 10);
        da.restart(0.5);
        double mu = Math.log(5.0);
        // t = 1: eta = 1/11, H = (0.8 - 0.3)/11, x = mu - H * 1 / 0.05, xbar = x.
        double h1 = 0.5 / 11;
        double x1 = mu - h1 / 0.05;
        assertEquals(Math.exp(x1), da.update(0.3), 1e-12);
        assertEquals(Math.exp(x1), da.finalStepSize(), 1e-12);
        // t = 2: eta = 1/12, H = (11/12) h1 + (0.8 - 1)/12, x = mu - H sqrt(2)/0.05, w = 2^-0.75.
        double h2 = (11.0 / 12) * h1 + (0.8 - 1.0) / 12;
        double x2 = mu - h2 * Math.sqrt(2) / 0.05;
        double w = Math.pow(2, -0.75);
        assertEquals(Math.exp(x2), da.update(1.7), 1e-12); // acceptance above 1 counts as 1
        assertEquals(Math.exp(w * x2 + (1 - w) * x1), da.finalStepSize(), 1e-12);
    }

    @Test
    void dualAveragingRejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new DualAveraging(1.0, 0.05, 0.75, 10));
        assertThrows(IllegalArgumentException.class, () -> new DualAveraging(0.8, 0, 0.75, 10));
        assertThrows(IllegalArgumentException.class, () -> new DualAveraging(0.8, 0.05, 0.5, 10));
        assertThrows(IllegalArgumentException.class, () -> DualAveraging.withDefaults().restart(0));
    }

    @Test
    void stanWindowsForAThousandWarmupIterations() {
        List<WarmupWindows.Window> w = new WarmupWindows(1000).windows();
        assertEquals(List.of(new WarmupWindows.Window(75, 99), new WarmupWindows.Window(100, 149),
                new WarmupWindows.Window(150, 249), new WarmupWindows.Window(250, 449),
                new WarmupWindows.Window(450, 949)), w);
        WarmupWindows ww = new WarmupWindows(1000);
        assertFalse(ww.collects(74));
        assertTrue(ww.collects(75));
        assertTrue(ww.endsWindow(99));
        assertFalse(ww.collects(950));
    }

    @Test
    void shortWarmupUsesProportionalBuffers() {
        // 100 iterations: 15 / 75 / 10, one window.
        assertEquals(List.of(new WarmupWindows.Window(15, 89)), new WarmupWindows(100).windows());
        assertTrue(new WarmupWindows(19).windows().isEmpty());
    }

    @Test
    void windowsTileTheSlowPhaseExactly() {
        for (int warmup : new int[] {150, 151, 200, 333, 500, 2000, 5000}) {
            List<WarmupWindows.Window> w = new WarmupWindows(warmup).windows();
            assertEquals(75, w.get(0).start());
            assertEquals(warmup - 51, w.get(w.size() - 1).end());
            for (int i = 1; i < w.size(); i++) {
                assertEquals(w.get(i - 1).end() + 1, w.get(i).start());
            }
        }
    }

    @Test
    void runningMomentsMatchTwoPassStatistics() {
        float[] x = {1, 10, 2, 20, 4, 40, 8, 80};
        RunningMoments m = new RunningMoments(2);
        m.addRows(x, 2);
        m.addRows(new float[] {4, 40, 8, 80}, 2);
        assertArrayEquals(new double[] {3.75, 37.5}, m.mean(), 1e-12);
        double v0 = ((1 - 3.75) * (1 - 3.75) + (2 - 3.75) * (2 - 3.75) + (4 - 3.75) * (4 - 3.75)
                + (8 - 3.75) * (8 - 3.75)) / 3;
        assertArrayEquals(new double[] {v0, 100 * v0}, m.variance(), 1e-9);
        double[] reg = m.regularizedVariance();
        assertEquals((4.0 / 9) * v0 + 1e-3 * 5.0 / 9, reg[0], 1e-12);
        m.reset();
        assertEquals(0, m.count());
        assertThrows(IllegalStateException.class, m::variance);
    }

    // Two rows of a 2-d position at warm-up iteration `it`, spread by `scale`: deterministic, varied values.
    static float[] positions(int it, float scale) {
        float[] x = new float[4];
        for (int e = 0; e < 4; e++) {
            x[e] = (float) (scale * Math.sin(1.7 * it + 0.9 * e + 0.3 * it * e));
        }
        return x;
    }

    @Test
    void eachMassWindowEstimatesFromItsOwnPositionsOnly() {
        // Windows 75..99 and 100..149 (then more) for 1,000 warm-up iterations.
        MetricAdaptation adaptation = new MetricAdaptation(new WarmupWindows(1000), 2);
        RunningMoments first = new RunningMoments(2);
        RunningMoments second = new RunningMoments(2);
        double[] firstEstimate = null;
        double[] secondEstimate = null;
        for (int it = 0; it < 150; it++) {
            // Positions before the first window and in it are 10 times as spread as in the second one.
            float[] x = positions(it, it < 100 ? 10f : 1f);
            if (it >= 75 && it < 100) {
                first.addRows(x, 2);
            } else if (it >= 100) {
                second.addRows(x, 2);
            }
            double[] inverseMass = adaptation.observe(it, x, 2);
            if (it == 99) {
                firstEstimate = inverseMass;
            } else if (it == 149) {
                secondEstimate = inverseMass;
            } else {
                assertEquals(null, inverseMass, "no window ends at iteration " + it);
            }
            assertEquals(it >= 75, adaptation.collects(it), "iteration " + it);
        }
        // Exactly the regularized variance of each window's own positions: nothing from the buffer before
        // the first window, nothing from the first window in the second.
        assertArrayEquals(first.regularizedVariance(), firstEstimate, 0.0);
        assertArrayEquals(second.regularizedVariance(), secondEstimate, 0.0);
    }

    @Test
    void denseGaussianPrecisionInvertsCovariance() {
        DenseGaussian g = DenseGaussian.randomRotation(12, 0.5, 3.0, 5);
        double[][] c = g.covariance();
        double[][] p = g.precision();
        InverseAssertions.assertInverse(c, p, 1e-10);
        DenseGaussian viaCholesky = DenseGaussian.fromCovariance(new double[12], c);
        double[][] p2 = viaCholesky.precision();
        for (int i = 0; i < 12; i++) {
            assertArrayEquals(p[i], p2[i], 1e-9);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DenseGaussian.fromCovariance(new double[2], new double[][] {{1, 2}, {2, 1}}));
        assertTrue(e.getMessage().contains("positive definite"), e.getMessage());
    }
}
