package org.ebm4j.cuda;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.OpChecks;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Shapes;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CUDA backend: tensors in device memory, every operation a kernel of the {@code ebm4j-kernels}
 * PTX (GEMM through cuBLAS when it loads), every random draw from Philox inside the kernels with
 * the stream position passed as kernel arguments. Nothing returns to the host except what a method
 * returns ({@link #sum}, {@link #dot}) and explicit copies, so training state stays on the device.
 *
 * <p>Kernels run asynchronously on the default stream in call order; a failure inside a kernel
 * surfaces at the next synchronizing call (a copy to the host, {@link #sum}, {@link #close}).
 */
public final class CudaBackend implements Backend, Sampler {
    /** {@code -Debm.cuda.gemm=auto|cublas|kernel}: which GEMM to use (auto: cuBLAS when it loads). */
    public static final String GEMM_PROPERTY = "ebm.cuda.gemm";

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
    private int openTensors;
    private boolean closed;

    /** Opens device {@code ordinal}; the provider calls this after a successful probe. */
    CudaBackend(int ordinal) {
        context = new CudaContext(ordinal);
        DeviceGemm g;
        try {
            g = chooseGemm(context);
        } catch (RuntimeException | LinkageError e) {
            context.close();
            throw e;
        }
        gemm = g;
        LOG.info("CUDA backend on {} (compute {}, driver CUDA {}); GEMM: {}", context.deviceName(),
                context.computeCapability(), context.driverVersion(), gemm.description());
    }

    private static DeviceGemm chooseGemm(CudaContext context) {
        String want = System.getProperty(GEMM_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (want.equals("kernel")) {
            return new KernelGemm(context, "forced by -D" + GEMM_PROPERTY + "=kernel");
        }
        if (!want.equals("auto") && !want.equals("cublas")) {
            throw new IllegalArgumentException("-D" + GEMM_PROPERTY + " must be auto, cublas or kernel, found '" + want + "'");
        }
        String[] whyNot = {null};
        CublasGemm cublas = CublasGemm.tryCreate(whyNot);
        if (cublas != null) {
            return cublas;
        }
        if (want.equals("cublas")) {
            throw new IllegalStateException("-D" + GEMM_PROPERTY + "=cublas was requested but " + whyNot[0]);
        }
        return new KernelGemm(context, whyNot[0]);
    }

    CudaContext context() {
        return context;
    }

    void tensorOpened() {
        openTensors++;
    }

    void tensorClosed() {
        openTensors--;
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
        m.put("device", context.deviceName());
        m.put("computeCapability", context.computeCapability());
        m.put("driverCudaVersion", context.driverVersion());
        m.put("deviceMemoryMiB", context.totalMemory() >> 20);
        m.put("gemm", gemm.description());
        m.put("kernels", "ebm4j PTX (sm_75 virtual, .version 8.0), JIT-compiled by the driver");
        m.put("random", "Philox4x32-10 inside the kernels (no cuRAND: JCurand 11.8.0 cannot load beside JCuda 12.6)");
        m.put("openTensors", openTensors);
        return m;
    }

    @Override
    public Sampler sampler() {
        return this;
    }

    // ---- checks and launch shapes --------------------------------------------------------------

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA backend was used after close()");
        }
        context.makeCurrent();
    }

    private CudaTensor use(String op, String name, Tensor t) {
        Shapes.checkUsable(this, op, name, t);
        return (CudaTensor) t;
    }

    private CudaTensor useOptional(String op, String name, Tensor t) {
        return t == null ? null : use(op, name, t);
    }

    /** Blocks of {@value #BLOCK} threads for {@code items} work items (grid-stride loops cover the rest). */
    private static int grid(long items) {
        return (int) Math.max(1, Math.min((items + BLOCK - 1) / BLOCK, MAX_GRID));
    }

    private void launch(Kernel k, long items, Object... args) {
        context.launch(k, grid(items), 1, BLOCK, args);
    }

    // ---- allocation and data movement -------------------------------------------------------

    @Override
    public Tensor allocate(int rows, int cols) {
        checkOpen();
        Shapes.checkDimensions(rows, cols);
        return new CudaTensor(this, rows, cols);
    }

    @Override
    public Tensor fromArray(float[] data, int rows, int cols) {
        checkOpen();
        Shapes.checkDimensions(rows, cols);
        Shapes.checkHostRange("fromArray", data, 0, rows * cols);
        CudaTensor t = new CudaTensor(this, rows, cols);
        try {
            t.copyFrom(data, 0);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        checkOpen();
        CudaTensor s = use("copy", "src", src);
        CudaTensor d = use("copy", "dst", dst);
        OpChecks.copy(s, d);
        if (s != d) {
            launch(Kernel.COPY_VALUES, s.size(), s, d, s.size());
        }
    }

    @Override
    public void fill(Tensor x, float value) {
        checkOpen();
        CudaTensor t = use("fill", "x", x);
        launch(Kernel.FILL_VALUE, t.size(), t, t.size(), value);
    }

    @Override
    public void gatherRows(Tensor src, int[] rowIndices, int offset, Tensor dst) {
        checkOpen();
        CudaTensor s = use("gatherRows", "src", src);
        CudaTensor d = use("gatherRows", "dst", dst);
        OpChecks.gatherRows(s, rowIndices, offset, d);
        int rows = d.rows();
        CUdeviceptr idx = indices.ensure((long) rows * Sizeof.INT);
        CudaCheck.check(JCudaDriver.cuMemcpyHtoD(idx, Pointer.to(rowIndices).withByteOffset((long) offset * Sizeof.INT),
                (long) rows * Sizeof.INT), "cuMemcpyHtoD(" + rows + " row indices)");
        launch(Kernel.GATHER_ROWS, d.size(), s, idx, d, rows, d.cols());
    }

    // ---- linear algebra ---------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        checkOpen();
        CudaTensor ta = use("gemm", "a", a);
        CudaTensor tb = use("gemm", "b", b);
        CudaTensor tc = use("gemm", "c", c);
        OpChecks.gemm(transA, ta, transB, tb, tc);
        int m = tc.rows();
        int n = tc.cols();
        int k = transA ? ta.rows() : ta.cols();
        gemm.gemm(transA, transB, m, n, k, alpha, ta, tb, beta, tc);
    }

    // ---- elementwise and broadcast ----------------------------------------------------------

    @Override
    public void addRowVector(Tensor x, Tensor row, float alpha, Tensor out) {
        checkOpen();
        CudaTensor tx = use("addRowVector", "x", x);
        CudaTensor tr = use("addRowVector", "row", row);
        CudaTensor to = use("addRowVector", "out", out);
        OpChecks.addRowVector(tx, tr, to);
        launch(Kernel.ADD_ROW_VECTOR, tx.size(), tx, tr, alpha, to, tx.rows(), tx.cols());
    }

    private void binary(String op, Kernel k, Tensor a, Tensor b, Tensor out) {
        checkOpen();
        CudaTensor ta = use(op, "a", a);
        CudaTensor tb = use(op, "b", b);
        CudaTensor to = use(op, "out", out);
        OpChecks.binary(op, ta, tb, to);
        launch(k, ta.size(), ta, tb, to, ta.size());
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        binary("add", Kernel.ADD_VALUES, a, b, out);
    }

    @Override
    public void sub(Tensor a, Tensor b, Tensor out) {
        binary("sub", Kernel.SUB_VALUES, a, b, out);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        binary("mul", Kernel.MUL_VALUES, a, b, out);
    }

    @Override
    public void scale(float alpha, Tensor x, Tensor out) {
        checkOpen();
        CudaTensor tx = use("scale", "x", x);
        CudaTensor to = use("scale", "out", out);
        OpChecks.scale(tx, to);
        launch(Kernel.SCALE_VALUES, tx.size(), alpha, tx, to, tx.size());
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        checkOpen();
        CudaTensor tx = use("axpy", "x", x);
        CudaTensor ty = use("axpy", "y", y);
        OpChecks.axpy(tx, ty);
        launch(Kernel.AXPY_VALUES, tx.size(), alpha, tx, ty, tx.size());
    }

    @Override
    public void sigmoid(Tensor x, Tensor bias, Tensor out) {
        checkOpen();
        CudaTensor tx = use("sigmoid", "x", x);
        CudaTensor tb = useOptional("sigmoid", "bias", bias);
        CudaTensor to = use("sigmoid", "out", out);
        OpChecks.sigmoid(tx, tb, to);
        launch(Kernel.SIGMOID_BIAS, tx.size(), tx, tb, to, tx.rows(), tx.cols());
    }

    /**
     * One kernel launch: {@code z = x + bias} and the requested outputs computed on the device in
     * float (no host round trip, so an energy network's forward and backward passes keep the
     * training state on the device). The checks and their messages are the host default's, in its
     * order.
     */
    @Override
    public void activation(Activation f, Tensor x, Tensor bias, Tensor value, Tensor derivative) {
        checkOpen();
        String op = "activation";
        OpChecks.activationRequest(f, value, derivative);
        CudaTensor tx = use(op, "x", x);
        CudaTensor tb = useOptional(op, "bias", bias);
        CudaTensor tv = useOptional(op, "value", value);
        CudaTensor td = useOptional(op, "derivative", derivative);
        OpChecks.activation(tx, tb, tv, td);
        launch(Kernel.ACTIVATION, tx.size(), tx, tb, tv, td, activationCode(f), tx.rows(), tx.cols());
    }

    /** The kernel's function code (EBM_ACTIVATION_* in elementwise.cu). */
    static int activationCode(Activation f) {
        return switch (f) {
            case SOFTPLUS -> 0;
            case LOG1P_SQUARE -> 1;
        };
    }

    @Override
    public void threshold(Tensor x, float t, float below, float atOrAbove, Tensor out) {
        checkOpen();
        CudaTensor tx = use("threshold", "x", x);
        CudaTensor to = use("threshold", "out", out);
        OpChecks.threshold(tx, to);
        launch(Kernel.THRESHOLD_VALUES, tx.size(), tx, t, below, atOrAbove, to, tx.size());
    }

    // ---- reductions -------------------------------------------------------------------------

    @Override
    public void columnSums(Tensor x, float alpha, float beta, Tensor out) {
        checkOpen();
        CudaTensor tx = use("columnSums", "x", x);
        CudaTensor to = use("columnSums", "out", out);
        OpChecks.columnSums(tx, to);
        int rows = tx.rows();
        int cols = tx.cols();
        // Enough row chunks to give the device ~64K threads, each chunk at least 16 rows.
        int chunks = (int) Math.max(1, Math.min(Math.min((65536L + cols - 1) / cols, (rows + 15L) / 16), 4096));
        int rowsPerChunk = (rows + chunks - 1) / chunks;
        chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        CUdeviceptr partial = partials.ensure((long) chunks * cols * Sizeof.DOUBLE);
        context.launch(Kernel.COLUMN_SUMS_PARTIAL, (cols + BLOCK - 1) / BLOCK, chunks, BLOCK, tx, rows, cols, rowsPerChunk,
                partial);
        launch(Kernel.COLUMN_SUMS_FINISH, cols, partial, chunks, cols, alpha, beta, to);
    }

    /** One block of {@link Kernel#REDUCE_THREADS} threads per row of {@code x} (grid-stride beyond {@value #MAX_GRID}). */
    private void rowReduce(Kernel k, CudaTensor x, Object... args) {
        context.launch(k, Math.min(x.rows(), MAX_GRID), 1, Kernel.REDUCE_THREADS, args);
    }

    @Override
    public void rowSums(Tensor x, Tensor out) {
        checkOpen();
        CudaTensor tx = use("rowSums", "x", x);
        CudaTensor to = use("rowSums", "out", out);
        OpChecks.rowSums(tx, to);
        rowReduce(Kernel.ROW_SUMS, tx, tx, tx.rows(), tx.cols(), to);
    }

    @Override
    public void softplusRowSums(Tensor x, Tensor bias, float scale, Tensor out) {
        checkOpen();
        CudaTensor tx = use("softplusRowSums", "x", x);
        CudaTensor tb = useOptional("softplusRowSums", "bias", bias);
        CudaTensor to = use("softplusRowSums", "out", out);
        OpChecks.softplusRowSums(tx, tb, to);
        rowReduce(Kernel.SOFTPLUS_ROW_SUMS, tx, tx, tb, scale, tx.rows(), tx.cols(), to);
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor gradOut, Tensor lossPerRow) {
        checkOpen();
        String op = "softmaxCrossEntropy";
        CudaTensor tz = use(op, "logits", logits);
        CudaTensor tt = use(op, "targets", targets);
        CudaTensor tp = useOptional(op, "probs", probs);
        CudaTensor tg = useOptional(op, "gradOut", gradOut);
        CudaTensor tl = useOptional(op, "lossPerRow", lossPerRow);
        OpChecks.softmaxCrossEntropy(tz, tt, tp, tg, tl);
        launch(Kernel.SOFTMAX_CROSS_ENTROPY, tz.rows(), tz, tt, tp, tg, tl, tz.rows(), tz.cols());
    }

    @Override
    public void argmaxRows(Tensor x, Tensor out) {
        checkOpen();
        CudaTensor tx = use("argmaxRows", "x", x);
        CudaTensor to = use("argmaxRows", "out", out);
        OpChecks.argmaxRows(tx, to);
        launch(Kernel.ARGMAX_ROWS, tx.rows(), tx, tx.rows(), tx.cols(), to);
    }

    @Override
    public void rowSquaredNorms(Tensor x, Tensor weights, Tensor out) {
        checkOpen();
        CudaTensor tx = use("rowSquaredNorms", "x", x);
        CudaTensor tw = useOptional("rowSquaredNorms", "weights", weights);
        CudaTensor to = use("rowSquaredNorms", "out", out);
        OpChecks.rowSquaredNorms(tx, tw, to);
        rowReduce(Kernel.ROW_SQUARED_NORMS, tx, tx, tw, tx.rows(), tx.cols(), to);
    }

    @Override
    public double sum(Tensor x) {
        checkOpen();
        CudaTensor tx = use("sum", "x", x);
        return reduceAll(tx, null);
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        checkOpen();
        CudaTensor ta = use("dot", "a", a);
        CudaTensor tb = use("dot", "b", b);
        OpChecks.dot(ta, tb);
        return reduceAll(ta, tb);
    }

    private double reduceAll(CudaTensor a, CudaTensor b) {
        int n = a.size();
        int blocks = (int) Math.min(SUM_BLOCKS, (n + Kernel.REDUCE_THREADS - 1L) / Kernel.REDUCE_THREADS);
        // blocks partial sums, then the total in the slot after them.
        CUdeviceptr partial = partials.ensure((long) (blocks + 1) * Sizeof.DOUBLE);
        CUdeviceptr result = partial.withByteOffset((long) blocks * Sizeof.DOUBLE);
        context.launch(Kernel.SUM_PARTIAL, blocks, 1, Kernel.REDUCE_THREADS, a, b, n, partial);
        context.launch(Kernel.SUM_FINISH, 1, 1, Kernel.REDUCE_THREADS, partial, blocks, result);
        CudaCheck.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(hostResult), result, Sizeof.DOUBLE),
                "cuMemcpyDtoH(the result of a " + (b == null ? "sum" : "dot") + " over " + n + " elements)");
        return hostResult[0];
    }

    // ---- sampler ----------------------------------------------------------------------------

    @Override
    public void fillUniform(Tensor out, RandomStream rng) {
        checkOpen();
        CudaTensor t = use("fillUniform", "out", out);
        OpChecks.randomStream("fillUniform", rng);
        long draw = rng.nextDraw();
        launch(Kernel.FILL_UNIFORM, (t.size() + 3L) / 4, t, t.size(), rng.seed(), rng.streamId(), draw);
    }

    @Override
    public void fillNormal(Tensor out, float mean, float stddev, RandomStream rng) {
        checkOpen();
        CudaTensor t = use("fillNormal", "out", out);
        OpChecks.randomStream("fillNormal", rng);
        long draw = rng.nextDraw();
        launch(Kernel.FILL_NORMAL, (t.size() + 1L) / 2, t, t.size(), mean, stddev, rng.seed(), rng.streamId(), draw);
    }

    @Override
    public void sampleBernoulli(Tensor probs, Tensor out, RandomStream rng) {
        checkOpen();
        CudaTensor tp = use("sampleBernoulli", "probs", probs);
        CudaTensor to = use("sampleBernoulli", "out", out);
        OpChecks.sampleBernoulli(tp, to, rng);
        long draw = rng.nextDraw();
        launch(Kernel.SAMPLE_BERNOULLI, (tp.size() + 3L) / 4, tp, to, tp.size(), rng.seed(), rng.streamId(), draw);
    }

    @Override
    public void sampleSigmoidBernoulli(Tensor x, Tensor bias, float scale, Tensor probs, Tensor samples, RandomStream rng) {
        checkOpen();
        String op = "sampleSigmoidBernoulli";
        CudaTensor tx = use(op, "x", x);
        CudaTensor tb = useOptional(op, "bias", bias);
        CudaTensor tp = useOptional(op, "probs", probs);
        CudaTensor ts = use(op, "samples", samples);
        OpChecks.sampleSigmoidBernoulli(tx, tb, tp, ts, rng);
        long draw = rng.nextDraw();
        launch(Kernel.SAMPLE_SIGMOID_BERNOULLI, (tx.size() + 3L) / 4, tx, tb, scale, tp, ts, tx.rows(), tx.cols(),
                rng.seed(), rng.streamId(), draw);
    }

    @Override
    public void sampleGaussian(Tensor mean, Tensor bias, float stddev, Tensor out, RandomStream rng) {
        checkOpen();
        CudaTensor tm = use("sampleGaussian", "mean", mean);
        CudaTensor tb = useOptional("sampleGaussian", "bias", bias);
        CudaTensor to = use("sampleGaussian", "out", out);
        OpChecks.sampleGaussian(tm, tb, to, rng);
        long draw = rng.nextDraw();
        launch(Kernel.SAMPLE_GAUSSIAN, (tm.size() + 1L) / 2, tm, tb, stddev, to, tm.rows(), tm.cols(), rng.seed(),
                rng.streamId(), draw);
    }

    @Override
    public void updateUnit(Tensor state, Tensor field, Tensor weights, int unit, UnitRule rule, Tensor clamp,
                           RandomStream rng) {
        checkOpen();
        String op = "updateUnit";
        CudaTensor ts = use(op, "state", state);
        CudaTensor tf = use(op, "field", field);
        CudaTensor tw = use(op, "weights", weights);
        CudaTensor tc = useOptional(op, "clamp", clamp);
        OpChecks.updateUnit(ts, tf, tw, unit, rule, tc, rng);
        int chains = ts.rows();
        int n = ts.cols();
        long seed = 0L;
        int streamId = 0;
        long draw = 0L;
        if (rule.isStochastic()) {
            seed = rng.seed();
            streamId = rng.streamId();
            draw = rng.nextDraw();
        }
        CUdeviceptr delta = scratch.ensure((long) chains * Sizeof.FLOAT);
        launch(Kernel.UNIT_DECIDE, chains, ts, tf, tc, delta, chains, n, unit, rule.isStochastic() ? 1 : 0, rule.low(),
                rule.high(), rule.inverseTemperature(), seed, streamId, draw);
        launch(Kernel.UNIT_FIELD_UPDATE, (long) chains * n, tf, tw, delta, chains, n, unit);
    }

    @Override
    public void leapfrog(Tensor q, Tensor p, Tensor grad, Tensor invMass, float kick, float drift) {
        checkOpen();
        CudaTensor tq = use("leapfrog", "q", q);
        CudaTensor tp = use("leapfrog", "p", p);
        CudaTensor tg = use("leapfrog", "grad", grad);
        CudaTensor tm = useOptional("leapfrog", "invMass", invMass);
        OpChecks.leapfrog(tq, tp, tg, tm);
        launch(Kernel.LEAPFROG, tq.size(), tq, tp, tg, tm, kick, drift, tq.rows(), tq.cols());
    }

    @Override
    public void metropolisSelect(Tensor current, Tensor currentEnergy, Tensor proposal, Tensor proposalEnergy,
                                 Tensor accepted, RandomStream rng) {
        checkOpen();
        String op = "metropolisSelect";
        CudaTensor tc = use(op, "current", current);
        CudaTensor tce = use(op, "currentEnergy", currentEnergy);
        CudaTensor tp = use(op, "proposal", proposal);
        CudaTensor tpe = use(op, "proposalEnergy", proposalEnergy);
        CudaTensor ta = use(op, "accepted", accepted);
        OpChecks.metropolisSelect(tc, tce, tp, tpe, ta, rng);
        int chains = tc.rows();
        long draw = rng.nextDraw();
        launch(Kernel.METROPOLIS_DECIDE, chains, tce, tpe, ta, chains, rng.seed(), rng.streamId(), draw);
        launch(Kernel.METROPOLIS_COPY, tc.size(), tc, tp, ta, chains, tc.cols());
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
    public void close() {
        if (closed) {
            return;
        }
        context.makeCurrent();
        if (openTensors > 0) {
            LOG.warn("CUDA backend closed with {} tensors still open; their device memory is released with the context",
                    openTensors);
        }
        closed = true;
        RuntimeException failure = null;
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
