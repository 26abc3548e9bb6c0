package org.ebm4j.cuda;

/**
 * The ebm4j register-blocked SGEMM kernel (sgemm.cu: 64 x 64 tiles, 4 x 4 outputs per thread), used
 * when cuBLAS cannot be loaded or {@code -Debm.cuda.gemm=kernel} asks for it.
 */
final class KernelGemm implements DeviceGemm {
    /** The largest grid Y (and Z) dimension CUDA allows. */
    static final int MAX_GRID_Y = 65535;

    private final CudaContext context;
    private final String why;

    KernelGemm(CudaContext context, String why) {
        this.context = context;
        this.why = why;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, CudaTensor a, CudaTensor b,
                     float beta, CudaTensor c) {
        Kernel kernel = transA ? (transB ? Kernel.SGEMM_TT : Kernel.SGEMM_TN) : (transB ? Kernel.SGEMM_NT : Kernel.SGEMM_NN);
        int[] grid = grid(m, n);
        // Leading dimensions are the stored row lengths: a is m x k (k x m when transposed), b likewise.
        context.launch(kernel, grid[0], grid[1], Kernel.GEMM_THREADS, m, n, k, alpha, a, a.cols(), b, b.cols(), beta, c, n);
    }

    /**
     * The launch grid {@code {x, y}} of an {@code m x n} product: the m-tiles on X, whose limit
     * (2^31 - 1 blocks) no int-sized m reaches, and the n-tiles on Y up to its limit of
     * {@value #MAX_GRID_Y}, beyond which each block loops over several n-tiles (sgemm.cu).
     */
    static int[] grid(int m, int n) {
        int mTiles = (int) ((m + (long) Kernel.GEMM_TILE - 1) / Kernel.GEMM_TILE);
        int nTiles = (int) ((n + (long) Kernel.GEMM_TILE - 1) / Kernel.GEMM_TILE);
        return new int[] {mTiles, Math.min(nTiles, MAX_GRID_Y)};
    }

    @Override
    public String description() {
        return "ebm4j SGEMM kernel (" + why + ")";
    }

    @Override
    public void close() {
        // nothing of its own: the kernel lives in the context's PTX module
    }
}
