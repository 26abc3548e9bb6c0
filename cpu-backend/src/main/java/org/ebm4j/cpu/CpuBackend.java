package org.ebm4j.cpu;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.cpu.internal.CpuCaches;
import org.ebm4j.cpu.internal.CpuParallel;
import org.ebm4j.cpu.internal.ScalarKernels;
import org.ebm4j.cpu.internal.gemm.BlockedSgemm;
import org.ebm4j.cpu.internal.gemm.GemmBlocking;
import org.ebm4j.cpu.internal.gemm.Sgemm;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.CheckedBackend;
import org.ebm4j.tensor.CheckedSampler;

/**
 * The pure-Java backend: tensors are heap {@code float[]}s, operations run one of the two
 * {@link CpuKernels} sets over a fixed {@link CpuParallel} pool. Small tensors run inline on the
 * calling thread; large ones are split into at most {@code threads} contiguous chunks, each with its
 * own workspace, so no call allocates per element or per row. Every result is independent of the
 * thread count: elementwise and random ops are per element, row reductions per row, column sums
 * per column in row order, and {@link #sum}/{@link #dot} add fixed blocks of
 * {@value #REDUCTION_BLOCK} elements in order.
 *
 * <p>The checks of every operation are {@link CheckedBackend}'s; the methods here are the raw work.
 * Not thread-safe: as {@link Backend} says, one thread calls a backend at a time.
 */
public final class CpuBackend extends CheckedBackend<CpuTensor> {
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
    /** One random/scratch workspace per chunk (chunk index < threads). */
    private final float[][] work;
    private double[] blockSums = new double[0];
    private final double[][] columnAcc = {new double[0], new double[0]};

    /** A backend with the kernel set of {@code -Debm.cpu.kernels} and the pool size of {@code -Debm.threads}. */
    public CpuBackend() {
        this(KernelSelection.fromSystemProperty(), CpuParallel.configuredThreads());
    }

    /** A backend on the given kernel set with a pool of {@code threads} threads (the caller included). */
    public CpuBackend(KernelSelection selection, int threads) {
        super(CpuTensor.class);
        this.selection = selection;
        this.kernels = selection.kernels();
        this.parallel = new CpuParallel(threads);
        this.work = new float[threads][CpuKernels.WORKSPACE_FLOATS];
        this.sgemm = chooseSgemm(kernels, parallel);
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
        CpuCaches caches = CpuCaches.detected();
        m.put("cacheL1dBytes", caches.l1dBytes());
        m.put("cacheL2Bytes", caches.l2Bytes());
        m.put("cacheL3Bytes", caches.l3Bytes());
        m.put("cpus", caches.cores());
        m.put("cacheSource", caches.source());
        if (sgemm instanceof BlockedSgemm blocked) {
            GemmBlocking g = blocked.blocking();
            m.put("gemmTile", blocked.tile());
            m.put("gemmKc", g.kcMax());
            m.put("gemmL2BlockFloats", g.l2BlockFloats());
            m.put("gemmPackedBCapFloats", g.packedBCapFloats());
        }
        m.put("java", System.getProperty("java.version"));
        return Collections.unmodifiableMap(m);
    }

    @Override
    protected CheckedSampler<CpuTensor> newSampler() {
        return new CpuSampler(this);
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

    /** The storage of an optional argument, or null. */
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

    /** {@link #split} over the rows of {@code x}, for an op whose work is one pass over {@code x}. */
    void splitRows(CpuTensor x, int minChunk, RangeKernel kernel) {
        split(x.size(), minChunk, x.rows(), kernel);
    }

    /** {@link #split} over the elements of {@code x}. */
    private void splitElements(CpuTensor x, int minChunk, RangeKernel kernel) {
        split(x.size(), minChunk, x.size(), kernel);
    }

    // ---- allocation and data movement ---------------------------------------------------------

    @Override
    protected CpuTensor doAllocate(int rows, int cols) {
        return new CpuTensor(this, rows, cols);
    }

    @Override
    protected void doCopy(CpuTensor src, CpuTensor dst) {
        System.arraycopy(src.data(), 0, dst.data(), 0, src.size());
    }

    @Override
    protected void doFill(CpuTensor x, float value) {
        Arrays.fill(x.data(), value);
    }

    @Override
    protected void doGatherRows(CpuTensor src, int[] rowIndices, int offset, CpuTensor dst) {
        float[] sd = src.data();
        float[] dd = dst.data();
        int cols = dst.cols();
        for (int i = 0; i < dst.rows(); i++) {
            System.arraycopy(sd, rowIndices[offset + i] * cols, dd, i * cols, cols);
        }
    }

    /** An entry that names no row of {@code src} gives a row of NaN, as the SPI states. */
    @Override
    protected void doGatherOrderedRows(CpuTensor src, CpuTensor order, int offset, CpuTensor dst) {
        float[] sd = src.data();
        float[] od = order.data();
        float[] dd = dst.data();
        int cols = dst.cols();
        for (int i = 0; i < dst.rows(); i++) {
            float index = od[offset + i];
            if (index >= 0 && index < src.rows() && index == (int) index) {
                System.arraycopy(sd, (int) index * cols, dd, i * cols, cols);
            } else {
                java.util.Arrays.fill(dd, i * cols, (i + 1) * cols, Float.NaN);
            }
        }
    }

    // ---- linear algebra ---------------------------------------------------------------------------

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, CpuTensor a, CpuTensor b,
                          float beta, CpuTensor c) {
        KernelWarmup.noteCallerWork();
        sgemm.sgemm(transA, transB, m, n, k, alpha, a.data(), a.cols(), b.data(), b.cols(), beta, c.data(), c.cols());
    }

    // ---- elementwise and broadcast --------------------------------------------------------------

    @Override
    protected void doAddRowVector(CpuTensor x, CpuTensor row, float alpha, CpuTensor out) {
        splitRows(x, CHEAP_MIN_CHUNK, (c, lo, hi) ->
                kernels.addRowVector(x.data(), row.data(), alpha, out.data(), x.cols(), lo, hi));
    }

    @Override
    protected void doElementwise(Elementwise op, CpuTensor a, CpuTensor b, CpuTensor out) {
        splitElements(a, CHEAP_MIN_CHUNK, (c, lo, hi) -> elementwiseKernel(op, a.data(), b.data(), out.data(), lo, hi));
    }

    private void elementwiseKernel(Elementwise op, float[] a, float[] b, float[] out, int from, int to) {
        switch (op) {
            case ADD:
                kernels.add(a, b, out, from, to);
                break;
            case SUB:
                kernels.sub(a, b, out, from, to);
                break;
            default:
                kernels.mul(a, b, out, from, to);
                break;
        }
    }

    @Override
    protected void doScale(float alpha, CpuTensor x, CpuTensor out) {
        splitElements(x, CHEAP_MIN_CHUNK, (c, lo, hi) -> kernels.scale(alpha, x.data(), out.data(), lo, hi));
    }

    @Override
    protected void doAxpy(float alpha, CpuTensor x, CpuTensor y) {
        splitElements(x, CHEAP_MIN_CHUNK, (c, lo, hi) -> kernels.axpy(alpha, x.data(), lo, y.data(), lo, hi - lo));
    }

    @Override
    protected void doSigmoid(CpuTensor x, CpuTensor bias, CpuTensor out) {
        splitRows(x, COSTLY_MIN_CHUNK, (c, lo, hi) ->
                kernels.sigmoid(x.data(), dataOf(bias), out.data(), x.cols(), lo, hi));
    }

    /** The kernel form of {@link Backend#activation}: rows split over the thread team (elements are independent). */
    @Override
    protected void doActivation(Activation f, CpuTensor x, CpuTensor bias, CpuTensor value, CpuTensor derivative) {
        splitRows(x, COSTLY_MIN_CHUNK, (c, lo, hi) ->
                kernels.activation(f, x.data(), dataOf(bias), dataOf(value), dataOf(derivative), x.cols(), lo, hi));
    }

    @Override
    protected void doThreshold(CpuTensor x, float t, float below, float atOrAbove, CpuTensor out) {
        splitElements(x, CHEAP_MIN_CHUNK, (c, lo, hi) ->
                kernels.threshold(x.data(), t, below, atOrAbove, out.data(), lo, hi));
    }

    // ---- reductions -------------------------------------------------------------------------------

    @Override
    protected void doColumnSums(CpuTensor x, float alpha, float beta, CpuTensor out) {
        float[] od = out.data();
        double[] acc = columnSums(x, 0);
        for (int j = 0; j < x.cols(); j++) {
            od[j] = beta == 0f ? (float) (alpha * acc[j]) : (float) (alpha * acc[j] + (double) beta * od[j]);
        }
    }

    /**
     * The column sums of {@code x} in double, columns split over the team, each summed in row order,
     * into workspace {@code slot} (0 or 1: a bias step needs both sums at once).
     */
    private double[] columnSums(CpuTensor x, int slot) {
        float[] xd = x.data();
        int rows = x.rows();
        int cols = x.cols();
        if (columnAcc[slot].length < cols) {
            columnAcc[slot] = new double[cols];
        }
        double[] acc = columnAcc[slot];
        split(x.size(), CHEAP_MIN_CHUNK, cols, (c, lo, hi) -> kernels.columnSums(xd, rows, cols, lo, hi, acc));
        return acc;
    }

    /** One pass over the columns after both sums: the same float and double steps as columnSums, columnSums, axpy. */
    @Override
    protected void doBiasMomentumStep(CpuTensor data, float dataScale, CpuTensor model, float modelScale, float keep,
                                      CpuTensor velocity, CpuTensor parameter) {
        double[] a = columnSums(data, 0);
        double[] b = columnSums(model, 1);
        float[] v = velocity.data();
        float[] p = parameter.data();
        for (int j = 0; j < v.length; j++) {
            float first = keep == 0f ? (float) (dataScale * a[j]) : (float) (dataScale * a[j] + (double) keep * v[j]);
            float second = (float) (modelScale * b[j] + (double) 1f * first);
            v[j] = second;
            p[j] = p[j] + 1f * second;
        }
    }

    /** Both axpys chunk by chunk, so each chunk of the two tensors is read once while it is in cache. */
    @Override
    protected void doMomentumStep(float decay, CpuTensor velocity, CpuTensor parameter) {
        float[] v = velocity.data();
        float[] p = parameter.data();
        splitElements(velocity, CHEAP_MIN_CHUNK, (c, lo, hi) -> {
            if (decay != 0f) {
                kernels.axpy(decay, p, lo, v, lo, hi - lo);
            }
            kernels.axpy(1f, v, lo, p, lo, hi - lo);
        });
    }

    @Override
    protected void doSumInto(CpuTensor a, CpuTensor b, CpuTensor sums, int slot) {
        sums.data()[slot] = (float) blockReduce(a.data(), b == null ? null : b.data(), a.size());
    }

    @Override
    protected void doRowSums(CpuTensor x, CpuTensor out) {
        splitRows(x, CHEAP_MIN_CHUNK, (c, lo, hi) -> kernels.rowSums(x.data(), x.cols(), out.data(), lo, hi));
    }

    @Override
    protected void doSoftmaxCrossEntropy(CpuTensor logits, CpuTensor targets, CpuTensor probs, CpuTensor gradOut,
                                         CpuTensor lossPerRow) {
        splitRows(logits, COSTLY_MIN_CHUNK, (c, lo, hi) -> ScalarKernels.softmaxCrossEntropy(logits.data(),
                targets.data(), dataOf(probs), dataOf(gradOut), dataOf(lossPerRow), logits.cols(), lo, hi));
    }

    @Override
    protected void doArgmaxRows(CpuTensor x, CpuTensor out) {
        splitRows(x, CHEAP_MIN_CHUNK, (c, lo, hi) -> ScalarKernels.argmaxRows(x.data(), x.cols(), out.data(), lo, hi));
    }

    @Override
    protected void doSoftplusRowSums(CpuTensor x, CpuTensor bias, float scale, CpuTensor out) {
        splitRows(x, COSTLY_MIN_CHUNK, (c, lo, hi) ->
                kernels.softplusRowSums(x.data(), dataOf(bias), scale, x.cols(), out.data(), lo, hi));
    }

    @Override
    protected void doRowSquaredNorms(CpuTensor x, CpuTensor weights, CpuTensor out) {
        splitRows(x, CHEAP_MIN_CHUNK, (c, lo, hi) ->
                kernels.rowSquaredNorms(x.data(), dataOf(weights), x.cols(), out.data(), lo, hi));
    }

    @Override
    protected double doSum(CpuTensor x) {
        float[] xd = x.data();
        return blockReduce(xd, null, xd.length);
    }

    @Override
    protected double doDot(CpuTensor a, CpuTensor b) {
        return blockReduce(a.data(), b.data(), a.size());
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
    protected void doClose() {
        parallel.close();
    }

    @Override
    public String toString() {
        return "CpuBackend[kernels=" + kernels.name() + ", threads=" + parallel.threads() + ", gemm=" + sgemm.name()
                + "]";
    }
}
