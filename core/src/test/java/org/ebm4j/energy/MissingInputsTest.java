package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.hmc.DenseGaussian;
import org.ebm4j.hmc.GaussianEnergy;
import org.ebm4j.hmc.HmcOptions;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class MissingInputsTest {

    // Solves a x = y by Gaussian elimination with partial pivoting (small, well-conditioned systems).
    static double[] solve(double[][] a, double[] y) {
        int n = y.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = y[i];
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c] / m[c][c];
                    for (int k = c; k <= n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = m[i][n] / m[i][i];
        }
        return x;
    }

    @Test
    void gradientDescentOnTheMissingCoordinatesReachesTheGaussianConditionalMean() {
        Backend b = new ReferenceBackend();
        int d = 6;
        DenseGaussian g = DenseGaussian.randomRotation(d, 0.5, 2.0, 31);
        double[][] p = g.precision();
        // Row 0 misses coordinates 1 and 4; row 1 misses 0, 2, 3.
        float[] x = {0.7f, 9f, -0.3f, 1.2f, 9f, 0.5f, 9f, 0.4f, 9f, 9f, -1.1f, 0.8f};
        float[] observed = {1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1};
        try (GaussianEnergy u = new GaussianEnergy(b, g);
             Tensor xt = b.fromArray(x, 2, d);
             Tensor mask = b.fromArray(observed, 2, d)) {
            // Step 0.2 with precision eigenvalues in [0.5, 2]: contraction at least 0.9 per step on the
            // missing block, so 300 steps leave an error below 1e-12 of the start.
            MissingInputs.complete(u, xt, mask, 1f, 0.2f, 300, new RandomStream(4));
            float[] got = xt.toArray();
            for (int r = 0; r < 2; r++) {
                int[] miss = r == 0 ? new int[] {1, 4} : new int[] {0, 2, 3};
                double[][] pmm = new double[miss.length][miss.length];
                double[] rhs = new double[miss.length];
                for (int i = 0; i < miss.length; i++) {
                    for (int j = 0; j < miss.length; j++) {
                        pmm[i][j] = p[miss[i]][miss[j]];
                    }
                    for (int o = 0; o < d; o++) {
                        if (observed[r * d + o] == 1) {
                            rhs[i] -= p[miss[i]][o] * x[r * d + o];
                        }
                    }
                }
                double[] expected = solve(pmm, rhs);
                for (int i = 0; i < miss.length; i++) {
                    assertEquals(expected[i], got[r * d + miss[i]], 1e-4, "row " + r + " coordinate " + miss[i]);
                }
                for (int o = 0; o < d; o++) {
                    if (observed[r * d + o] == 1) {
                        assertEquals(x[r * d + o], got[r * d + o], 0f, "observed coordinates are clamped");
                    }
                }
            }
            assertThrows(IllegalArgumentException.class,
                    () -> MissingInputs.complete(u, xt, mask, 1f, 0f, 10, new RandomStream(1)));
        }
    }

    @Test
    void thePosteriorMeanOfTheMissingCoordinatesIsTheGaussianConditionalMean() {
        Backend b = new ReferenceBackend();
        int d = 6;
        DenseGaussian g = DenseGaussian.randomRotation(d, 0.5, 2.0, 31);
        double[][] p = g.precision();
        // Row 0 misses coordinates 1 and 4; row 1 misses 0, 2, 3; the chains start at 0 there.
        float[] x = {0.7f, 0f, -0.3f, 1.2f, 0f, 0.5f, 0f, 0.4f, 0f, 0f, -1.1f, 0.8f};
        float[] observed = {1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1};
        int chains = 400;
        HmcOptions options = HmcOptions.builder().chains(chains).warmup(100).draws(50).leapfrogSteps(10)
                .stepSize(0.3).adaptMass(false).keepDraws(false).build();
        try (GaussianEnergy u = new GaussianEnergy(b, g);
             Tensor xt = b.fromArray(x, 2, d);
             Tensor mask = b.fromArray(observed, 2, d)) {
            double acceptance = MissingInputs.posteriorMean(u, xt, mask, options, new RandomStream(8));
            assertTrue(acceptance > 0.5 && acceptance <= 1, "acceptance " + acceptance);
            float[] got = xt.toArray();
            for (int r = 0; r < 2; r++) {
                int[] miss = r == 0 ? new int[] {1, 4} : new int[] {0, 2, 3};
                double[][] pmm = new double[miss.length][miss.length];
                double[] rhs = new double[miss.length];
                for (int i = 0; i < miss.length; i++) {
                    for (int j = 0; j < miss.length; j++) {
                        pmm[i][j] = p[miss[i]][miss[j]];
                    }
                    for (int o = 0; o < d; o++) {
                        if (observed[r * d + o] == 1) {
                            rhs[i] -= p[miss[i]][o] * x[r * d + o];
                        }
                    }
                }
                double[] expected = solve(pmm, rhs);
                for (int i = 0; i < miss.length; i++) {
                    double[] unit = new double[miss.length];
                    unit[i] = 1;
                    // The conditional covariance is P_mm^-1. A chain's average of its draws has a variance of at
                    // most the conditional variance whatever its autocorrelation, so the mean over 400
                    // independent chains lies within 5 sd / sqrt(400) of the exact mean (5 standard errors).
                    double sd = Math.sqrt(solve(pmm, unit)[i]);
                    assertEquals(expected[i], got[r * d + miss[i]], 5 * sd / Math.sqrt(chains),
                            "row " + r + " coordinate " + miss[i]);
                }
                for (int o = 0; o < d; o++) {
                    if (observed[r * d + o] == 1) {
                        assertEquals(x[r * d + o], got[r * d + o], 0f, "observed coordinates are clamped");
                    }
                }
            }
        }
    }
}
