package org.ebm4j.cuda;

/**
 * What the two cuBLAS bindings (JCublas2, FFM) share: the row-major product turned into one
 * column-major {@code cublasSgemm_v2} call by {@link CublasCall}, its status checked by
 * {@link CublasStatus}, and the description {@code ebm info} shows. A binding supplies only the call.
 */
abstract class CublasSgemm implements DeviceGemm {
    private final String description;

    /** @param description e.g. "cuBLAS 13.1.0 via FFM (libcublas.so.13), FP32" */
    CublasSgemm(String description) {
        this.description = description;
    }

    @Override
    public final void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, CudaTensor a, CudaTensor b,
                           float beta, CudaTensor c) {
        CublasStatus.check(sgemm(CublasCall.of(transA, transB, m, n, k), alpha, b, a, beta, c),
                "cublasSgemm_v2(" + m + "x" + n + "x" + k + ")");
    }

    /**
     * One {@code cublasSgemm_v2} with {@code call}'s operations, sizes and leading dimensions, host
     * scalars {@code alpha} and {@code beta}; returns its status.
     *
     * @param first  the first operand, which is the row-major product's {@code b}
     * @param second the second operand, the row-major product's {@code a}
     */
    abstract int sgemm(CublasCall call, float alpha, CudaTensor first, CudaTensor second, float beta, CudaTensor c);

    @Override
    public final String description() {
        return description;
    }
}
