package org.ebm4j.cpu;

import static org.ebm4j.testing.Rejections.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.cpu.internal.gemm.NaiveSgemm;
import org.ebm4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** GEMM through the backend (whatever Sgemm it wires) and NaiveSgemm itself, against a double reference. */
class GemmTest extends OnEveryKernelSet {
    /** Two threads, so the backend's split of C between workers is exercised too. */
    @Override
    protected int threads() {
        return 2;
    }

    /** op(A)[i,p] * op(B)[p,j] summed in double; a stored as (transA ? k x m : m x k). */
    private static double[] reference(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                                      float[] b, float beta, float[] c) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * m + i] : a[i * k + p];
                    double bv = transB ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }
                out[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }

    @Test
    void allTransposeCasesWithAlphaAndBeta() {
        int[][] mnk = {{1, 1, 1}, {3, 7, 16}, {16, 33, 7}, {33, 1, 100}, {7, 100, 33}, {100, 16, 257}, {1, 257, 3},
            {257, 3, 1}};
        float[][] alphaBeta = {{1f, 0f}, {0.5f, 2f}, {-1.25f, 1f}};
        for (int[] d : mnk) {
            int m = d[0];
            int n = d[1];
            int k = d[2];
            float[] a = TestBackends.gaussian(m * k, 1, m * 31L + k);
            float[] bb = TestBackends.gaussian(k * n, 1, k * 31L + n);
            float[] c0 = TestBackends.gaussian(m * n, 1, m * 31L + n);
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (float[] ab : alphaBeta) {
                        double[] ref = reference(ta, tb, m, n, k, ab[0], a, bb, ab[1], c0);
                        for (CpuBackend b : backends) {
                            Tensor tA = ta ? b.fromArray(a, k, m) : b.fromArray(a, m, k);
                            Tensor tB = tb ? b.fromArray(bb, n, k) : b.fromArray(bb, k, n);
                            Tensor tC = b.fromArray(c0, m, n);
                            b.gemm(ta, tb, ab[0], tA, tB, ab[1], tC);
                            float[] got = tC.toArray();
                            for (int i = 0; i < got.length; i++) {
                                // float accumulation of k products: k roundings of the magnitudes
                                double tol = (k + 2) * 0x1p-24 * (Math.abs(ab[0]) * k * 4 + Math.abs(ab[1] * c0[i])) + 1e-6;
                                if (!(Math.abs(got[i] - ref[i]) <= tol)) {
                                    throw new AssertionError("gemm " + b.kernels().name() + " ta=" + ta + " tb=" + tb
                                            + " " + m + "x" + n + "x" + k + " alpha=" + ab[0] + " beta=" + ab[1] + " ["
                                            + i + "]: expected " + ref[i] + ", got " + got[i]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void betaZeroDoesNotReadC() {
        for (CpuBackend b : backends) {
            float[] nan = new float[12];
            java.util.Arrays.fill(nan, Float.NaN);
            Tensor c = b.fromArray(nan, 3, 4);
            b.gemm(false, false, 1f, b.fromArray(TestBackends.gaussian(6, 1, 1), 3, 2),
                    b.fromArray(TestBackends.gaussian(8, 1, 2), 2, 4), 0f, c);
            for (float v : c.toArray()) {
                assertTrue(Float.isFinite(v), "NaN in c must not propagate when beta == 0");
            }
            // with beta != 0 it does, as IEEE arithmetic says
            c.copyFrom(nan);
            b.gemm(false, false, 1f, b.fromArray(TestBackends.gaussian(6, 1, 1), 3, 2),
                    b.fromArray(TestBackends.gaussian(8, 1, 2), 2, 4), 1f, c);
            assertTrue(Float.isNaN(c.toArray()[5]));
        }
    }

    @Test
    void naiveSgemmHonoursLeadingDimensions() {
        // A is 2x3 stored with lda 5, B is 3x2 with ldb 4, C is 2x2 with ldc 3.
        float[] a = {1, 2, 3, -1, -1, 4, 5, 6, -1, -1};
        float[] b = {1, 0, -1, -1, 0, 1, -1, -1, 1, 1, -1, -1};
        float[] c = {9, 9, 7, 9, 9, 7};
        new NaiveSgemm().sgemm(false, false, 2, 2, 3, 1f, a, 5, b, 4, 0f, c, 3);
        assertArrayEquals(new float[] {4, 5, 7, 10, 11, 7}, c);
    }

    @Test
    void shapeMismatchNamesBothOperandsAndLeavesCUntouched() {
        for (CpuBackend b : backends) {
            Tensor a = b.allocate(3, 4);
            Tensor bt = b.allocate(5, 6);
            float[] before = TestBackends.gaussian(18, 1, 3);
            Tensor c = b.fromArray(before, 3, 6);
            assertRejected(() -> b.gemm(false, false, 1f, a, bt, 0f, c), "op(a) is 3x4", "op(b) is 5x6");
            assertRejected(() -> b.gemm(true, false, 1f, a, bt, 0f, c), "op(a) is 4x3 (a is 3x4, transposed)");
            Tensor b2 = b.allocate(4, 5);
            assertRejected(() -> b.gemm(false, false, 1f, a, b2, 0f, c), "c must be 3x5", "but is 3x6");
            assertArrayEquals(before, c.toArray(), "c untouched");
        }
    }

    @Test
    void cMustNotAliasAOrB() {
        for (CpuBackend b : backends) {
            Tensor sq = b.allocate(4, 4);
            Tensor other = b.allocate(4, 4);
            assertRejected(() -> b.gemm(false, false, 1f, sq, other, 0f, sq), "must not be the same tensor as a");
            assertRejected(() -> b.gemm(false, false, 1f, other, sq, 0f, sq), "as b");
        }
    }

    @Test
    void gemmNameIsReported() {
        for (CpuBackend b : backends) {
            assertEquals(true, b.describe().get("gemm") instanceof String);
        }
    }
}
