package org.ebm4j.cuda;

import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;

/**
 * The ebm4j SGEMM kernels, used when cuBLAS cannot be loaded or {@code -Debm.cuda.gemm=kernel} asks
 * for them: v1 (sgemm.cu: 64 x 64 tiles, 4 x 4 outputs per thread) for products too small to fill
 * the device with larger tiles, v2 (sgemm2.cu: 128 x 128 tiles, 8 x 8 outputs per thread, vector
 * shared-memory reads) for large ones, and v2 with k split into slices, summed in a fixed order by
 * a second kernel, for deep products with few outputs (the RBM's weight gradient at large batches).
 * {@link #plan} decides, from the shape and the device's multiprocessor count only, so a given
 * product on a given device always runs the same way and gives the same bits.
 */
final class KernelGemm implements DeviceGemm {
    /** The largest grid Y (and Z) dimension CUDA allows. */
    static final int MAX_GRID_Y = 65535;
    /** Split k only when it is at least this deep: shallower products gain less than the extra pass costs. */
    static final int SPLIT_MIN_DEPTH = 4096;
    /** Each k-slice at least this deep. */
    static final int SPLIT_MIN_SLICE = 1024;
    static final int MAX_SLICES = 16;

    private final CudaContext context;
    private final String why;
    private final boolean v2;
    private final DeviceBuffer partials = new DeviceBuffer("split-K partial products");

    /**
     * @param why   for {@link #description()}: why the own kernels run
     * @param v2    whether v2 and split-K may be chosen (false: v1 for every shape, for comparisons)
     */
    KernelGemm(CudaContext context, String why, boolean v2) {
        this.context = context;
        this.why = why;
        this.v2 = v2;
    }

    /** How one product runs: which kernel, the grid, and the k-slices (1: no split). */
    record Plan(boolean v2, int gridX, int gridY, int slices, int sliceDepth) {
    }

    /**
     * The plan for an {@code m x n x k} product on a device of {@code multiprocessors} SMs: v2 when its
     * 128 x 128 tiles alone give every SM a block; else, for k of at least {@value #SPLIT_MIN_DEPTH},
     * v2 with k split into enough slices (of at least {@value #SPLIT_MIN_SLICE}, at most
     * {@value #MAX_SLICES}) to give the SMs two blocks each; else v1, whose 64 x 64 tiles make four
     * times as many blocks. M-tiles go on grid X (up to 2^31 - 1 blocks, more than any int m needs),
     * n-tiles on grid Y up to {@value #MAX_GRID_Y}, beyond which blocks loop over n-tiles.
     */
    static Plan plan(int m, int n, int k, int multiprocessors, boolean allowV2) {
        long tiles2 = tiles(m, Kernel.GEMM2_TILE) * tiles(n, Kernel.GEMM2_TILE);
        if (allowV2 && tiles2 >= multiprocessors) {
            return new Plan(true, (int) tiles(m, Kernel.GEMM2_TILE), yGrid(n, Kernel.GEMM2_TILE), 1, k);
        }
        if (allowV2 && k >= SPLIT_MIN_DEPTH) {
            long wanted = (2L * multiprocessors + tiles2 - 1) / tiles2;
            int slices = (int) Math.max(2, Math.min(Math.min(wanted, k / SPLIT_MIN_SLICE), MAX_SLICES));
            int depth = (int) ((k + (long) slices - 1) / slices);
            depth = (depth + Kernel.GEMM2_DEPTH - 1) / Kernel.GEMM2_DEPTH * Kernel.GEMM2_DEPTH;
            slices = (int) ((k + (long) depth - 1) / depth);
            return new Plan(true, (int) tiles(m, Kernel.GEMM2_TILE), yGrid(n, Kernel.GEMM2_TILE), slices, depth);
        }
        return new Plan(false, (int) tiles(m, Kernel.GEMM_TILE), yGrid(n, Kernel.GEMM_TILE), 1, k);
    }

    private static long tiles(int size, int tile) {
        return (size + (long) tile - 1) / tile;
    }

    private static int yGrid(int n, int tile) {
        return (int) Math.min(tiles(n, tile), MAX_GRID_Y);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, CudaTensor a, CudaTensor b,
                     float beta, CudaTensor c) {
        Plan p = plan(m, n, k, context.info().multiprocessors(), v2);
        // Leading dimensions are the stored row lengths: a is m x k (k x m when transposed), b likewise.
        if (!p.v2()) {
            Kernel kernel = transA ? (transB ? Kernel.SGEMM_TT : Kernel.SGEMM_TN) : (transB ? Kernel.SGEMM_NT : Kernel.SGEMM_NN);
            context.launch(kernel, p.gridX(), p.gridY(), Kernel.GEMM_THREADS, m, n, k, alpha, a, a.cols(), b, b.cols(), beta, c, n);
            return;
        }
        Kernel kernel = transA ? (transB ? Kernel.SGEMM2_TT : Kernel.SGEMM2_TN) : (transB ? Kernel.SGEMM2_NT : Kernel.SGEMM2_NN);
        CUdeviceptr partial = p.slices() > 1 ? partials.ensure((long) p.slices() * m * n * Sizeof.FLOAT) : null;
        context.launch3d(kernel, p.gridX(), p.gridY(), p.slices(), Kernel.GEMM2_THREADS, m, n, k, alpha, a, a.cols(), b,
                b.cols(), beta, c, n, p.sliceDepth(), partial);
        if (partial != null) {
            long outputs = (long) m * n;
            int blocks = (int) Math.min((outputs + Kernel.GEMM_THREADS - 1) / Kernel.GEMM_THREADS, MAX_GRID_Y);
            context.launch(Kernel.SGEMM_SPLITK_REDUCE, blocks, 1, Kernel.GEMM_THREADS, m, n, p.slices(), partial, alpha, beta, c, n);
        }
    }

    /**
     * The sigmoid-Bernoulli epilogue kernel for an {@code m x n x k} product {@code a op(b)}, or null
     * when the product must run as GEMM then sample: only a v2 plan with one k-slice has the epilogue
     * (a split product is summed by a second kernel, and v1 has none), so the fused call runs exactly
     * the tiles and the accumulation order the plain GEMM would and gives the same bits.
     */
    static Kernel sigmoidBernoulliKernel(int m, int n, int k, int multiprocessors, boolean allowV2, boolean transB) {
        Plan p = plan(m, n, k, multiprocessors, allowV2);
        if (!p.v2() || p.slices() != 1) {
            return null;
        }
        return transB ? Kernel.SGEMM2_NT_SIGMOID_BERNOULLI : Kernel.SGEMM2_NN_SIGMOID_BERNOULLI;
    }

    /**
     * The epilogue kernel's arguments in its parameter order: the sizes, {@code a} and {@code b} with
     * their stored row lengths as leading dimensions, the optional {@code bias}, {@code probs} (never
     * null), the optional {@code samples}, and the stream position.
     */
    static Object[] sigmoidBernoulliArguments(int m, int n, int k, Object a, int lda, Object b, int ldb, Object bias,
                                              Object probs, Object samples, long seed, int streamId, long draw) {
        return new Object[] {m, n, k, a, lda, b, ldb, bias, probs, samples, seed, streamId, draw};
    }

    /**
     * {@code probs = sigmoid(a op(b) + bias)} and, when {@code samples} is not null, its Bernoulli
     * samples at the stream position, in one launch, when {@link #sigmoidBernoulliKernel} has a kernel
     * for the shape; returns false, having launched nothing, when it has none.
     */
    boolean sigmoidBernoulli(boolean transB, int m, int n, int k, CudaTensor a, CudaTensor b, CudaTensor bias,
                             CudaTensor probs, CudaTensor samples, long seed, int streamId, long draw) {
        Kernel kernel = sigmoidBernoulliKernel(m, n, k, context.info().multiprocessors(), v2, transB);
        if (kernel == null) {
            return false;
        }
        Plan p = plan(m, n, k, context.info().multiprocessors(), v2);
        context.launch(kernel, p.gridX(), p.gridY(), Kernel.GEMM2_THREADS, sigmoidBernoulliArguments(m, n, k, a,
                a.cols(), b, b.cols(), bias, probs, samples, seed, streamId, draw));
        return true;
    }

    @Override
    public String description() {
        return description(v2, why);
    }

    /** e.g. "own SGEMM v2 (...): cuBLAS via FFM: libcublas.so.13 and libcublas.so.12 not found ...". */
    static String description(boolean v2, String why) {
        return (v2 ? "own SGEMM v2 (128x128 tiles, split-K for deep products, v1 64x64 for small ones): "
                : "own SGEMM v1 (64x64 tiles): ") + why;
    }

    @Override
    public void close() {
        partials.close();
    }
}
