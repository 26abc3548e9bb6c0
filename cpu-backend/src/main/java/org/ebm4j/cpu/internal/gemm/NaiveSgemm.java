package org.ebm4j.cpu.internal.gemm;

/**
 * The plain reference GEMM: one dot product per element of C, accumulated in double, for all four
 * transpose cases. Slow (no blocking, strided reads) but obviously correct; the tuned kernels are
 * tested against it.
 */
public final class NaiveSgemm implements Sgemm {

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                      float[] b, int ldb, float beta, float[] c, int ldc) {
        // Element (i, p) of op(A) and (p, j) of op(B), as strides into the stored arrays.
        int aRow = transA ? 1 : lda;
        int aCol = transA ? lda : 1;
        int bRow = transB ? 1 : ldb;
        int bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                int ai = i * aRow;
                int bj = j * bCol;
                for (int p = 0; p < k; p++) {
                    s += (double) a[ai + p * aCol] * b[p * bRow + bj];
                }
                int ci = i * ldc + j;
                float product = (float) (alpha * s);
                c[ci] = beta == 0f ? product : product + beta * c[ci];
            }
        }
    }

    @Override
    public String name() {
        return "naive";
    }
}
