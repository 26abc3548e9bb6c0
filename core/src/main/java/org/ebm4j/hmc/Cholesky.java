package org.ebm4j.hmc;

/** The Cholesky factor {@code L} of a symmetric positive-definite matrix ({@code A = L L^T}), in double. */
public final class Cholesky {
    private final double[][] l;

    private Cholesky(double[][] l) {
        this.l = l;
    }

    /**
     * Factors {@code a} (symmetric; only its lower triangle is read).
     *
     * @throws IllegalArgumentException naming the pivot when {@code a} is not positive definite
     */
    public static Cholesky factor(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("matrix is not positive definite (pivot " + i + " is " + s
                                + ")");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return new Cholesky(l);
    }

    /** {@code log det A = 2 sum_i log L_ii}, without forming the determinant (which under- or overflows). */
    public double logDeterminant() {
        double s = 0;
        for (int i = 0; i < l.length; i++) {
            s += Math.log(l[i][i]);
        }
        return 2 * s;
    }

    /** {@code A^-1}, symmetric. */
    public double[][] inverse() {
        int n = l.length;
        // Invert L (lower triangular), then A^-1 = L^-T L^-1.
        double[][] li = new double[n][n];
        for (int i = 0; i < n; i++) {
            li[i][i] = 1.0 / l[i][i];
            for (int j = 0; j < i; j++) {
                double s = 0;
                for (int k = j; k < i; k++) {
                    s -= l[i][k] * li[k][j];
                }
                li[i][j] = s / l[i][i];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = i; k < n; k++) {
                    s += li[k][i] * li[k][j];
                }
                inv[i][j] = s;
                inv[j][i] = s;
            }
        }
        return inv;
    }
}
