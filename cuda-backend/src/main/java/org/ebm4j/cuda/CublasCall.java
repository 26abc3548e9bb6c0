package org.ebm4j.cuda;

/**
 * One row-major product as cuBLAS's column-major {@code cublasSgemm} sees it. cuBLAS reads a
 * row-major {@code r x c} array as the column-major {@code c x r} array (its transpose) with
 * leading dimension {@code c}, so the row-major {@code C = op(A) op(B)} ({@code m x n}) is the
 * column-major {@code C^T = op(B)^T op(A)^T} ({@code n x m}, leading dimension {@code n}): the
 * operands swap places, each keeps its own transpose flag, and {@code m} and {@code n} swap.
 * Alpha and beta pass through unchanged. Both cuBLAS bindings (JCublas2 and FFM) take their
 * arguments from here, so the mapping is written (and tested against a plain GEMM) once.
 *
 * @param opFirst  {@code cublasOperation_t} of the first operand, which is {@code b}
 * @param opSecond {@code cublasOperation_t} of the second operand, which is {@code a}
 * @param m        cuBLAS's m: the rows of the column-major result, {@code n} of the row-major product
 * @param n        cuBLAS's n: {@code m} of the row-major product
 * @param k        the inner dimension
 * @param ldFirst  leading dimension of {@code b}: its stored row length
 * @param ldSecond leading dimension of {@code a}: its stored row length
 * @param ldc      leading dimension of {@code c}: the row-major product's {@code n}
 */
record CublasCall(int opFirst, int opSecond, int m, int n, int k, int ldFirst, int ldSecond, int ldc) {
    /** {@code CUBLAS_OP_N}: the operand as stored. */
    static final int OP_N = 0;
    /** {@code CUBLAS_OP_T}: the operand transposed. */
    static final int OP_T = 1;

    /**
     * The call for the row-major {@code c = alpha op(a) op(b) + beta c}, {@code op(a)} {@code m x k},
     * {@code op(b)} {@code k x n}; {@code a} is stored {@code m x k} ({@code k x m} when transposed), {@code b}
     * {@code k x n} ({@code n x k}).
     */
    static CublasCall of(boolean transA, boolean transB, int m, int n, int k) {
        int aCols = transA ? m : k;
        int bCols = transB ? k : n;
        return new CublasCall(transB ? OP_T : OP_N, transA ? OP_T : OP_N, n, m, k, bCols, aCols, n);
    }
}
