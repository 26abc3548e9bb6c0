package org.ebm4j.cpu;

import static org.ebm4j.cpu.TestBackends.EPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceOps;
import org.junit.jupiter.api.Test;

/**
 * Reductions on every kernel set against double-precision references. Tolerances scale with the
 * sum of the magnitudes of the terms (the error bound of float accumulation in blocks), plus a
 * per-term allowance where a term itself is a float transcendental (softplus).
 */
class ReductionParityTest extends OnEveryKernelSet {
    /**
     * Bound for a float-accumulated sum: the vector set adds at most a few hundred terms per float
     * accumulator before moving to double, so 512 roundings of the absolute sum is generous yet
     * still catches any wrong term (terms here are O(1) and sums O(n)).
     */
    private static void nearSum(double ref, double got, double absSum, String what) {
        double tol = 512 * EPS * absSum + 1e-30;
        assertTrue(Math.abs(got - ref) <= tol, what + ": expected " + ref + ", got " + got + " (tolerance " + tol + ")");
    }

    @Test
    void sumAndDot() {
        int[] lengths = {1, 3, 7, 16, 33, 100, 257, 784, 1000, 16384, 16385, 100_000, 784_000};
        for (int n : lengths) {
            float[] a = TestBackends.gaussian(n, 1, n);
            float[] bb = TestBackends.uniform(n, -2, 3, n + 5);
            double refSum = 0;
            double absSum = 0;
            double refDot = 0;
            double absDot = 0;
            for (int i = 0; i < n; i++) {
                refSum += a[i];
                absSum += Math.abs(a[i]);
                refDot += (double) a[i] * bb[i];
                absDot += Math.abs((double) a[i] * bb[i]);
            }
            for (CpuBackend b : backends) {
                Tensor ta = b.fromArray(a, 1, n);
                Tensor tb = b.fromArray(bb, 1, n);
                nearSum(refSum, b.sum(ta), absSum, "sum " + b.kernels().name() + " n=" + n);
                nearSum(refDot, b.dot(ta, tb), absDot, "dot " + b.kernels().name() + " n=" + n);
                if (n % 4 == 0) {
                    Tensor ta2 = b.fromArray(a, 4, n / 4);
                    Tensor tb2 = b.fromArray(bb, 4, n / 4);
                    assertEquals(b.sum(ta), b.sum(ta2), "sum depends only on the elements, not the shape");
                    assertEquals(b.dot(ta, tb), b.dot(ta2, tb2));
                }
            }
        }
    }

    @Test
    void sumAndDotAreExactWhereDoubleIs() {
        for (CpuBackend b : backends) {
            for (int n : new int[] {33, 1000, 5000, 40_000}) {
                float[] x = new float[n];
                java.util.Arrays.fill(x, 1f);
                x[n / 2] = 0x1p30f;
                assertEquals(0x1p30 + (n - 1), b.sum(b.fromArray(x, 1, n)), 0.0, b.kernels().name() + " n=" + n);
                float[] ones = new float[n];
                java.util.Arrays.fill(ones, 1f);
                assertEquals(0x1p30 + (n - 1), b.dot(b.fromArray(x, 1, n), b.fromArray(ones, 1, n)), 0.0);
            }
        }
    }

    @Test
    void sumPropagatesNaNAndInfinity() {
        for (CpuBackend b : backends) {
            float[] a = TestBackends.gaussian(1000, 1, 9);
            a[500] = Float.NaN;
            assertTrue(Double.isNaN(b.sum(b.fromArray(a, 10, 100))));
            a[500] = Float.POSITIVE_INFINITY;
            assertEquals(Double.POSITIVE_INFINITY, b.sum(b.fromArray(a, 10, 100)));
        }
    }

    @EveryShape
    void columnSumsWithAlphaBeta(int rows, int cols) {
        float alpha = 0.5f;
        float beta = -2f;
        float[] x = TestBackends.gaussian(rows * cols, 1, rows * 101L + cols);
        float[] prior = TestBackends.gaussian(cols, 1, cols * 3L);
        double[] sum = ReferenceOps.columnSums(x, rows, cols, 1, 0, null);
        double[] abs = ReferenceOps.columnSums(ReferenceOps.abs(x), rows, cols, 1, 0, null);
        for (CpuBackend b : backends) {
            Tensor tx = b.fromArray(x, rows, cols);
            Tensor out = b.fromArray(prior, 1, cols);
            b.columnSums(tx, alpha, beta, out);
            float[] got = out.toArray();
            float[] nanOut = new float[cols];
            java.util.Arrays.fill(nanOut, Float.NaN);
            Tensor out0 = b.fromArray(nanOut, 1, cols);
            b.columnSums(tx, 1f, 0f, out0);
            float[] plain = out0.toArray();
            for (int j = 0; j < cols; j++) {
                String w = TestBackends.label(b, rows, cols) + " col " + j;
                // columns are summed in double: only the final float rounding remains
                nearSum(alpha * sum[j] + beta * prior[j], got[j], alpha * abs[j] + Math.abs(beta * prior[j]),
                        "columnSums " + w);
                assertEquals((float) sum[j], plain[j], 2 * EPS * abs[j], "columnSums beta=0 ignores NaN in out: " + w);
            }
        }
    }

    @EveryShape
    void rowSums(int rows, int cols) {
        float[] x = TestBackends.gaussian(rows * cols, 1, rows * 7L + cols);
        double[] sum = ReferenceOps.rowSums(x, rows, cols);
        double[] abs = ReferenceOps.rowSums(ReferenceOps.abs(x), rows, cols);
        for (CpuBackend b : backends) {
            Tensor out = b.allocate(rows, 1);
            b.rowSums(b.fromArray(x, rows, cols), out);
            float[] got = out.toArray();
            for (int r = 0; r < rows; r++) {
                nearSum(sum[r], got[r], abs[r] + Math.abs(sum[r]),
                        "rowSums " + TestBackends.label(b, rows, cols) + " row " + r);
            }
        }
    }

    @EveryShape
    void rowSquaredNormsWithAndWithoutWeights(int rows, int cols) {
        float[] x = TestBackends.gaussian(rows * cols, 2, rows * 13L + cols);
        float[] w = TestBackends.uniform(cols, 0.1, 3, cols * 13L);
        double[] sum = ReferenceOps.rowSquaredNorms(x, rows, cols, null);
        double[] sumW = ReferenceOps.rowSquaredNorms(x, rows, cols, w);
        for (CpuBackend b : backends) {
            Tensor tx = b.fromArray(x, rows, cols);
            Tensor out = b.allocate(rows, 1);
            Tensor outW = b.allocate(rows, 1);
            b.rowSquaredNorms(tx, null, out);
            b.rowSquaredNorms(tx, b.fromArray(w, 1, cols), outW);
            float[] got = out.toArray();
            float[] gotW = outW.toArray();
            for (int r = 0; r < rows; r++) {
                String at = TestBackends.label(b, rows, cols) + " row " + r;
                nearSum(sum[r], got[r], sum[r], "rowSquaredNorms " + at);
                nearSum(sumW[r], gotW[r], sumW[r], "rowSquaredNorms weighted " + at);
            }
        }
    }

    @EveryShape
    void softplusRowSums(int rows, int cols) {
        float[] scales = {1f, 0.37f};
        float[] x = TestBackends.gaussian(rows * cols, 6, rows * 17L + cols);
        float[] bias = TestBackends.gaussian(cols, 2, cols * 17L);
        for (float scale : scales) {
            for (CpuBackend b : backends) {
                Tensor tx = b.fromArray(x, rows, cols);
                Tensor out = b.allocate(rows, 1);
                Tensor outNoBias = b.allocate(rows, 1);
                b.softplusRowSums(tx, b.fromArray(bias, 1, cols), scale, out);
                b.softplusRowSums(tx, null, scale, outNoBias);
                float[] got = out.toArray();
                float[] gotNoBias = outNoBias.toArray();
                for (int r = 0; r < rows; r++) {
                    double sum = 0;
                    double sumNoBias = 0;
                    for (int j = 0; j < cols; j++) {
                        float z = scale * (x[r * cols + j] + bias[j]);
                        sum += softplus(z);
                        sumNoBias += softplus(scale * x[r * cols + j]);
                    }
                    String at = TestBackends.label(b, rows, cols) + " scale " + scale + " row " + r;
                    // each term may be off by a few float roundings of itself (own log1p/exp)
                    nearSum(sum, got[r], sum + 8.0 * cols / 512, "softplusRowSums " + at);
                    nearSum(sumNoBias, gotNoBias[r], sumNoBias + 8.0 * cols / 512, "softplusRowSums no bias " + at);
                }
            }
        }
    }

    @Test
    void softplusExtremesAndNaN() {
        float[] x = {100f, -100f, 0f, 1e-7f, -1e-7f, 30f, -30f, 88.7f, -88.7f, Float.NEGATIVE_INFINITY};
        for (CpuBackend b : backends) {
            Tensor out = b.allocate(x.length, 1);
            b.softplusRowSums(b.fromArray(x, x.length, 1), null, 1f, out);
            float[] got = out.toArray();
            for (int i = 0; i < x.length; i++) {
                double ref = softplus(x[i]);
                assertEquals(ref, got[i], 8 * EPS * ref + 1e-37, b.kernels().name() + " softplus(" + x[i] + ")");
            }
            float[] y = {1f, Float.NaN, 2f};
            b.softplusRowSums(b.fromArray(y, 1, 3), null, 1f, out = b.allocate(1, 1));
            assertTrue(Float.isNaN(out.toArray()[0]), "NaN propagates");
            y[1] = Float.POSITIVE_INFINITY;
            b.softplusRowSums(b.fromArray(y, 1, 3), null, 1f, out);
            assertEquals(Float.POSITIVE_INFINITY, out.toArray()[0], "+inf gives +inf");
        }
    }

    /** Reference softplus, double. */
    static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
}
