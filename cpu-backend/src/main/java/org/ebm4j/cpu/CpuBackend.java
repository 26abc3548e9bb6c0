package org.ebm4j.cpu;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.cpu.internal.CpuParallel;
import org.ebm4j.cpu.internal.ScalarKernels;
import org.ebm4j.cpu.internal.gemm.Sgemm;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.OpChecks;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Shapes;
import org.ebm4j.tensor.Tensor;

/**
 * The pure-Java backend: tensors are heap {@code float[]}s, operations run one of the two
 * {@link CpuKernels} sets over a fixed {@link CpuParallel} pool. Small tensors run inline on the
 * calling thread; large ones are split into at most {@code threads} contiguous chunks, each with its
 * own workspace, so no call allocates per element or per row. Every result is independent of the
 * thread count: elementwise and random ops are per element, row reductions per row, column sums
 * per column in row order, and {@link #sum}/{@link #dot} add fixed blocks of
 * {@value #REDUCTION_BLOCK} elements in order.
 *
 * <p>Not thread-safe: as {@link Backend} says, one thread calls a backend at a time.
 */
public final class CpuBackend implements Backend {
    /** Elements per chunk below which a cheap (memory-bound) op is not worth a thread hand-off. */
    static final int CHEAP_MIN_CHUNK = 1 << 16;
    /** Elements per chunk for ops that spend tens of cycles per element (exp, Philox). */
    static final int COSTLY_MIN_CHUNK = 1 << 13;
    /** sum and dot add blocks of this many elements, then the block sums in order. */
    static final int REDUCTION_BLOCK = 1 << 14;

    private static final String SCALAR_SGEMM = "org.ebm4j.cpu.internal.gemm.ScalarSgemm";
    private static final String VECTOR_SGEMM = "org.ebm4j.cpu.internal.vector.VectorSgemm";

    private final KernelSelection selection;
    private final CpuKernels kernels;
    private final CpuParallel parallel;
    private final Sgemm sgemm;
    private final CpuSampler sampler;
    /** One random/scratch workspace per chunk (chunk index < threads). */
    private final float[][] work;
    private double[] blockSums = new double[0];
    private double[] columnAcc = new double[0];
    private volatile boolean closed;

    /** A backend with the kernel set of {@code -Debm.cpu.kernels} and the pool size of {@code -Debm.threads}. */
    public CpuBackend() {
        this(KernelSelection.fromSystemProperty(), CpuParallel.configuredThreads());
    }

    /** A backend on the given kernel set with a pool of {@code threads} threads (the caller included). */
    public CpuBackend(KernelSelection selection, int threads) {
        this.selection = selection;
        this.kernels = selection.kernels();
        this.parallel = new CpuParallel(threads);
        this.work = new float[threads][CpuKernels.WORKSPACE_FLOATS];
        this.sgemm = chooseSgemm(kernels, parallel);
        this.sampler = new CpuSampler(this);
    }

    /**
     * The GEMM kernel for a kernel set: the one place that picks it. The vector one is loaded
     * reflectively so that the scalar set never links jdk.incubator.vector.
     */
    static Sgemm chooseSgemm(CpuKernels kernels, CpuParallel parallel) {
        return instantiate(kernels.vectorBits() > 0 ? VECTOR_SGEMM : SCALAR_SGEMM, parallel);
    }

    /** Loads an {@link Sgemm} by class name through its {@code (CpuParallel)} constructor (the vector one must not be linked eagerly). */
    static Sgemm instantiate(String className, CpuParallel parallel) {
        try {
            return (Sgemm) Class.forName(className, true, CpuBackend.class.getClassLoader())
                    .getConstructor(CpuParallel.class).newInstance(parallel);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot create " + className + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot create " + className + ": " + e, e);
        }
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", "cpu");
        m.put("kernels", kernels.name());
        m.put("kernelsReason", selection.reason());
        m.put("threads", parallel.threads());
        if (kernels.vectorBits() > 0) {
            m.put("vectorBits", kernels.vectorBits());
            m.put("floatLanes", kernels.vectorBits() / Float.SIZE);
        }
        m.put("gemm", sgemm.name());
        m.put("java", System.getProperty("java.version"));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public Sampler sampler() {
        checkBackendOpen();
        return sampler;
    }

    /** The kernel set this backend runs. */
    public CpuKernels kernels() {
        return kernels;
    }

    /** How the kernel set was chosen. */
    public KernelSelection kernelSelection() {
        return selection;
    }

    public int threads() {
        return parallel.threads();
    }

    float[] work(int chunk) {
        return work[chunk];
    }

    // ---- argument checks ------------------------------------------------------------------------

    void checkBackendOpen() {
        if (closed) {
            throw new IllegalStateException("the cpu backend was used after close()");
        }
    }

    /** The tensor as a CPU tensor, after the null / closed / foreign checks of {@link Shapes#checkUsable}. */
    CpuTensor use(String op, String name, Tensor t) {
        Shapes.checkUsable(this, op, name, t);
        if (!(t instanceof CpuTensor)) {
            throw new IllegalArgumentException(op + ": tensor '" + name + "' is a " + t.getClass().getName()
                    + ", not a CpuTensor of this backend");
        }
        return (CpuTensor) t;
    }

    /** Like {@link #use} but null is allowed (optional arguments). */
    CpuTensor useOptional(String op, String name, Tensor t) {
        return t == null ? null : use(op, name, t);
    }

    static float[] dataOf(CpuTensor t) {
        return t == null ? null : t.data();
    }

    // ---- work splitting ---------------------------------------------------------------------------

    /** How many chunks to split {@code units} (rows or elements) into, given the total element count. */
    int chunks(long elements, int minChunk, int units) {
        long byWork = elements / minChunk;
        return (int) Math.max(1, Math.min(Math.min(parallel.threads(), units), byWork));
    }

    /** Start of chunk {@code c} of {@code chunks} over {@code [0, n)}. */
    static int bound(int n, int c, int chunks) {
        return (int) ((long) n * c / chunks);
    }

    /** A kernel over the units {@code [from, to)}; {@code chunk} picks the per-thread scratch ({@link #work}). */
    @FunctionalInterface
    interface RangeKernel {
        void run(int chunk, int from, int to);
    }

    /**
     * Runs {@code kernel} over {@code [0, units)} (rows, columns or elements of an op whose whole work is
     * {@code elements} elements): on the calling thread when the work is small, else in
     * {@link #chunks} contiguous ranges on the thread team. Where the ranges fall depends only on the
     * sizes and the thread count, so results do too.
     */
    void split(long elements, int minChunk, int units, RangeKernel kernel) {
        int chunks = chunks(elements, minChunk, units);
        if (chunks == 1) {
            kernel.run(0, 0, units);
        } else {
            parallel.forEach(chunks, c -> kernel.run(c, bound(units, c, chunks), bound(units, c + 1, chunks)));
        }
    }

    // ---- allocation and data movement ---------------------------------------------------------

    @Override
    public Tensor allocate(int rows, int cols) {
        checkBackendOpen();
        return new CpuTensor(this, rows, cols);
    }

    @Override
    public Tensor fromArray(float[] data, int rows, int cols) {
        checkBackendOpen();
        Shapes.checkDimensions(rows, cols);
        Shapes.checkHostRange("fromArray", data, 0, rows * cols);
        CpuTensor t = new CpuTensor(this, rows, cols);
        System.arraycopy(data, 0, t.data(), 0, rows * cols);
        return t;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        checkBackendOpen();
        CpuTensor s = use("copy", "src", src);
        CpuTensor d = use("copy", "dst", dst);
        OpChecks.copy(s, d);
        if (s != d) {
            System.arraycopy(s.data(), 0, d.data(), 0, s.size());
        }
    }

    @Override
    public void fill(Tensor x, float value) {
        checkBackendOpen();
        Arrays.fill(use("fill", "x", x).data(), value);
    }

    @Override
    public void gatherRows(Tensor src, int[] rowIndices, int offset, Tensor dst) {
        checkBackendOpen();
        String op = "gatherRows";
        CpuTensor s = use(op, "src", src);
        CpuTensor d = use(op, "dst", dst);
        OpChecks.gatherRows(s, rowIndices, offset, d);
        float[] sd = s.data();
        float[] dd = d.data();
        int cols = d.cols();
        for (int i = 0; i < d.rows(); i++) {
            System.arraycopy(sd, rowIndices[offset + i] * cols, dd, i * cols, cols);
        }
    }

    // ---- linear algebra ---------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        checkBackendOpen();
        String op = "gemm";
        CpuTensor ta = use(op, "a", a);
        CpuTensor tb = use(op, "b", b);
        CpuTensor tc = use(op, "c", c);
        OpChecks.gemm(transA, ta, transB, tb, tc);
        int m = transA ? ta.cols() : ta.rows();
        int k = transA ? ta.rows() : ta.cols();
        int n = transB ? tb.rows() : tb.cols();
        sgemm.sgemm(transA, transB, m, n, k, alpha, ta.data(), ta.cols(), tb.data(), tb.cols(), beta, tc.data(),
                tc.cols());
    }

    // ---- elementwise and broadcast --------------------------------------------------------------

    @Override
    public void addRowVector(Tensor x, Tensor row, float alpha, Tensor out) {
        checkBackendOpen();
        String op = "addRowVector";
        CpuTensor tx = use(op, "x", x);
        CpuTensor tr = use(op, "row", row);
        CpuTensor to = use(op, "out", out);
        OpChecks.addRowVector(tx, tr, to);
        float[] xd = tx.data();
        float[] rd = tr.data();
        float[] od = to.data();
        int rows = tx.rows();
        int cols = tx.cols();
        split(tx.size(), CHEAP_MIN_CHUNK, rows, (c, lo, hi) ->
                kernels.addRowVector(xd, rd, alpha, od, cols, lo, hi));
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        binary("add", a, b, out, 0);
    }

    @Override
    public void sub(Tensor a, Tensor b, Tensor out) {
        binary("sub", a, b, out, 1);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        binary("mul", a, b, out, 2);
    }

    private void binary(String op, Tensor a, Tensor b, Tensor out, int kind) {
        checkBackendOpen();
        CpuTensor ta = use(op, "a", a);
        CpuTensor tb = use(op, "b", b);
        CpuTensor to = use(op, "out", out);
        OpChecks.binary(op, ta, tb, to);
        float[] ad = ta.data();
        float[] bd = tb.data();
        float[] od = to.data();
        int n = ta.size();
        split(n, CHEAP_MIN_CHUNK, n, (c, lo, hi) -> binaryKernel(kind, ad, bd, od, lo, hi));
    }

    private void binaryKernel(int kind, float[] a, float[] b, float[] out, int from, int to) {
        switch (kind) {
            case 0:
                kernels.add(a, b, out, from, to);
                break;
            case 1:
                kernels.sub(a, b, out, from, to);
                break;
            default:
                kernels.mul(a, b, out, from, to);
                break;
        }
    }

    @Override
    public void scale(float alpha, Tensor x, Tensor out) {
        checkBackendOpen();
        String op = "scale";
        CpuTensor tx = use(op, "x", x);
        CpuTensor to = use(op, "out", out);
        OpChecks.scale(tx, to);
        float[] xd = tx.data();
        float[] od = to.data();
        int n = tx.size();
        split(n, CHEAP_MIN_CHUNK, n, (c, lo, hi) -> kernels.scale(alpha, xd, od, lo, hi));
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        checkBackendOpen();
        String op = "axpy";
        CpuTensor tx = use(op, "x", x);
        CpuTensor ty = use(op, "y", y);
        OpChecks.axpy(tx, ty);
        float[] xd = tx.data();
        float[] yd = ty.data();
        int n = tx.size();
        split(n, CHEAP_MIN_CHUNK, n, (c, lo, hi) -> kernels.axpy(alpha, xd, lo, yd, lo, hi - lo));
    }

    @Override
    public void sigmoid(Tensor x, Tensor bias, Tensor out) {
        checkBackendOpen();
        String op = "sigmoid";
        CpuTensor tx = use(op, "x", x);
        CpuTensor tb = useOptional(op, "bias", bias);
        CpuTensor to = use(op, "out", out);
        OpChecks.sigmoid(tx, tb, to);
        float[] xd = tx.data();
        float[] bd = dataOf(tb);
        float[] od = to.data();
        int rows = tx.rows();
        int cols = tx.cols();
        split(tx.size(), COSTLY_MIN_CHUNK, rows, (c, lo, hi) -> kernels.sigmoid(xd, bd, od, cols, lo, hi));
    }

    /**
     * The kernel form of {@link Backend#activation}: the same checks and messages as the host
     * default, then the rows split over the thread team (each element is independent, so the result
     * does not depend on the split).
     */
    @Override
    public void activation(org.ebm4j.tensor.Activation f, Tensor x, Tensor bias, Tensor value, Tensor derivative) {
        checkBackendOpen();
        String op = "activation";
        OpChecks.activationRequest(f, value, derivative);
        CpuTensor tx = use(op, "x", x);
        CpuTensor tb = useOptional(op, "bias", bias);
        CpuTensor tv = useOptional(op, "value", value);
        CpuTensor td = useOptional(op, "derivative", derivative);
        OpChecks.activation(tx, tb, tv, td);
        float[] xd = tx.data();
        float[] bd = dataOf(tb);
        float[] vd = dataOf(tv);
        float[] dd = dataOf(td);
        int rows = tx.rows();
        int cols = tx.cols();
        split(tx.size(), COSTLY_MIN_CHUNK, rows, (c, lo, hi) -> kernels.activation(f, xd, bd, vd, dd, cols, lo, hi));
    }

    @Override
    public void threshold(Tensor x, float t, float below, float atOrAbove, Tensor out) {
        checkBackendOpen();
        String op = "threshold";
        CpuTensor tx = use(op, "x", x);
        CpuTensor to = use(op, "out", out);
        OpChecks.threshold(tx, to);
        float[] xd = tx.data();
        float[] od = to.data();
        int n = tx.size();
        split(n, CHEAP_MIN_CHUNK, n, (c, lo, hi) -> kernels.threshold(xd, t, below, atOrAbove, od, lo, hi));
    }

    // ---- reductions -------------------------------------------------------------------------------

    @Override
    public void columnSums(Tensor x, float alpha, float beta, Tensor out) {
        checkBackendOpen();
        String op = "columnSums";
        CpuTensor tx = use(op, "x", x);
        CpuTensor to = use(op, "out", out);
        OpChecks.columnSums(tx, to);
        float[] xd = tx.data();
        float[] od = to.data();
        int rows = tx.rows();
        int cols = tx.cols();
        if (columnAcc.length < cols) {
            columnAcc = new double[cols];
        }
        double[] acc = columnAcc;
        split(tx.size(), CHEAP_MIN_CHUNK, cols, (c, lo, hi) -> kernels.columnSums(xd, rows, cols, lo, hi, acc));
        for (int j = 0; j < cols; j++) {
            od[j] = beta == 0f ? (float) (alpha * acc[j]) : (float) (alpha * acc[j] + (double) beta * od[j]);
        }
    }

    @Override
    public void rowSums(Tensor x, Tensor out) {
        checkBackendOpen();
        String op = "rowSums";
        CpuTensor tx = use(op, "x", x);
        CpuTensor to = use(op, "out", out);
        OpChecks.rowSums(tx, to);
        float[] xd = tx.data();
        float[] od = to.data();
        int rows = tx.rows();
        int cols = tx.cols();
        split(tx.size(), CHEAP_MIN_CHUNK, rows, (c, lo, hi) -> kernels.rowSums(xd, cols, od, lo, hi));
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor gradOut, Tensor lossPerRow) {
        checkBackendOpen();
        String op = "softmaxCrossEntropy";
        CpuTensor tz = use(op, "logits", logits);
        CpuTensor tt = use(op, "targets", targets);
        CpuTensor tp = useOptional(op, "probs", probs);
        CpuTensor tg = useOptional(op, "gradOut", gradOut);
        CpuTensor tl = useOptional(op, "lossPerRow", lossPerRow);
        OpChecks.softmaxCrossEntropy(tz, tt, tp, tg, tl);
        float[] zd = tz.data();
        float[] td = tt.data();
        float[] pd = dataOf(tp);
        float[] gd = dataOf(tg);
        float[] ld = dataOf(tl);
        int rows = tz.rows();
        int k = tz.cols();
        split(tz.size(), COSTLY_MIN_CHUNK, rows, (c, lo, hi) ->
                ScalarKernels.softmaxCrossEntropy(zd, td, pd, gd, ld, k, lo, hi));
    }

    @Override
    public void argmaxRows(Tensor x, Tensor out) {
        checkBackendOpen();
        String op = "argmaxRows";
        CpuTensor tx = use(op, "x", x);
        CpuTensor to = use(op, "out", out);
        OpChecks.argmaxRows(tx, to);
        float[] xd = tx.data();
        float[] od = to.data();
        int rows = tx.rows();
        int cols = tx.cols();
        split(tx.size(), CHEAP_MIN_CHUNK, rows, (c, lo, hi) -> ScalarKernels.argmaxRows(xd, cols, od, lo, hi));
    }

    @Override
    public void softplusRowSums(Tensor x, Tensor bias, float scale, Tensor out) {
        checkBackendOpen();
        String op = "softplusRowSums";
        CpuTensor tx = use(op, "x", x);
        CpuTensor tb = useOptional(op, "bias", bias);
        CpuTensor to = use(op, "out", out);
        OpChecks.softplusRowSums(tx, tb, to);
        float[] xd = tx.data();
        float[] bd = dataOf(tb);
        float[] od = to.data();
        int rows = tx.rows();
        int cols = tx.cols();
        split(tx.size(), COSTLY_MIN_CHUNK, rows, (c, lo, hi) ->
                kernels.softplusRowSums(xd, bd, scale, cols, od, lo, hi));
    }

    @Override
    public void rowSquaredNorms(Tensor x, Tensor weights, Tensor out) {
        checkBackendOpen();
        String op = "rowSquaredNorms";
        CpuTensor tx = use(op, "x", x);
        CpuTensor tw = useOptional(op, "weights", weights);
        CpuTensor to = use(op, "out", out);
        OpChecks.rowSquaredNorms(tx, tw, to);
        float[] xd = tx.data();
        float[] wd = dataOf(tw);
        float[] od = to.data();
        int rows = tx.rows();
        int cols = tx.cols();
        split(tx.size(), CHEAP_MIN_CHUNK, rows, (c, lo, hi) -> kernels.rowSquaredNorms(xd, wd, cols, od, lo, hi));
    }

    @Override
    public double sum(Tensor x) {
        checkBackendOpen();
        float[] xd = use("sum", "x", x).data();
        return blockReduce(xd, null, xd.length);
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        checkBackendOpen();
        String op = "dot";
        CpuTensor ta = use(op, "a", a);
        CpuTensor tb = use(op, "b", b);
        OpChecks.dot(ta, tb);
        return blockReduce(ta.data(), tb.data(), ta.size());
    }

    /** sum (b == null) or dot over fixed blocks, block sums added in order: the same for any thread count. */
    private double blockReduce(float[] a, float[] b, int n) {
        int blocks = (n + REDUCTION_BLOCK - 1) / REDUCTION_BLOCK;
        if (blocks == 1) {
            return b == null ? kernels.sum(a, 0, n) : kernels.dot(a, b, 0, n);
        }
        if (blockSums.length < blocks) {
            blockSums = new double[blocks];
        }
        double[] sums = blockSums;
        split(n, CHEAP_MIN_CHUNK, blocks, (c, first, end) -> {
            for (int i = first; i < end; i++) {
                int from = i * REDUCTION_BLOCK;
                int to = Math.min(n, from + REDUCTION_BLOCK);
                sums[i] = b == null ? kernels.sum(a, from, to) : kernels.dot(a, b, from, to);
            }
        });
        double total = 0;
        for (int i = 0; i < blocks; i++) {
            total += sums[i];
        }
        return total;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            parallel.close();
        }
    }

    @Override
    public String toString() {
        return "CpuBackend[kernels=" + kernels.name() + ", threads=" + parallel.threads() + ", gemm=" + sgemm.name()
                + "]";
    }
}
