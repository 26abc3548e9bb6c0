package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The check of an inverse that the covariance and Cholesky tests share, computed here by the definition. */
final class InverseAssertions {
    private InverseAssertions() {
    }

    /** Asserts that the square matrices {@code a} and {@code inverse} multiply to the identity, entry by entry. */
    static void assertInverse(double[][] a, double[][] inverse, double tolerance) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[i][k] * inverse[k][j];
                }
                assertEquals(i == j ? 1 : 0, s, tolerance, "(A A^-1)[" + i + "][" + j + "]");
            }
        }
    }
}
