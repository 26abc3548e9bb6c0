package org.ebm4j.cuda;

/**
 * Row-major SGEMM on device tensors, {@code c = alpha * op(a) * op(b) + beta * c} with {@code op(a)}
 * {@code m x k}, {@code op(b)} {@code k x n}; arguments already checked by {@link CudaBackend}.
 * With {@code beta == 0}, {@code c} is not read.
 */
interface DeviceGemm extends AutoCloseable {

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, CudaTensor a, CudaTensor b, float beta,
              CudaTensor c);

    /** For {@code ebm info}: which implementation, and why. */
    String description();

    @Override
    void close();
}
