package org.ebm4j.cpu.internal.gemm;

/**
 * Single-precision GEMM on row-major Java arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C} with {@code op(A)} {@code m x k}, {@code op(B)}
 * {@code k x n}, {@code C} {@code m x n}. Leading dimensions are row strides of the arrays as
 * stored: A is {@code m x k} (lda >= k) when not transposed and {@code k x m} (lda >= m) when
 * transposed; likewise B. With {@code beta == 0}, C is not read. Arguments are validated by the
 * caller (CpuBackend); implementations may assume them consistent.
 */
public interface Sgemm {

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc);

    /** A short name for reports: "vector" or "scalar". */
    String name();
}
