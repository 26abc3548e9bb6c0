package org.ebm4j.conditional;

import java.util.List;
import org.ebm4j.energy.TrainableEnergy;
import org.ebm4j.hmc.Cholesky;
import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * How the free energy of a continuous latent {@code z} is computed at inverse temperature {@code beta},
 * {@code F(x, y) = -(1/beta) log integral exp(-beta E(x, y, z)) dz}, for a joint energy whose positions are
 * {@code [x | y | z]} with {@code z} in a range of columns. Both methods first find the minimizer
 * {@code z*} by gradient descent ({@link ContinuousInference}) and the Hessian {@code H} of {@code E} in
 * {@code z} there, by central differences of the energy's own gradient:
 * <ul>
 *   <li>{@link Method#LAPLACE}, any dimension: {@code E} replaced by its second-order expansion around
 *       {@code z*}, whose integral is Gaussian:
 *       {@code F = E(z*) + (1/(2 beta)) (log det(beta H) - k log(2 pi))}. Exact for an energy quadratic
 *       in {@code z}; otherwise off by the energy's departure from its quadratic in the posterior's bulk.</li>
 *   <li>{@link Method#QUADRATURE}, {@code k = 1} or {@code 2} latent columns: the trapezoid rule on a grid
 *       of {@code points} per axis over {@code z*_j +- halfWidth sd_j}, where {@code sd_j^2} is the
 *       Laplace posterior's variance ({@code (beta H)^-1})_jj: exact up to the grid for any smooth energy
 *       whose posterior mass lies inside the box (the trapezoid rule converges geometrically for smooth
 *       integrands that vanish at the ends).</li>
 * </ul>
 *
 * @param method    Laplace or quadrature
 * @param rate      gradient-descent step of the minimization ({@code > 0})
 * @param steps     gradient-descent steps ({@code >= 0})
 * @param points    quadrature: grid points per latent axis ({@code >= 3}; not used by Laplace)
 * @param halfWidth quadrature: the grid's half width in Laplace standard deviations ({@code > 0})
 */
public record ContinuousLatent(Method method, float rate, int steps, int points, double halfWidth) {
    /** Central-difference step of the Hessian: about the cube root of float32's epsilon, per unit of z. */
    static final float HESSIAN_STEP = 5e-3f;

    /**
     * Step of the second and first differences of the parameter gradient in {@link #addParameterGradient},
     * in Laplace posterior standard deviations: small enough that the fourth-order term of a smooth energy
     * stays near 1e-3 of the second difference, large enough that float32 gradients lose only ~1e-5 to it.
     */
    static final double PARAMETER_STEP = 0.1;

    /** How the integral over {@code z} is done. */
    public enum Method {
        /** The Gaussian integral of the second-order expansion around the minimizer. */
        LAPLACE,
        /** The trapezoid rule on a grid around the minimizer (1 or 2 latent columns). */
        QUADRATURE
    }

    public ContinuousLatent {
        if (method == null) {
            throw new IllegalArgumentException("a continuous-latent method is needed (laplace or quadrature), found null");
        }
        if (!(rate > 0) || !Float.isFinite(rate)) {
            throw new IllegalArgumentException("latent descent rate must be finite and > 0, found " + rate);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("latent descent steps must be >= 0, found " + steps);
        }
        if (method == Method.QUADRATURE && points < 3) {
            throw new IllegalArgumentException("quadrature needs >= 3 points per latent axis, found " + points);
        }
        if (!(halfWidth > 0) || !Double.isFinite(halfWidth)) {
            throw new IllegalArgumentException("quadrature half width must be finite and > 0 standard deviations,"
                    + " found " + halfWidth);
        }
    }

    /** Laplace's method after {@code steps} descent steps of size {@code rate}. */
    public static ContinuousLatent laplace(float rate, int steps) {
        return new ContinuousLatent(Method.LAPLACE, rate, steps, 3, 1);
    }

    /** The trapezoid rule on {@code points} per axis over {@code +- halfWidth} Laplace standard deviations. */
    public static ContinuousLatent quadrature(int points, double halfWidth, float rate, int steps) {
        return new ContinuousLatent(Method.QUADRATURE, rate, steps, points, halfWidth);
    }

    /**
     * The free energy of every row of {@code q} ({@code n x d}) over the latent columns {@code [from, to)},
     * at inverse temperature {@code beta}; the latent columns of {@code q} hold the descent's start and
     * are left at the minimizer.
     *
     * @throws IllegalArgumentException when the Hessian at a minimizer is not positive definite (no
     *     strict minimum: the integral may not exist), or quadrature is asked for more than 2 columns
     */
    public double[] freeEnergy(EnergyFunction energy, Tensor q, int from, int to, double beta) {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("inverse temperature beta must be finite and > 0, found " + beta);
        }
        int k = to - from;
        if (method == Method.QUADRATURE && k > 2) {
            throw new IllegalArgumentException("quadrature takes 1 or 2 latent columns, found " + k + "; use laplace");
        }
        float[] minimum = ContinuousInference.minimize(energy, q, from, to, rate, steps);
        double[][][] hessians = hessians(energy, q, from, to);
        float[] at = q.toArray();
        int n = q.rows();
        int d = q.cols();
        double[] f = new double[n];
        for (int r = 0; r < n; r++) {
            double[][] betaH = new double[k][k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    betaH[i][j] = beta * hessians[r][i][j];
                }
            }
            Cholesky c = factor(betaH, r);
            if (method == Method.LAPLACE) {
                f[r] = minimum[r] + (c.logDeterminant() - k * Math.log(2 * Math.PI)) / (2 * beta);
            } else {
                double[][] cov = c.inverse();
                f[r] = trapezoid(energy, at, r * d, d, from, k, cov, beta);
            }
        }
        return f;
    }

    /**
     * Adds {@code sum_r weights[r] dF_r/dtheta} to {@code grads} (shaped like {@code energy}'s parameters),
     * where {@code F_r} is the reduced energy of row {@code r} of {@code q}: its latent columns
     * {@code [from, to)} must hold the minimizer {@code z*} that {@link #freeEnergy} (or the minimum's
     * descent) left there.
     * <ul>
     *   <li>{@code beta = +infinity}, {@code F = min_z E}: the envelope theorem, {@code dF/dtheta = dE/dtheta}
     *       at {@code z*} (the derivative through {@code z*} vanishes, since {@code dE/dz = 0} there).</li>
     *   <li>Laplace, {@code F = E(z*) + (1/(2 beta)) log det(beta H) + const}: the same term plus
     *       {@code (1/(2 beta)) tr(H^-1 dH/dtheta)} and the motion of {@code z*} through the log determinant,
     *       {@code -(1/(2 beta)) (d log det H / dz)^T H^-1 d^2E/(dz dtheta)} (from
     *       {@code dz* / dtheta = -H^-1 d^2E/(dz dtheta)}). Both are differences of the exact parameter gradient
     *       along directions of the Laplace posterior ({@value #PARAMETER_STEP} of its standard deviations):
     *       the trace by second differences along its axes and their pairwise sums, the log determinant's
     *       slope by central differences of the Hessian. So this is the derivative of the Laplace value
     *       itself, with no third-derivative term left out; it is as exact as the Laplace value is an
     *       approximation of the true free energy.</li>
     * </ul>
     *
     * @throws IllegalArgumentException for quadrature at finite {@code beta} (not implemented: use Laplace), or
     *     when the Hessian at a row's minimizer is not positive definite
     */
    public void addParameterGradient(TrainableEnergy energy, Tensor q, int from, int to, double beta,
                                     double[] weights, List<Tensor> grads) {
        int n = q.rows();
        int d = q.cols();
        if (weights.length != n) {
            throw new IllegalArgumentException("expected one weight per row (" + n + "), found " + weights.length);
        }
        Backend b = energy.backend();
        float[] center = new float[n];
        for (int r = 0; r < n; r++) {
            center[r] = (float) weights[r];
        }
        if (beta == Double.POSITIVE_INFINITY) {
            accumulate(energy, b, q.toArray(), n, d, center, grads);
            return;
        }
        if (method != Method.LAPLACE) {
            throw new IllegalArgumentException("parameter gradients of the free energy are implemented for Laplace's"
                    + " method and the minimum, not for quadrature; use laplace");
        }
        int k = to - from;
        double[][][] hessians = hessians(energy, q, from, to);
        float[] base = q.toArray();
        double[][][] cov = new double[n][][];
        double[][] sd = new double[n][k];
        for (int r = 0; r < n; r++) {
            cov[r] = factor(hessians[r], r).inverse();
            for (int i = 0; i < k; i++) {
                sd[r][i] = Math.sqrt(cov[r][i][i]);
            }
        }
        double h = PARAMETER_STEP;
        // tr(C A) over the scaled coordinates u = D^-1 z (D = diag(sd), R = D^-1 C D^-1, A' = D A D):
        // sum_i R_ii A'_ii + sum_{i<j} 2 R_ij A'_ij, where A'_ij = (q(e_i + e_j) - q(e_i) - q(e_j)) / 2 and
        // q(u) = u^T A' u is the second difference of dE/dtheta along D u, divided by h^2.
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                float[] coef = new float[n];
                float[] plus = base.clone();
                float[] minus = base.clone();
                for (int r = 0; r < n; r++) {
                    double c;
                    if (i == j) {
                        c = cov[r][i][i] / (sd[r][i] * sd[r][i]);
                        for (int o = 0; o < k; o++) {
                            if (o != i) {
                                c -= cov[r][i][o] / (sd[r][i] * sd[r][o]);
                            }
                        }
                    } else {
                        c = cov[r][i][j] / (sd[r][i] * sd[r][j]);
                    }
                    double w = weights[r] * c / (2 * beta * h * h);
                    coef[r] = (float) w;
                    center[r] -= (float) (2 * w);
                    for (int o : i == j ? new int[] {i} : new int[] {i, j}) {
                        plus[r * d + from + o] += (float) (h * sd[r][o]);
                        minus[r * d + from + o] -= (float) (h * sd[r][o]);
                    }
                }
                accumulate(energy, b, plus, n, d, coef, grads);
                accumulate(energy, b, minus, n, d, coef, grads);
            }
        }
        accumulate(energy, b, base, n, d, center, grads);
        addLogDeterminantMotion(energy, b, base, n, d, from, k, beta, weights, cov, sd, grads);
    }

    // -(1/(2 beta)) m^T d^2E/(dz dtheta) with m = C v, v = d log det H / dz by central differences of the
    // Hessian, as a central difference of dE/dtheta along m scaled to h Laplace standard deviations.
    private void addLogDeterminantMotion(TrainableEnergy energy, Backend b, float[] base, int n, int d, int from,
                                         int k, double beta, double[] weights, double[][][] cov, double[][] sd,
                                         List<Tensor> grads) {
        double h = PARAMETER_STEP;
        double[][] v = new double[n][k];
        for (int j = 0; j < k; j++) {
            double[][] logDet = new double[2][n];
            double[] step = new double[n];
            for (int side = 0; side < 2; side++) {
                float[] moved = base.clone();
                for (int r = 0; r < n; r++) {
                    int at = r * d + from + j;
                    moved[at] += (float) ((side == 0 ? h : -h) * sd[r][j]);
                    step[r] += side == 0 ? (double) moved[at] - base[at] : base[at] - (double) moved[at];
                }
                double[][][] hs;
                try (Tensor shifted = b.fromArray(moved, n, d)) {
                    hs = hessians(energy, shifted, from, from + k);
                }
                for (int r = 0; r < n; r++) {
                    logDet[side][r] = factor(hs[r], r).logDeterminant();
                }
            }
            for (int r = 0; r < n; r++) {
                v[r][j] = (logDet[0][r] - logDet[1][r]) / step[r];
            }
        }
        float[] plus = base.clone();
        float[] minus = base.clone();
        float[] coef = new float[n];
        for (int r = 0; r < n; r++) {
            double[] m = new double[k];
            double norm = 0;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    m[i] += cov[r][i][j] * v[r][j];
                }
                norm += m[i] * v[r][i]; // m^T C^-1 m = v^T C v: m's length in posterior standard deviations
            }
            if (!(norm > 0)) {
                continue;
            }
            double eta = h / Math.sqrt(norm);
            for (int i = 0; i < k; i++) {
                int at = r * d + from + i;
                plus[at] += (float) (eta * m[i]);
                minus[at] -= (float) (eta * m[i]);
            }
            // The step actually taken along m, in units of m, so float rounding of z +- eta m does not bias it.
            int i = argMax(m);
            int at = r * d + from + i;
            double taken = ((double) plus[at] - minus[at]) / m[i];
            coef[r] = (float) (-weights[r] / (2 * beta) / taken);
        }
        accumulate(energy, b, plus, n, d, coef, grads);
        float[] negated = new float[n];
        for (int r = 0; r < n; r++) {
            negated[r] = -coef[r];
        }
        accumulate(energy, b, minus, n, d, negated, grads);
    }

    private static int argMax(double[] m) {
        int best = 0;
        for (int i = 1; i < m.length; i++) {
            if (Math.abs(m[i]) > Math.abs(m[best])) {
                best = i;
            }
        }
        return best;
    }

    private static Cholesky factor(double[][] hessian, int row) {
        try {
            return Cholesky.factor(hessian);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("row " + row + ": the energy's Hessian in z at the minimum found is not"
                    + " positive definite (" + e.getMessage() + "); the free energy needs a strict minimum in z");
        }
    }

    // grads += sum_r rowWeights[r] dE(rows[r]) / dtheta.
    private static void accumulate(TrainableEnergy energy, Backend b, float[] rows, int n, int d, float[] rowWeights,
                                   List<Tensor> grads) {
        try (Tensor x = b.fromArray(rows, n, d); Tensor w = b.fromArray(rowWeights, n, 1)) {
            energy.accumulateParameterGradient(x, w, grads);
        }
    }

    // H[r][i][j] = (dE/dz_i(z + h e_j) - dE/dz_i(z - h e_j)) / 2h, symmetrized.
    private static double[][][] hessians(EnergyFunction energy, Tensor q, int from, int to) {
        Backend b = energy.backend();
        int n = q.rows();
        int d = q.cols();
        int k = to - from;
        float[] base = q.toArray();
        double[][][] h = new double[n][k][k];
        try (Tensor shifted = b.allocate(n, d); Tensor grad = b.allocate(n, d)) {
            float[] moved = new float[n * d];
            for (int j = 0; j < k; j++) {
                float[][] g = new float[2][];
                double[][] step = new double[2][n];
                for (int side = 0; side < 2; side++) {
                    System.arraycopy(base, 0, moved, 0, moved.length);
                    for (int r = 0; r < n; r++) {
                        int at = r * d + from + j;
                        moved[at] += side == 0 ? HESSIAN_STEP : -HESSIAN_STEP;
                        // The step actually taken in float, so the rounding of z +- h does not bias the quotient.
                        step[side][r] = (double) moved[at] - base[at];
                    }
                    shifted.copyFrom(moved, 0);
                    energy.gradient(shifted, grad);
                    g[side] = grad.toArray();
                }
                for (int r = 0; r < n; r++) {
                    for (int i = 0; i < k; i++) {
                        int at = r * d + from + i;
                        h[r][i][j] = (g[0][at] - (double) g[1][at]) / (step[0][r] - step[1][r]);
                    }
                }
            }
        }
        for (double[][] m : h) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < i; j++) {
                    double s = (m[i][j] + m[j][i]) / 2;
                    m[i][j] = s;
                    m[j][i] = s;
                }
            }
        }
        return h;
    }

    // -(1/beta) log of the trapezoid sum of exp(-beta E) over the grid around the row's minimizer.
    private double trapezoid(EnergyFunction energy, float[] at, int offset, int d, int from, int k, double[][] cov,
                             double beta) {
        int cells = k == 1 ? points : points * points;
        double[] spacing = new double[k];
        for (int j = 0; j < k; j++) {
            spacing[j] = 2 * halfWidth * Math.sqrt(cov[j][j]) / (points - 1);
        }
        float[] grid = new float[cells * d];
        double[] logWeight = new double[cells];
        for (int g = 0; g < cells; g++) {
            System.arraycopy(at, offset, grid, g * d, d);
            int rest = g;
            for (int j = 0; j < k; j++) {
                int t = rest % points;
                rest /= points;
                grid[g * d + from + j] = (float) (at[offset + from + j] + (t - (points - 1) / 2.0) * spacing[j]);
                // Trapezoid weights: half at either end of each axis.
                logWeight[g] += Math.log(spacing[j]) + (t == 0 || t == points - 1 ? Math.log(0.5) : 0);
            }
        }
        Backend b = energy.backend();
        float[] e;
        try (Tensor qs = b.fromArray(grid, cells, d); Tensor es = b.allocate(cells, 1)) {
            energy.energy(qs, es);
            e = es.toArray();
        }
        double low = Double.POSITIVE_INFINITY;
        for (float v : e) {
            low = Math.min(low, v);
        }
        double sum = 0;
        for (int g = 0; g < cells; g++) {
            sum += Math.exp(-beta * (e[g] - low) + logWeight[g]);
        }
        return low - Math.log(sum) / beta;
    }
}
