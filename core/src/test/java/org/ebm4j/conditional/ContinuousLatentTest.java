package org.ebm4j.conditional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.hmc.DenseGaussian;
import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.hmc.GaussianEnergy;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeakedTensors.class)
class ContinuousLatentTest {
    private static final float[] XS = {-0.7f, 0.2f, 1.4f};
    private static final Backend REFERENCE = new ReferenceBackend();

    // Rows [x | z1 | z2] with z starting at 0.
    private static Tensor rows(Backend b) {
        float[] q = new float[3 * XS.length];
        for (int r = 0; r < XS.length; r++) {
            q[3 * r] = XS[r];
        }
        return b.fromArray(q, XS.length, 3);
    }

    /**
     * E(x, z) = (1/2) (q - mu)^T P (q - mu) over q = [x | z]: quadratic in z with Hessian P_zz, so
     * F = E(x, z*) + (1/(2 beta)) (log det(beta P_zz) - 2 log(2 pi)), z* = mu_z - P_zz^-1 P_zx (x - mu_x).
     * Tolerance 2e-4: the descent contracts by at most 0.8 per step (rate 0.4, eigenvalues of P_zz inside
     * the full precision's [0.5, 2]), so 300 steps reach z* to float precision; float32 energies carry
     * about 1e-6 of |E| <= 10; the central-difference Hessian of a linear gradient is exact up to float
     * rounding, eps |g| / h ~ 1e-5 relative, moving log det by ~2e-5; the 61-point trapezoid over
     * +- 8 sd has spacing 0.27 sd, whose error on a Gaussian (about 2 exp(-2 pi^2 / 0.27^2)) and whose
     * truncation (erfc(8 / sqrt 2)) are far below that.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1, 3})
    void bothMethodsGiveTheGaussianIntegralOfAQuadraticEnergy(double beta) {
        Backend b = REFERENCE;
        DenseGaussian g = DenseGaussian.fromCovariance(new double[] {0.3, -0.2, 0.5},
                DenseGaussian.randomRotation(3, 0.5, 2.0, 17).covariance());
        double[][] p = g.precision();
        double[] mu = g.mean();
        double det = p[1][1] * p[2][2] - p[1][2] * p[2][1];
        double[] expected = new double[XS.length];
        for (int r = 0; r < XS.length; r++) {
            double dx = XS[r] - mu[0];
            // z* - mu_z = -P_zz^-1 P_zx dx, with the 2 x 2 inverse written out.
            double r1 = -p[1][0] * dx;
            double r2 = -p[2][0] * dx;
            double[] q = {XS[r], mu[1] + (p[2][2] * r1 - p[1][2] * r2) / det, mu[2] + (p[1][1] * r2 - p[2][1] * r1) / det};
            expected[r] = g.energy(q) + (Math.log(beta * beta * det) - 2 * Math.log(2 * Math.PI)) / (2 * beta);
        }
        try (GaussianEnergy e = new GaussianEnergy(b, g)) {
            for (ContinuousLatent how : new ContinuousLatent[] {ContinuousLatent.laplace(0.4f, 300),
                    ContinuousLatent.quadrature(61, 8, 0.4f, 300)}) {
                try (Tensor q = rows(b)) {
                    double[] f = LatentReduction.marginal(beta).reduce(e, q, 1, 3, how);
                    for (int r = 0; r < XS.length; r++) {
                        assertEquals(expected[r], f[r], 2e-4, how.method() + " row " + r);
                    }
                }
            }
        }
    }

    /**
     * A test energy on the reference backend, computed row by row on the host: {@link #rowEnergy} returns E
     * and writes dE/dq.
     */
    private abstract static class HostEnergy implements EnergyFunction {
        abstract double rowEnergy(float[] q, int offset, float[] gradient);

        @Override
        public Backend backend() {
            return REFERENCE;
        }

        @Override
        public void energyAndGradient(Tensor q, Tensor energy, Tensor gradient) {
            float[] v = q.toArray();
            float[] e = new float[q.rows()];
            float[] g = new float[v.length];
            for (int r = 0; r < e.length; r++) {
                e[r] = (float) rowEnergy(v, r * q.cols(), g);
            }
            if (energy != null) {
                energy.copyFrom(e, 0);
            }
            if (gradient != null) {
                gradient.copyFrom(g, 0);
            }
        }
    }

    /**
     * E(x, z_1..z_k) = sum_j c_j log cosh(z_j - s_j x): separable, curvature c_j in z_j at its minimum z_j = s_j x.
     * {@code new LogCosh()} is E = log cosh(z - x): not quadratic, and integral cosh(u)^-beta du is pi at
     * beta 1 and 2 at beta 2.
     */
    private static final class LogCosh extends HostEnergy {
        private final double[] c;
        private final double[] s;

        LogCosh() {
            this(new double[] {1}, new double[] {1});
        }

        LogCosh(double[] curvatures, double[] signs) {
            this.c = curvatures;
            this.s = signs;
        }

        @Override
        public int dimension() {
            return 1 + c.length;
        }

        @Override
        double rowEnergy(float[] q, int offset, float[] gradient) {
            double e = 0;
            double dx = 0;
            for (int j = 0; j < c.length; j++) {
                double u = q[offset + 1 + j] - s[j] * q[offset];
                dx += -s[j] * c[j] * Math.tanh(u);
                gradient[offset + 1 + j] = (float) (c[j] * Math.tanh(u));
                e += c[j] * logCosh(u);
            }
            gradient[offset] = (float) dx;
            return e;
        }
    }

    /**
     * Quadrature against the closed form F = -(1/beta) log B(beta/2, 1/2): pi at beta 1, 2 at beta 2.
     * Tolerance 1e-5: the sech^beta tails beyond 30 sd hold about 4 exp(-30) of the mass, the integrand is
     * analytic in a strip of half width pi/2, so the trapezoid error at spacing 0.1 sd is about
     * exp(-pi^2 / 0.1), and float32 energies near 0 add ~1e-7. Laplace, exact only for quadratics, gives
     * -(1/(2 beta)) log(2 pi / beta): off by 0.226 at beta 1 and 0.060 at beta 2 (the posterior narrows
     * toward its quadratic part as beta grows), so it is asked to miss by more than 0.05.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void quadratureGivesTheClosedFormOfANonQuadraticEnergyWhereLaplaceDoesNot(int beta) {
        Backend b = REFERENCE;
        double expected = -Math.log(beta == 1 ? Math.PI : 2) / beta;
        LogCosh e = new LogCosh();
        try (Tensor q = b.fromArray(new float[] {0.4f, 2f, -1f, -3f}, 2, 2)) {
            double[] f = LatentReduction.marginal(beta).reduce(e, q, 1, 2, ContinuousLatent.quadrature(601, 30, 0.5f, 200));
            assertEquals(expected, f[0], 1e-5);
            assertEquals(expected, f[1], 1e-5);
        }
        try (Tensor q = b.fromArray(new float[] {0.4f, 2f}, 1, 2)) {
            double laplace = LatentReduction.marginal(beta).reduce(e, q, 1, 2, ContinuousLatent.laplace(0.5f, 200))[0];
            assertEquals(-Math.log(2 * Math.PI / beta) / (2 * beta), laplace, 1e-4, "Laplace's own value");
            assertTrue(Math.abs(laplace - expected) > 0.05, "Laplace misses the non-quadratic integral: " + laplace);
        }
    }

    @Test
    void theMinimumIsTheDescentsEnergyAndLeavesZAtTheMinimizer() {
        Backend b = REFERENCE;
        LogCosh e = new LogCosh();
        try (Tensor q = b.fromArray(new float[] {0.4f, 2f}, 1, 2)) {
            double f = LatentReduction.minimum().reduce(e, q, 1, 2, ContinuousLatent.laplace(0.5f, 400))[0];
            assertEquals(0, f, 1e-6);
            assertEquals(0.4f, q.toArray()[1], 1e-4f);
        }
    }

    @Test
    void noStrictMinimumAndTooManyQuadratureColumnsAreRefused() {
        Backend b = REFERENCE;
        // Constant: no strict minimum in z, so no free energy by Laplace.
        EnergyFunction flat = new HostEnergy() {
            @Override
            public int dimension() {
                return 4;
            }

            @Override
            double rowEnergy(float[] q, int offset, float[] gradient) {
                return 1;
            }
        };
        try (Tensor q = b.allocate(2, 4)) {
            b.fill(q, 0f);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> LatentReduction.marginal(1)
                    .reduce(flat, q, 1, 3, ContinuousLatent.laplace(0.1f, 3))).getMessage()
                    .startsWith("row 0: the energy's Hessian in z at the minimum found is not positive definite"));
            assertEquals("quadrature takes 1 or 2 latent columns, found 3; use laplace",
                    assertThrows(IllegalArgumentException.class, () -> LatentReduction.marginal(1)
                            .reduce(flat, q, 1, 4, ContinuousLatent.quadrature(5, 4, 0.1f, 3))).getMessage());
        }
        assertEquals("quadrature needs >= 3 points per latent axis, found 2",
                assertThrows(IllegalArgumentException.class, () -> ContinuousLatent.quadrature(2, 4, 0.1f, 3))
                        .getMessage());
    }

    // log cosh u = |u| + log(1 + exp(-2|u|)) - log 2, stable for large |u|.
    private static double logCosh(double u) {
        return Math.abs(u) + Math.log1p(Math.exp(-2 * Math.abs(u))) - Math.log(2);
    }

    /**
     * -(1/beta) log of the trapezoid sum over {@code points} nodes spanning +- halfWidth sd around 0 of
     * {@code c log cosh}, whose curvature at 0 is c (sd = 1 / sqrt(beta c)): the end nodes weigh half.
     */
    private static double trapezoidOfLogCosh(double c, int points, double halfWidth, double beta) {
        double spacing = 2 * halfWidth / Math.sqrt(beta * c) / (points - 1);
        double sum = 0;
        for (int t = 0; t < points; t++) {
            double z = (t - (points - 1) / 2.0) * spacing;
            sum += (t == 0 || t == points - 1 ? 0.5 : 1) * spacing * Math.exp(-beta * c * logCosh(z));
        }
        return -Math.log(sum) / beta;
    }

    /**
     * A coarse grid (4 points over +- 1.5 sd), far from the integral, must give the trapezoid sum of its own
     * nodes: on one axis, and on two axes of different widths, where the sum factorizes. Tolerance 1e-4: the
     * minimizer to float precision after 400 steps, the central-difference curvature off by h^2/3 ~ 1e-5.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.7, 2})
    void aCoarseGridGivesTheTrapezoidSumOfItsOwnNodes(double beta) {
        Backend b = REFERENCE;
        ContinuousLatent coarse = ContinuousLatent.quadrature(4, 1.5, 0.3f, 400);
        try (Tensor q = b.fromArray(new float[] {0.4f, 2f, -1f, -3f}, 2, 2)) {
            double[] f = LatentReduction.marginal(beta).reduce(new LogCosh(), q, 1, 2, coarse);
            assertEquals(trapezoidOfLogCosh(1, 4, 1.5, beta), f[0], 1e-4);
            assertEquals(trapezoidOfLogCosh(1, 4, 1.5, beta), f[1], 1e-4);
        }
        try (Tensor q = b.fromArray(new float[] {0.4f, 1f, 1f}, 1, 3)) {
            double[] f = LatentReduction.marginal(beta).reduce(new LogCosh(new double[] {1, 2}, new double[] {1, -1}), q, 1, 3, coarse);
            assertEquals(trapezoidOfLogCosh(1, 4, 1.5, beta) + trapezoidOfLogCosh(2, 4, 1.5, beta), f[0], 1e-4);
        }
    }

    @Test
    void badSettingsAndTemperaturesAreRefusedAtTheirBounds() {
        assertEquals("latent descent rate must be finite and > 0, found 0.0", assertThrows(IllegalArgumentException.class,
                () -> ContinuousLatent.laplace(0f, 1)).getMessage());
        assertEquals("latent descent steps must be >= 0, found -1", assertThrows(IllegalArgumentException.class,
                () -> ContinuousLatent.laplace(0.1f, -1)).getMessage());
        assertEquals(0, ContinuousLatent.laplace(0.1f, 0).steps());
        assertEquals("quadrature needs >= 3 points per latent axis, found 2", assertThrows(IllegalArgumentException.class,
                () -> ContinuousLatent.quadrature(2, 1, 0.1f, 1)).getMessage());
        assertEquals(3, ContinuousLatent.quadrature(3, 1, 0.1f, 1).points());
        assertEquals("quadrature half width must be finite and > 0 standard deviations, found 0.0",
                assertThrows(IllegalArgumentException.class, () -> ContinuousLatent.quadrature(3, 0, 0.1f, 1)).getMessage());
        try (Tensor q = REFERENCE.fromArray(new float[] {0.4f, 2f}, 1, 2)) {
            for (double beta : new double[] {0, Double.POSITIVE_INFINITY}) {
                assertEquals("inverse temperature beta must be finite and > 0, found " + beta, assertThrows(
                        IllegalArgumentException.class, () -> ContinuousLatent.laplace(0.1f, 1).freeEnergy(new LogCosh(),
                                q, 1, 2, beta)).getMessage());
            }
        }
    }
}
