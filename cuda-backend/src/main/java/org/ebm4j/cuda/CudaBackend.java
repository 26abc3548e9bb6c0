package org.ebm4j.cuda;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.CheckedBackend;
import org.ebm4j.tensor.CheckedSampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.spi.Switches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CUDA backend: tensors in device memory, every operation a kernel of the {@code ebm4j-kernels}
 * PTX (GEMM through cuBLAS when it loads), every random draw from Philox inside the kernels with
 * the stream position passed as kernel arguments. Nothing returns to the host except what a method
 * returns ({@link #sum}, {@link #dot}) and explicit copies, so training state stays on the device.
 *
 * <p>The checks of every operation are {@link CheckedBackend}'s; the methods here launch the kernels,
 * and {@link CudaSampler} the random ones. Kernels run asynchronously on the backend's own
 * non-blocking stream in call order; a failure inside a kernel surfaces at the next synchronizing
 * call (a copy to the host, {@link #sum}, {@link #close}), or at the launch itself with
 * {@code -Debm.cuda.sync=true}. Tensors still open when the backend closes are freed then.
 */
public final class CudaBackend extends CheckedBackend<CudaTensor> {
    /** {@code -Debm.cuda.gemm=auto|cublas|kernel}: which GEMM to use (auto: cuBLAS when it loads). */
    public static final String GEMM_PROPERTY = GemmSelection.GEMM_PROPERTY;
    /** {@code -Debm.cuda.tf32=true}: let cuBLAS use TF32 tensor cores for FP32 GEMM (default false: FP32). */
    public static final String TF32_PROPERTY = GemmSelection.TF32_PROPERTY;

    private static final Logger LOG = LoggerFactory.getLogger(CudaBackend.class);
    private static final int BLOCK = 256;
    private static final int MAX_GRID = 65535;
    private static final int SUM_BLOCKS = 1024;

    private final CudaContext context;
    private final DeviceGemm gemm;
    private final DeviceBuffer partials = new DeviceBuffer("reduction partial sums");
    private final DeviceBuffer scratch = new DeviceBuffer("per-chain scratch");
    private final DeviceBuffer indices = new DeviceBuffer("row index");
    private final double[] hostResult = new double[1];
    private final OpenAllocations<CudaTensor> openTensors = new OpenAllocations<>();

    /** Opens device {@code ordinal} in a context of its own. */
    CudaBackend(int ordinal) {
        this(new CudaContext(ordinal));
    }

    /** A backend on {@code context}, which it owns from now on (the provider passes the probe's). */
    CudaBackend(CudaContext context) {
        super(CudaTensor.class);
        this.context = context;
        DeviceGemm g;
        try {
            g = chooseGemm(context);
        } catch (RuntimeException | LinkageError e) {
            context.close();
            throw e;
        }
        gemm = g;
        LOG.info("CUDA backend on device {}, {} (compute {}, driver CUDA {}); GEMM: {}; kernels: {}", context.ordinal(),
                context.info().name(), context.info().computeCapability(), context.info().driverVersion(),
                gemm.description(), context.startup().kernelBinaries());
    }

    /** cuBLAS through FFM, else through JCublas2, else the own kernels: {@link GemmSelection}. */
    private static DeviceGemm chooseGemm(CudaContext context) {
        return chooseGemm(context, GemmSelection.wanted(System.getProperty(GEMM_PROPERTY)),
                Switches.flag(TF32_PROPERTY, false));
    }

    /** The GEMM {@code want} (auto, cublas or kernel) selects on {@code context}; also for timing each one. */
    static DeviceGemm chooseGemm(CudaContext context, String want, boolean tf32) {
        return GemmSelection.<DeviceGemm>choose(want, List.of(() -> CublasFfm.tryCreate(context, tf32),
                () -> CublasGemm.tryCreate(context, tf32)), why -> new KernelGemm(context, why, true));
    }

    CudaContext context() {
        return context;
    }

    /** Device scratch of one float per chain, for {@link CudaSampler#doUpdateUnit}. */
    DeviceBuffer scratch() {
        return scratch;
    }

    /** The context, after checking that this backend is still open (a tensor's copies call this). */
    CudaContext requireOpen() {
        checkOpen();
        return context;
    }

    void tensorOpened(CudaTensor t) {
        openTensors.add(t);
    }

    /** Frees {@code t}'s device memory unless the backend's close already did. */
    void releaseTensor(CudaTensor t) {
        if (openTensors.remove(t)) {
            context.makeCurrent();
            t.free();
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Map<String, Object> describe() {
        checkOpen();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", "cuda");
        m.put("deviceOrdinal", context.ordinal());
        DeviceInfo device = context.info();
        m.put("device", device.name());
        m.put("computeCapability", device.computeCapability());
        m.put("driverCudaVersion", device.driverVersion());
        m.put("deviceMemoryMiB", device.totalMemory() >> 20);
        m.put("gemm", gemm.description());
        m.put("kernels", context.startup().kernelBinaries());
        m.put("syncLaunches", context.syncLaunches());
        m.put("graphs", context.steps().describe());
        m.put("random", "Philox4x32-10 inside the kernels (no cuRAND: JCurand 11.8.0 cannot load beside JCuda 12.6)");
        m.put("openTensors", openTensors.size());
        return m;
    }

    @Override
    protected CheckedSampler<CudaTensor> newSampler() {
        return new CudaSampler(this);
    }

    // ---- launch shapes --------------------------------------------------------------------------

    /** Binds the device context to the calling thread: operations may come from different threads, one at a time. */
    @Override
    protected void beforeOperation() {
        context.makeCurrent();
    }

    /** Blocks of {@value #BLOCK} threads for {@code items} work items (grid-stride loops cover the rest). */
    private static int grid(long items) {
        return (int) Math.max(1, Math.min((items + BLOCK - 1) / BLOCK, MAX_GRID));
    }

    void launch(Kernel k, long items, Object... args) {
        context.launch(k, grid(items), 1, BLOCK, args);
    }

    // ---- allocation and data movement -------------------------------------------------------

    @Override
    protected CudaTensor doAllocate(int rows, int cols) {
        return new CudaTensor(this, rows, cols);
    }

    @Override
    protected void doCopy(CudaTensor src, CudaTensor dst) {
        launch(Kernel.COPY_VALUES, src.size(), src, dst, src.size());
    }

    @Override
    protected void doFill(CudaTensor x, float value) {
        launch(Kernel.FILL_VALUE, x.size(), x, x.size(), value);
    }

    @Override
    protected void doGatherRows(CudaTensor src, int[] rowIndices, int offset, CudaTensor dst) {
        int rows = dst.rows();
        CUdeviceptr idx = indices.ensure((long) rows * Sizeof.INT);
        context.hostWork("cuMemcpyHtoDAsync of row indices");
        context.check(JCudaDriver.cuMemcpyHtoDAsync(idx, Pointer.to(rowIndices).withByteOffset((long) offset * Sizeof.INT),
                (long) rows * Sizeof.INT, context.stream()), "cuMemcpyHtoDAsync(" + rows + " row indices)");
        launch(Kernel.GATHER_ROWS, dst.size(), src, idx, dst, rows, dst.cols());
    }

    // ---- linear algebra ---------------------------------------------------------------------

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, CudaTensor a, CudaTensor b,
                          float beta, CudaTensor c) {
        if (gemm instanceof KernelGemm) {
            gemm.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);  // own launches: a step graph sees each
        } else {
            context.steps().opaque(new GemmCall(transA, transB, m, n, k, alpha, a, b, beta, c),
                    () -> gemm.gemm(transA, transB, m, n, k, alpha, a, b, beta, c));
        }
    }

    /** A cuBLAS call as a captured step compares it: equal arguments, the same tensors. */
    /** The own SGEMM kernels when they are the selected GEMM (for fused epilogues), else null. */
    KernelGemm ownGemm() {
        return gemm instanceof KernelGemm ? (KernelGemm) gemm : null;
    }

    private record GemmCall(boolean transA, boolean transB, int m, int n, int k, float alpha, CudaTensor a, CudaTensor b,
                            float beta, CudaTensor c) {
    }

    /**
     * Runs one training step; with graphs on (the default where {@link GraphChain} can list a graph's
     * nodes; {@code -Debm.cuda.graphs=false} turns them off) the step is captured as a CUDA graph and
     * later steps that differ only in value arguments replay it ({@link StepGraph}).
     */
    @Override
    public void runStep(Runnable step) {
        checkOpen();
        beforeOperation();
        context.steps().run(step);
    }

    // ---- elementwise and broadcast ----------------------------------------------------------

    @Override
    protected void doAddRowVector(CudaTensor x, CudaTensor row, float alpha, CudaTensor out) {
        launch(Kernel.ADD_ROW_VECTOR, x.size(), x, row, alpha, out, x.rows(), x.cols());
    }

    @Override
    protected void doElementwise(Elementwise op, CudaTensor a, CudaTensor b, CudaTensor out) {
        Kernel k = switch (op) {
            case ADD -> Kernel.ADD_VALUES;
            case SUB -> Kernel.SUB_VALUES;
            case MUL -> Kernel.MUL_VALUES;
        };
        launch(k, a.size(), a, b, out, a.size());
    }

    @Override
    protected void doScale(float alpha, CudaTensor x, CudaTensor out) {
        launch(Kernel.SCALE_VALUES, x.size(), alpha, x, out, x.size());
    }

    @Override
    protected void doAxpy(float alpha, CudaTensor x, CudaTensor y) {
        launch(Kernel.AXPY_VALUES, x.size(), alpha, x, y, x.size());
    }

    @Override
    protected void doSigmoid(CudaTensor x, CudaTensor bias, CudaTensor out) {
        launch(Kernel.SIGMOID_BIAS, x.size(), x, bias, out, x.rows(), x.cols());
    }

    /**
     * One kernel launch: {@code z = x + bias} and the requested outputs computed on the device in
     * float (no host round trip, so an energy network's forward and backward passes keep the
     * training state on the device).
     */
    @Override
    protected void doActivation(Activation f, CudaTensor x, CudaTensor bias, CudaTensor value, CudaTensor derivative) {
        launch(Kernel.ACTIVATION, x.size(), x, bias, value, derivative, activationCode(f), x.rows(), x.cols());
    }

    /** The kernel's function code (EBM_ACTIVATION_* in elementwise.cu). */
    static int activationCode(Activation f) {
        return switch (f) {
            case SOFTPLUS -> 0;
            case LOG1P_SQUARE -> 1;
        };
    }

    @Override
    protected void doThreshold(CudaTensor x, float t, float below, float atOrAbove, CudaTensor out) {
        launch(Kernel.THRESHOLD_VALUES, x.size(), x, t, below, atOrAbove, out, x.size());
    }

    // ---- reductions -------------------------------------------------------------------------

    @Override
    protected void doColumnSums(CudaTensor x, float alpha, float beta, CudaTensor out) {
        int cols = x.cols();
        int chunks = columnChunks(x);
        CUdeviceptr partial = partials.ensure((long) chunks * cols * Sizeof.DOUBLE);
        columnSumsPartial(x, partial);
        launch(Kernel.COLUMN_SUMS_FINISH, cols, partial, chunks, cols, alpha, beta, out);
    }

    /** Rows per chunk of a column sum of {@code x}: enough chunks to give the device ~64K threads, each at least 16 rows. */
    private static int columnRowsPerChunk(CudaTensor x) {
        int rows = x.rows();
        int cols = x.cols();
        int chunks = (int) Math.max(1, Math.min(Math.min((65536L + cols - 1) / cols, (rows + 15L) / 16), 4096));
        return (rows + chunks - 1) / chunks;
    }

    private static int columnChunks(CudaTensor x) {
        int rowsPerChunk = columnRowsPerChunk(x);
        return (x.rows() + rowsPerChunk - 1) / rowsPerChunk;
    }

    /** The per-chunk column sums of {@code x} ({@link #columnChunks} rows of {@code x.cols()} doubles) into {@code partial}. */
    private void columnSumsPartial(CudaTensor x, CUdeviceptr partial) {
        context.launch(Kernel.COLUMN_SUMS_PARTIAL, (x.cols() + BLOCK - 1) / BLOCK, columnChunks(x), BLOCK, x, x.rows(),
                x.cols(), columnRowsPerChunk(x), partial);
    }

    /** One block of {@link Kernel#REDUCE_THREADS} threads per row of {@code x} (grid-stride beyond {@value #MAX_GRID}). */
    private void rowReduce(Kernel k, CudaTensor x, Object... args) {
        context.launch(k, Math.min(x.rows(), MAX_GRID), 1, Kernel.REDUCE_THREADS, args);
    }

    @Override
    protected void doRowSums(CudaTensor x, CudaTensor out) {
        rowReduce(Kernel.ROW_SUMS, x, x, x.rows(), x.cols(), out);
    }

    @Override
    protected void doSoftplusRowSums(CudaTensor x, CudaTensor bias, float scale, CudaTensor out) {
        rowReduce(Kernel.SOFTPLUS_ROW_SUMS, x, x, bias, scale, x.rows(), x.cols(), out);
    }

    @Override
    protected void doSoftmaxCrossEntropy(CudaTensor logits, CudaTensor targets, CudaTensor probs, CudaTensor gradOut,
                                         CudaTensor lossPerRow) {
        launch(Kernel.SOFTMAX_CROSS_ENTROPY, logits.rows(), logits, targets, probs, gradOut, lossPerRow, logits.rows(),
                logits.cols());
    }

    @Override
    protected void doArgmaxRows(CudaTensor x, CudaTensor out) {
        launch(Kernel.ARGMAX_ROWS, x.rows(), x, x.rows(), x.cols(), out);
    }

    @Override
    protected void doRowSquaredNorms(CudaTensor x, CudaTensor weights, CudaTensor out) {
        rowReduce(Kernel.ROW_SQUARED_NORMS, x, x, weights, x.rows(), x.cols(), out);
    }

    @Override
    protected double doSum(CudaTensor x) {
        return reduceAll(x, null);
    }

    @Override
    protected double doDot(CudaTensor a, CudaTensor b) {
        return reduceAll(a, b);
    }

    private double reduceAll(CudaTensor a, CudaTensor b) {
        int n = a.size();
        int blocks = sumBlocks(n);
        // blocks partial sums, then the total in the slot after them.
        CUdeviceptr partial = partials.ensure((long) (blocks + 1) * Sizeof.DOUBLE);
        CUdeviceptr result = partial.withByteOffset((long) blocks * Sizeof.DOUBLE);
        context.launch(Kernel.SUM_PARTIAL, blocks, 1, Kernel.REDUCE_THREADS, a, b, n, partial);
        context.launch(Kernel.SUM_FINISH, 1, 1, Kernel.REDUCE_THREADS, partial, blocks, result);
        context.hostWork(b == null ? "sum" : "dot");
        context.check(JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(hostResult), result, Sizeof.DOUBLE, context.stream()),
                "cuMemcpyDtoHAsync(the result of a " + (b == null ? "sum" : "dot") + " over " + n + " elements)");
        context.synchronize(b == null ? "sum" : "dot");
        return hostResult[0];
    }

    private static int sumBlocks(int n) {
        return (int) Math.min(SUM_BLOCKS, (n + Kernel.REDUCE_THREADS - 1L) / Kernel.REDUCE_THREADS);
    }

    // ---- the training loop's device-side steps (no host round trip per minibatch) ---------------

    /** At most this many data plus model rows: the bias step sums its columns itself, in one launch. */
    static final int BIAS_STEP_DIRECT_ROWS = 2048;

    @Override
    protected void doGatherOrderedRows(CudaTensor src, CudaTensor order, int offset, CudaTensor dst) {
        launch(Kernel.GATHER_ORDERED_ROWS, dst.size(), src, order, offset, dst, dst.rows(), dst.cols(), src.rows());
    }

    /** The partial sums and their total as {@link #sum} takes them, the total rounded into its slot on the device. */
    @Override
    protected void doSumInto(CudaTensor a, CudaTensor b, CudaTensor sums, int slot) {
        int n = a.size();
        int blocks = sumBlocks(n);
        CUdeviceptr partial = partials.ensure((long) blocks * Sizeof.DOUBLE);
        context.launch(Kernel.SUM_PARTIAL, blocks, 1, Kernel.REDUCE_THREADS, a, b, n, partial);
        context.launch(Kernel.SUM_FINISH_INTO, 1, 1, Kernel.REDUCE_THREADS, partial, blocks, sums, slot);
    }

    @Override
    protected void doMomentumStep(float decay, CudaTensor velocity, CudaTensor parameter) {
        launch(Kernel.MOMENTUM_STEP, velocity.size(), decay, velocity, parameter, velocity.size());
    }

    /**
     * One launch for up to {@value #BIAS_STEP_DIRECT_ROWS} rows in all (each thread sums its column,
     * serially in double); beyond, the column sums' chunked partial pass for each input, then the step,
     * which then equals the unfused columnSums, columnSums, axpy to the bit.
     */
    @Override
    protected void doBiasMomentumStep(CudaTensor data, float dataScale, CudaTensor model, float modelScale, float keep,
                                      CudaTensor velocity, CudaTensor parameter) {
        int cols = data.cols();
        if ((long) data.rows() + model.rows() <= BIAS_STEP_DIRECT_ROWS) {
            launch(Kernel.BIAS_MOMENTUM_STEP, cols, data, data.rows(), dataScale, model, model.rows(), modelScale, keep,
                    velocity, parameter, cols, null, 0, 0);
            return;
        }
        int dataChunks = columnChunks(data);
        int modelChunks = columnChunks(model);
        CUdeviceptr partial = partials.ensure((long) (dataChunks + modelChunks) * cols * Sizeof.DOUBLE);
        columnSumsPartial(data, partial);
        columnSumsPartial(model, partial.withByteOffset((long) dataChunks * cols * Sizeof.DOUBLE));
        launch(Kernel.BIAS_MOMENTUM_STEP, cols, data, data.rows(), dataScale, model, model.rows(), modelScale, keep,
                velocity, parameter, cols, partial, dataChunks, modelChunks);
    }

    /**
     * {@code out[4i .. 4i+3]} = the Philox words of block {@code quad0 + i} at the given stream
     * position: the raw generator on the device, for checking it against {@link org.ebm4j.random.Philox}.
     * {@code out} holds the words' bits as floats ({@link Float#floatToRawIntBits} recovers them).
     */
    public void philoxWords(long seed, int streamId, long draw, int quad0, Tensor out) {
        checkOpen();
        CudaTensor t = use("philoxWords", "out", out);
        if (t.size() % 4 != 0) {
            throw new IllegalArgumentException("philoxWords: out must hold whole blocks of 4 words, found " + t.shape());
        }
        launch(Kernel.PHILOX_WORDS, t.size() / 4, seed, streamId, draw, quad0, t.size() / 4, t);
    }

    /** Waits for every queued kernel (for timing, and to surface asynchronous kernel errors). */
    public void synchronize() {
        checkOpen();
        context.synchronize("queued kernels");
    }

    @Override
    protected void doClose() {
        context.makeCurrent();
        RuntimeException failure = null;
        try {
            int left = openTensors.closeAll(CudaTensor::close);
            if (left > 0) {
                LOG.warn("CUDA backend closed with {} tensors still open; freed them", left);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        for (AutoCloseable r : new AutoCloseable[] {indices, scratch, partials, gemm, context}) {
            try {
                r.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
