package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
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

    private static final int D = 6;
    // Row 0 misses coordinates 1 and 4; row 1 misses 0, 2, 3.
    private static final float[] OBSERVED = {1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1};
    private static final int[][] MISSING = {{1, 4}, {0, 2, 3}};

    private static DenseGaussian gaussian() {
        return DenseGaussian.randomRotation(D, 0.5, 2.0, 31);
    }

    // Two rows of observed values with {@code start} at the missing coordinates.
    private static float[] rows(float start) {
        float[] x = {0.7f, 0, -0.3f, 1.2f, 0, 0.5f, 0, 0.4f, 0, 0, -1.1f, 0.8f};
        for (int i = 0; i < x.length; i++) {
            if (OBSERVED[i] == 0) {
                x[i] = start;
            }
        }
        return x;
    }

    /**
     * Checks {@code got} against the Gaussian conditional mean of the missing coordinates of {@code x},
     * {@code -P_mm^-1 P_mo x_o}, each within {@code tolerance(conditional variance)}, and the observed
     * coordinates bit for bit.
     */
    private static void assertConditionalMeans(double[][] p, float[] x, float[] got, DoubleUnaryOperator tolerance) {
        for (int r = 0; r < 2; r++) {
            int[] miss = MISSING[r];
            double[][] pmm = new double[miss.length][miss.length];
            double[] rhs = new double[miss.length];
            for (int i = 0; i < miss.length; i++) {
                for (int j = 0; j < miss.length; j++) {
                    pmm[i][j] = p[miss[i]][miss[j]];
                }
                for (int o = 0; o < D; o++) {
                    if (OBSERVED[r * D + o] == 1) {
                        rhs[i] -= p[miss[i]][o] * x[r * D + o];
                    }
                }
            }
            double[] expected = solve(pmm, rhs);
            for (int i = 0; i < miss.length; i++) {
                double[] unit = new double[miss.length];
                unit[i] = 1;
                double variance = solve(pmm, unit)[i]; // the conditional covariance is P_mm^-1
                assertEquals(expected[i], got[r * D + miss[i]], tolerance.applyAsDouble(variance),
                        "row " + r + " coordinate " + miss[i]);
            }
            for (int o = 0; o < D; o++) {
                if (OBSERVED[r * D + o] == 1) {
                    assertEquals(x[r * D + o], got[r * D + o], 0f, "observed coordinates are clamped");
                }
            }
        }
    }

    @Test
    void gradientDescentOnTheMissingCoordinatesReachesTheGaussianConditionalMean() {
        Backend b = new ReferenceBackend();
        DenseGaussian g = gaussian();
        float[] x = rows(9f);
        try (GaussianEnergy u = new GaussianEnergy(b, g);
             Tensor xt = b.fromArray(x, 2, D);
             Tensor mask = b.fromArray(OBSERVED, 2, D)) {
            // Step 0.2 with precision eigenvalues in [0.5, 2]: contraction at least 0.9 per step on the
            // missing block, so 300 steps leave an error below 1e-12 of the start.
            MissingInputs.complete(u, xt, mask, 1f, 0.2f, 300, new RandomStream(4));
            assertConditionalMeans(g.precision(), x, xt.toArray(), variance -> 1e-4);
            assertThrows(IllegalArgumentException.class,
                    () -> MissingInputs.complete(u, xt, mask, 1f, 0f, 10, new RandomStream(1)));
        }
    }

    @Test
    void thePosteriorMeanOfTheMissingCoordinatesIsTheGaussianConditionalMean() {
        Backend b = new ReferenceBackend();
        DenseGaussian g = gaussian();
        float[] x = rows(0f); // the chains start at 0
        int chains = 400;
        HmcOptions options = HmcOptions.builder().chains(chains).warmup(100).draws(50).leapfrogSteps(10)
                .stepSize(0.3).adaptMass(false).keepDraws(false).build();
        try (GaussianEnergy u = new GaussianEnergy(b, g);
             Tensor xt = b.fromArray(x, 2, D);
             Tensor mask = b.fromArray(OBSERVED, 2, D)) {
            double acceptance = MissingInputs.posteriorMean(u, xt, mask, options, new RandomStream(8));
            assertTrue(acceptance > 0.5 && acceptance <= 1, "acceptance " + acceptance);
            // A chain's average of its draws has a variance of at most the conditional variance whatever its
            // autocorrelation, so the mean over 400 independent chains lies within 5 sd / sqrt(400) of the
            // exact mean (5 standard errors).
            assertConditionalMeans(g.precision(), x, xt.toArray(), variance -> 5 * Math.sqrt(variance / chains));
        }
    }
}
