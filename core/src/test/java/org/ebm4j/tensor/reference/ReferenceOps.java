package org.ebm4j.tensor.reference;

/**
 * Double-precision reference functions on row-major {@code float[]} matrices: what each backend
 * operation should compute, before the rounding to float. The contract suite compares backends
 * with these, and derives its tolerances from the same functions applied to absolute values (the
 * sum of the magnitudes of the terms bounds the rounding error of any summation order).
 */
public final class ReferenceOps {
    private ReferenceOps() {
    }

    /** Element {@code (r, c)} of {@code op(x)}, where {@code x} is stored {@code rows x cols}. */
    private static double at(float[] x, int cols, boolean trans, int r, int c) {
        return trans ? x[c * cols + r] : x[r * cols + c];
    }

    /**
     * {@code alpha * op(a) * op(b) + beta * c} as an {@code m x n} double matrix; {@code op(a)} is
     * {@code m x k}, {@code op(b)} is {@code k x n}. With {@code beta == 0}, {@code c} is not read
     * (may be null).
     */
    public static double[] gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, float[] a,
                                float[] b, double beta, float[] c) {
        int aCols = transA ? m : k;
        int bCols = transB ? k : n;
        // op(a) by rows and op(b) by columns, so that each dot product reads two contiguous arrays.
        double[] opA = new double[m * k];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                opA[i * k + p] = at(a, aCols, transA, i, p);
            }
        }
        double[] opBColumns = new double[n * k];
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) {
                opBColumns[j * k + p] = at(b, bCols, transB, p, j);
            }
        }
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    acc += opA[i * k + p] * opBColumns[j * k + p];
                }
                out[i * n + j] = alpha * acc + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }

    /** The logistic function {@code 1 / (1 + e^-z)}. */
    public static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** {@code log(1 + e^z)}, without overflow for large {@code z}. */
    public static double softplus(double z) {
        return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** {@code x[r, j] + alpha * row[j]} for an {@code rows x cols} {@code x}; {@code row} may be null (zero). */
    public static double[] addRowVector(float[] x, int rows, int cols, float[] row, double alpha) {
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                out[r * cols + j] = x[r * cols + j] + (row == null ? 0.0 : alpha * row[j]);
            }
        }
        return out;
    }

    /** {@code alpha * sum_r x[r, j] + beta * prev[j]} (a {@code cols}-vector); {@code prev} is not read when {@code beta == 0}. */
    public static double[] columnSums(float[] x, int rows, int cols, double alpha, double beta, float[] prev) {
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) {
            double acc = 0;
            for (int r = 0; r < rows; r++) {
                acc += x[r * cols + j];
            }
            out[j] = alpha * acc + (beta == 0 ? 0 : beta * prev[j]);
        }
        return out;
    }

    /** {@code sum_j x[r, j]} (a {@code rows}-vector). */
    public static double[] rowSums(float[] x, int rows, int cols) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double acc = 0;
            for (int j = 0; j < cols; j++) {
                acc += x[r * cols + j];
            }
            out[r] = acc;
        }
        return out;
    }

    /** {@code sum_j softplus(scale * (x[r, j] + bias[j]))}; {@code bias} may be null. */
    public static double[] softplusRowSums(float[] x, int rows, int cols, float[] bias, double scale) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double acc = 0;
            for (int j = 0; j < cols; j++) {
                acc += softplus(scale * ((double) x[r * cols + j] + (bias == null ? 0.0 : bias[j])));
            }
            out[r] = acc;
        }
        return out;
    }

    /** {@code sum_j w[j] * x[r, j]^2}; {@code w} may be null (all ones). */
    public static double[] rowSquaredNorms(float[] x, int rows, int cols, float[] w) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double acc = 0;
            for (int j = 0; j < cols; j++) {
                double v = x[r * cols + j];
                acc += (w == null ? 1.0 : w[j]) * v * v;
            }
            out[r] = acc;
        }
        return out;
    }

    /** The sum of all elements. */
    public static double sum(float[] x) {
        double acc = 0;
        for (float v : x) {
            acc += v;
        }
        return acc;
    }

    /** {@code sum_i a[i] * b[i]}. */
    public static double dot(float[] a, float[] b) {
        double acc = 0;
        for (int i = 0; i < a.length; i++) {
            acc += (double) a[i] * b[i];
        }
        return acc;
    }

    /** {@code x} transposed: {@code rows x cols} in, {@code cols x rows} out. */
    public static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = x[r * cols + c];
            }
        }
        return t;
    }

    /** Elementwise absolute values, for the error bounds. */
    public static float[] abs(float[] x) {
        if (x == null) {
            return null;
        }
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.abs(x[i]);
        }
        return out;
    }

    /**
     * Softmax with cross-entropy of each row of {@code logits} ({@code rows x k}) against
     * {@code targets}, in double: returns {@code {probs (rows*k), grad (rows*k), loss (rows)}} as
     * {@link org.ebm4j.tensor.Backend#softmaxCrossEntropy} defines them (row max subtracted, terms
     * with target 0 skipped in the loss; NaN rows as documented there).
     */
    public static double[][] softmaxCrossEntropy(float[] logits, float[] targets, int rows, int k) {
        double[] probs = new double[rows * k];
        double[] grad = new double[rows * k];
        double[] loss = new double[rows];
        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY;
            boolean bad = false;
            for (int j = 0; j < k; j++) {
                float z = logits[r * k + j];
                bad |= Float.isNaN(z) || z == Float.POSITIVE_INFINITY;
                m = Math.max(m, z);
            }
            bad |= m == Double.NEGATIVE_INFINITY;
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += Math.exp(logits[r * k + j] - m);
            }
            double logS = Math.log(s);
            double l = 0;
            for (int j = 0; j < k; j++) {
                double t = targets[r * k + j];
                double p = bad ? Double.NaN : Math.exp(logits[r * k + j] - m) / s;
                probs[r * k + j] = p;
                grad[r * k + j] = p - t;
                if (t != 0) {
                    l -= t * (logits[r * k + j] - m - logS);
                }
            }
            loss[r] = bad ? Double.NaN : l;
        }
        return new double[][] {probs, grad, loss};
    }

    /** Row-wise argmax: first index of the largest non-NaN element, 0 for an all-NaN row. */
    public static int[] argmaxRows(float[] x, int rows, int cols) {
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = -1;
            float bestValue = 0;
            for (int j = 0; j < cols; j++) {
                float v = x[r * cols + j];
                if (!Float.isNaN(v) && (best < 0 || v > bestValue)) {
                    best = j;
                    bestValue = v;
                }
            }
            out[r] = Math.max(best, 0);
        }
        return out;
    }
}
