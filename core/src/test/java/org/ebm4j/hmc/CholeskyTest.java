package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CholeskyTest {

    @Test
    void twoByTwoMatchesTheHandComputedFactor() {
        // A = [[4, 2], [2, 3]] = L L^T with L = [[2, 0], [1, sqrt 2]]: det 8, A^-1 = [[3, -2], [-2, 4]] / 8.
        Cholesky c = Cholesky.factor(new double[][] {{4, 2}, {2, 3}});
        assertEquals(Math.log(8), c.logDeterminant(), 1e-14);
        double[][] inv = c.inverse();
        assertEquals(3.0 / 8, inv[0][0], 1e-15);
        assertEquals(-2.0 / 8, inv[0][1], 1e-15);
        assertEquals(-2.0 / 8, inv[1][0], 1e-15);
        assertEquals(4.0 / 8, inv[1][1], 1e-15);
    }

    @Test
    void fourByFourInverseTimesTheMatrixIsTheIdentity() {
        double[][] a = {
            {5, 1, 0.5, 0.2},
            {1, 4, 1, 0.3},
            {0.5, 1, 3, 0.7},
            {0.2, 0.3, 0.7, 2},
        };
        Cholesky c = Cholesky.factor(a);
        double[][] inv = c.inverse();
        InverseAssertions.assertInverse(a, inv, 1e-13);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(inv[i][j], inv[j][i], 0.0, "the inverse is symmetric");
            }
        }
        assertEquals(Math.log(determinant(a)), c.logDeterminant(), 1e-12);
    }

    @Test
    void onlyTheLowerTriangleIsRead() {
        Cholesky c = Cholesky.factor(new double[][] {{4, 99}, {2, 3}});
        assertEquals(Math.log(8), c.logDeterminant(), 1e-14);
    }

    @Test
    void aMatrixThatIsNotPositiveDefiniteNamesItsPivot() {
        // [[1, 2], [2, 1]]: the second pivot is 1 - 2 * 2 = -3.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cholesky.factor(new double[][] {{1, 2}, {2, 1}}));
        assertEquals("matrix is not positive definite (pivot 1 is -3.0)", e.getMessage());
        // A zero pivot is refused too: it would divide by zero below it.
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Cholesky.factor(new double[][] {{0}}));
        assertEquals("matrix is not positive definite (pivot 0 is 0.0)", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cholesky.factor(new double[][] {{Double.NaN}}));
    }

    /** Laplace expansion along the first row: independent of any factorization. */
    private static double determinant(double[][] m) {
        int n = m.length;
        if (n == 1) {
            return m[0][0];
        }
        double det = 0;
        for (int col = 0; col < n; col++) {
            double[][] minor = new double[n - 1][n - 1];
            for (int i = 1; i < n; i++) {
                for (int j = 0, mj = 0; j < n; j++) {
                    if (j != col) {
                        minor[i - 1][mj++] = m[i][j];
                    }
                }
            }
            det += (col % 2 == 0 ? 1 : -1) * m[0][col] * determinant(minor);
        }
        return det;
    }
}
