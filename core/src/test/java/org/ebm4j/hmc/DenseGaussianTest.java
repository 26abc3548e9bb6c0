package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DenseGaussianTest {

    @Test
    void fromCovarianceKeepsTheMomentsAndInvertsTheCovariance() {
        double[] mean = {1, -1};
        double[][] cov = {{4, 2}, {2, 3}};
        DenseGaussian g = DenseGaussian.fromCovariance(mean, cov);
        assertEquals(2, g.dimension());
        assertArrayEquals(new double[] {1, -1}, g.mean(), 0.0);
        assertArrayEquals(new double[] {4, 3}, g.variances(), 0.0);
        assertArrayEquals(new double[] {4, 2}, g.covariance()[0], 0.0);
        assertArrayEquals(new double[] {2, 3}, g.covariance()[1], 0.0);
        // The inverse of [[4, 2], [2, 3]] is [[3, -2], [-2, 4]] / det 8.
        assertArrayEquals(new double[] {3.0 / 8, -2.0 / 8}, g.precision()[0], 1e-15);
        assertArrayEquals(new double[] {-2.0 / 8, 4.0 / 8}, g.precision()[1], 1e-15);
        // x - mean = (2, 1); P (2, 1) = (4, 0) / 8; half the dot product: 0.5 * (2 * 0.5) = 0.5.
        assertEquals(0.5, g.energy(new double[] {3, 0}), 1e-15);
        assertEquals(0.0, g.energy(new double[] {1, -1}), 0.0);
        // x - mean = (0, 2): 0.5 * 2 * (4/8 * 2) = 1.
        assertEquals(1.0, g.energy(new double[] {1, 1}), 1e-15);
    }

    @Test
    void theGaussianOwnsItsArrays() {
        double[] mean = {1, -1};
        double[][] cov = {{4, 2}, {2, 3}};
        DenseGaussian g = DenseGaussian.fromCovariance(mean, cov);
        mean[0] = 50;
        cov[0][0] = 50;
        g.mean()[1] = 50;
        g.covariance()[1][1] = 50;
        g.precision()[0][0] = 50;
        assertArrayEquals(new double[] {1, -1}, g.mean(), 0.0);
        assertArrayEquals(new double[] {4, 3}, g.variances(), 0.0);
        assertArrayEquals(new double[] {4, 2}, g.covariance()[0], 0.0);
        assertArrayEquals(new double[] {2, 3}, g.covariance()[1], 0.0);
        assertEquals(3.0 / 8, g.precision()[0][0], 1e-15);
    }

    @Test
    void fromCovarianceRefusesBadShapesAndAsymmetry() {
        assertEquals("a Gaussian needs dimension >= 1, found 0", assertThrows(IllegalArgumentException.class,
                () -> DenseGaussian.fromCovariance(new double[0], new double[0][0])).getMessage());
        assertEquals("covariance must be 2x2 to match the mean but has 1 rows",
                assertThrows(IllegalArgumentException.class,
                        () -> DenseGaussian.fromCovariance(new double[2], new double[][] {{1, 0}})).getMessage());
        assertEquals("covariance row 1 has 3 entries; expected 2", assertThrows(IllegalArgumentException.class,
                () -> DenseGaussian.fromCovariance(new double[2], new double[][] {{1, 0}, {0, 1, 0}})).getMessage());
        assertEquals("covariance row 0 has 1 entries; expected 2", assertThrows(IllegalArgumentException.class,
                () -> DenseGaussian.fromCovariance(new double[2], new double[][] {{1}, {0, 1}})).getMessage());
        // Symmetry is checked to 1e-9 (1 + |a| + |b|): here 1e-9 * 3 with a, b near 1.
        assertEquals("covariance is not symmetric: [1][0] = 1.000000004 but [0][1] = 1.0",
                assertThrows(IllegalArgumentException.class, () -> DenseGaussian.fromCovariance(new double[2],
                        new double[][] {{2, 1}, {1.000000004, 2}})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DenseGaussian.fromCovariance(new double[2],
                new double[][] {{2, 1.000000004}, {1, 2}}));
        // A difference of 2e-9 is within the tolerance of 3e-9 but over 1e-9: rounding, not asymmetry.
        DenseGaussian near = DenseGaussian.fromCovariance(new double[2], new double[][] {{2, 1}, {1.000000002, 2}});
        assertEquals(2, near.dimension());
        near = DenseGaussian.fromCovariance(new double[2], new double[][] {{2, 1.000000002}, {1, 2}});
        assertEquals(2, near.dimension());
        // Symmetric but indefinite: Cholesky's refusal comes through.
        assertThrows(IllegalArgumentException.class,
                () -> DenseGaussian.fromCovariance(new double[2], new double[][] {{1, 2}, {2, 1}}));
    }

    @Test
    void autoregressiveHasTheKnownTridiagonalPrecision() {
        double rho = 0.5;
        DenseGaussian g = DenseGaussian.autoregressive(3, rho);
        assertArrayEquals(new double[3], g.mean(), 0.0);
        double[][] cov = g.covariance();
        assertArrayEquals(new double[] {1, 0.5, 0.25}, cov[0], 0.0);
        assertArrayEquals(new double[] {0.5, 1, 0.5}, cov[1], 0.0);
        assertArrayEquals(new double[] {0.25, 0.5, 1}, cov[2], 0.0);
        // The AR(1) precision is tridiagonal: [[1, -rho, 0], [-rho, 1 + rho^2, -rho], [0, -rho, 1]] / (1 - rho^2).
        double s = 1 / (1 - rho * rho);
        double[][] p = g.precision();
        assertArrayEquals(new double[] {s, -rho * s, 0}, p[0], 1e-14);
        assertArrayEquals(new double[] {-rho * s, (1 + rho * rho) * s, -rho * s}, p[1], 1e-14);
        assertArrayEquals(new double[] {0, -rho * s, s}, p[2], 1e-14);
        // A negative correlation alternates in sign.
        assertArrayEquals(new double[] {1, -0.5, 0.25}, DenseGaussian.autoregressive(3, -0.5).covariance()[0], 0.0);
    }

    @Test
    void autoregressiveRefusesBadArguments() {
        assertEquals("dimension must be >= 1, found 0",
                assertThrows(IllegalArgumentException.class, () -> DenseGaussian.autoregressive(0, 0.5)).getMessage());
        assertEquals("AR(1) correlation must satisfy |rho| < 1, found 1.0",
                assertThrows(IllegalArgumentException.class, () -> DenseGaussian.autoregressive(2, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DenseGaussian.autoregressive(2, -1));
        assertThrows(IllegalArgumentException.class, () -> DenseGaussian.autoregressive(2, Double.NaN));
        assertEquals(1, DenseGaussian.autoregressive(1, 0.99).dimension());
    }

    @Test
    void randomRotationHasTheRequestedEigenvalues() {
        // Eigenvalues 1, 2, 4 (geometric from 1 to 4): trace 7, sum of squares 21, determinant 8, and the
        // precision's trace 1 + 1/2 + 1/4. The three symmetric functions fix the three eigenvalues.
        int d = 3;
        DenseGaussian g = DenseGaussian.randomRotation(d, 1, 4, 11);
        double[][] c = g.covariance();
        double[][] p = g.precision();
        double trace = 0;
        double squares = 0;
        double precTrace = 0;
        for (int i = 0; i < d; i++) {
            trace += c[i][i];
            precTrace += p[i][i];
            for (int j = 0; j < d; j++) {
                squares += c[i][j] * c[i][j];
                assertEquals(c[i][j], c[j][i], 0.0);
                assertEquals(p[i][j], p[j][i], 0.0);
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += c[i][k] * p[k][j];
                }
                assertEquals(i == j ? 1 : 0, s, 1e-12, "(C P)[" + i + "][" + j + "]");
            }
        }
        assertEquals(7, trace, 1e-12);
        assertEquals(21, squares, 1e-11);
        assertEquals(1.75, precTrace, 1e-12);
        double det = c[0][0] * (c[1][1] * c[2][2] - c[1][2] * c[2][1])
                - c[0][1] * (c[1][0] * c[2][2] - c[1][2] * c[2][0])
                + c[0][2] * (c[1][0] * c[2][1] - c[1][1] * c[2][0]);
        assertEquals(8, det, 1e-11);
        assertArrayEquals(new double[d], g.mean(), 0.0);
        // The rotation is not the identity (which would make the covariance diagonal) and depends on the seed.
        assertNotEquals(0.0, c[0][1]);
        assertNotEquals(c[0][1], DenseGaussian.randomRotation(d, 1, 4, 12).covariance()[0][1]);
        assertArrayEquals(c[0], DenseGaussian.randomRotation(d, 1, 4, 11).covariance()[0], 0.0);
    }

    /**
     * Gram-Schmidt keeps the direction of the first Philox row (draws 0..d-1 of the HMC_GAUSSIAN stream),
     * so that row, normalized, is the eigenvector of the smallest eigenvalue: {@code C z = 1 z} here.
     */
    @Test
    void theFirstPhiloxRowIsTheEigenvectorOfTheSmallestEigenvalue() {
        int d = 3;
        long seed = 11;
        double[] z = new double[d];
        double norm = 0;
        for (int j = 0; j < d; j++) {
            z[j] = org.ebm4j.random.Philox.normal(seed, org.ebm4j.random.StreamId.HMC_GAUSSIAN.id(), 0, j);
            norm += z[j] * z[j];
        }
        double[][] c = DenseGaussian.randomRotation(d, 1, 4, seed).covariance();
        for (int i = 0; i < d; i++) {
            double cz = 0;
            for (int j = 0; j < d; j++) {
                cz += c[i][j] * z[j];
            }
            assertEquals(z[i] / Math.sqrt(norm), cz / Math.sqrt(norm), 1e-12, "(C z)[" + i + "]");
        }
    }

    @Test
    void randomRotationOfOneDimensionIsTheSmallestEigenvalue() {
        DenseGaussian g = DenseGaussian.randomRotation(1, 2.5, 9, 4);
        assertEquals(2.5, g.covariance()[0][0], 1e-15);
        assertEquals(0.4, g.precision()[0][0], 1e-15);
        DenseGaussian equal = DenseGaussian.randomRotation(2, 3, 3, 4);
        assertEquals(3, equal.covariance()[0][0], 1e-14);
        assertEquals(3, equal.covariance()[1][1], 1e-14);
        assertEquals(0, equal.covariance()[0][1], 1e-14);
    }

    @Test
    void randomRotationRefusesBadArguments() {
        assertEquals("dimension must be >= 1, found 0", assertThrows(IllegalArgumentException.class,
                () -> DenseGaussian.randomRotation(0, 1, 2, 1)).getMessage());
        assertEquals("eigenvalues need 0 < min <= max < infinity, found min=0.0 max=2.0",
                assertThrows(IllegalArgumentException.class,
                        () -> DenseGaussian.randomRotation(2, 0, 2, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DenseGaussian.randomRotation(2, 2, 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> DenseGaussian.randomRotation(2, 1, Double.POSITIVE_INFINITY, 1));
        assertThrows(IllegalArgumentException.class, () -> DenseGaussian.randomRotation(2, Double.NaN, 2, 1));
    }
}
