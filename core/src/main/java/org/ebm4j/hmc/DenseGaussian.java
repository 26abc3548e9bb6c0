package org.ebm4j.hmc;

import org.ebm4j.random.Philox;
import org.ebm4j.random.StreamId;

/**
 * A multivariate normal {@code N(mean, covariance)} described on the host in double precision: the
 * known target HMC is tested against. Holds the covariance and its inverse (the precision), both
 * symmetric {@code d x d}.
 */
public final class DenseGaussian {
    private final double[] mean;
    private final double[][] covariance;
    private final double[][] precision;

    private DenseGaussian(double[] mean, double[][] covariance, double[][] precision) {
        this.mean = mean;
        this.covariance = covariance;
        this.precision = precision;
    }

    /**
     * From a mean and a symmetric positive-definite covariance; the precision is its inverse by
     * Cholesky factorization.
     *
     * @throws IllegalArgumentException if the shapes disagree, the matrix is not symmetric or not
     *     positive definite
     */
    public static DenseGaussian fromCovariance(double[] mean, double[][] covariance) {
        int d = mean.length;
        if (d == 0) {
            throw new IllegalArgumentException("a Gaussian needs dimension >= 1, found 0");
        }
        if (covariance.length != d) {
            throw new IllegalArgumentException("covariance must be " + d + "x" + d + " to match the mean but has "
                    + covariance.length + " rows");
        }
        for (int i = 0; i < d; i++) {
            if (covariance[i].length != d) {
                throw new IllegalArgumentException("covariance row " + i + " has " + covariance[i].length
                        + " entries; expected " + d);
            }
            for (int j = 0; j < i; j++) {
                double a = covariance[i][j];
                double b = covariance[j][i];
                if (Math.abs(a - b) > 1e-9 * (1 + Math.abs(a) + Math.abs(b))) {
                    throw new IllegalArgumentException("covariance is not symmetric: [" + i + "][" + j + "] = " + a
                            + " but [" + j + "][" + i + "] = " + b);
                }
            }
        }
        double[][] precision = Cholesky.factor(covariance).inverse();
        return new DenseGaussian(mean.clone(), deepCopy(covariance), precision);
    }

    /**
     * A dense covariance {@code Q diag(lambda) Q^T} with a random rotation {@code Q} (Gram-Schmidt on a
     * Philox Gaussian matrix from {@link StreamId#HMC_GAUSSIAN} under {@code seed}) and eigenvalues
     * spaced geometrically from {@code minEigenvalue} to {@code maxEigenvalue}; zero mean. The precision is
     * {@code Q diag(1/lambda) Q^T}, exact up to rounding.
     */
    public static DenseGaussian randomRotation(int d, double minEigenvalue, double maxEigenvalue, long seed) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, found " + d);
        }
        if (!(minEigenvalue > 0) || !(maxEigenvalue >= minEigenvalue) || !Double.isFinite(maxEigenvalue)) {
            throw new IllegalArgumentException("eigenvalues need 0 < min <= max < infinity, found min=" + minEigenvalue
                    + " max=" + maxEigenvalue);
        }
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                q[i][j] = Philox.normal(seed, StreamId.HMC_GAUSSIAN.id(), 0, (long) i * d + j);
            }
        }
        // Gram-Schmidt (twice, for orthogonality to rounding) on the rows.
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < d; i++) {
                for (int k = 0; k < i; k++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += q[i][j] * q[k][j];
                    }
                    for (int j = 0; j < d; j++) {
                        q[i][j] -= dot * q[k][j];
                    }
                }
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    norm += q[i][j] * q[i][j];
                }
                norm = Math.sqrt(norm);
                for (int j = 0; j < d; j++) {
                    q[i][j] /= norm;
                }
            }
        }
        double[] lambda = new double[d];
        for (int i = 0; i < d; i++) {
            double t = d == 1 ? 0 : (double) i / (d - 1);
            lambda[i] = minEigenvalue * Math.pow(maxEigenvalue / minEigenvalue, t);
        }
        double[][] cov = new double[d][d];
        double[][] prec = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                double c = 0;
                double p = 0;
                for (int i = 0; i < d; i++) {
                    double qq = q[i][a] * q[i][b];
                    c += lambda[i] * qq;
                    p += qq / lambda[i];
                }
                cov[a][b] = c;
                cov[b][a] = c;
                prec[a][b] = p;
                prec[b][a] = p;
            }
        }
        return new DenseGaussian(new double[d], cov, prec);
    }

    /** An AR(1) correlation: {@code covariance[i][j] = rho^|i-j|}, zero mean, {@code |rho| < 1}. */
    public static DenseGaussian autoregressive(int d, double rho) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, found " + d);
        }
        if (!(Math.abs(rho) < 1)) {
            throw new IllegalArgumentException("AR(1) correlation must satisfy |rho| < 1, found " + rho);
        }
        double[][] cov = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                cov[i][j] = Math.pow(rho, Math.abs(i - j));
            }
        }
        return fromCovariance(new double[d], cov);
    }

    public int dimension() {
        return mean.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[][] covariance() {
        return deepCopy(covariance);
    }

    /** The diagonal of the covariance: the variance of each coordinate. */
    public double[] variances() {
        double[] v = new double[mean.length];
        for (int j = 0; j < v.length; j++) {
            v[j] = covariance[j][j];
        }
        return v;
    }

    public double[][] precision() {
        return deepCopy(precision);
    }

    /** {@code 0.5 (x - mean)^T P (x - mean)} in double: the reference for {@link GaussianEnergy}. */
    public double energy(double[] x) {
        int d = mean.length;
        double e = 0;
        for (int i = 0; i < d; i++) {
            double di = x[i] - mean[i];
            double row = 0;
            for (int j = 0; j < d; j++) {
                row += precision[i][j] * (x[j] - mean[j]);
            }
            e += di * row;
        }
        return 0.5 * e;
    }

    private static double[][] deepCopy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
