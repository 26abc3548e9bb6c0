package org.ebm4j.tensor;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The checked facade every backend extends: each operation of {@link Backend} is a final method
 * here that checks the call once (the backend is open; every tensor is non-null, open, owned by
 * this backend and of its tensor class; shapes, aliasing and values as {@link Backend} states) and
 * then hands the backend's own tensors to a {@code protected} raw method ({@code doGemm},
 * {@code doSigmoid}, ...) that does the work and checks nothing. The random half is the same split in
 * {@link CheckedSampler}. The pattern is Lucene's {@code VectorUtil} over {@code VectorUtilSupport}:
 * since no backend writes a check, the CPU, CUDA and reference backends cannot drift apart in what
 * they accept or in the messages they give.
 *
 * <h2>Why an abstract class under the {@link Backend} interface</h2>
 * Models, the CLI and the benchmarks call {@link Backend} and {@link Sampler}, and some wrap them in
 * dynamic proxies (the benchmarks' per-op timer); those stay interfaces, so no caller changes. The
 * checks live here instead, where a backend cannot override them ({@code final}) and a caller outside
 * the backend's package cannot reach the unchecked work ({@code protected}), even holding the
 * concrete backend class.
 *
 * <h2>What a raw method may assume</h2>
 * Every tensor argument is open, belongs to this backend and is a {@code T}; an optional one is null
 * exactly when the caller passed null; shapes and aliasing are as the {@link Backend} method states;
 * the checks ran before any output was touched. Beyond that a raw method is the operation's
 * specification and nothing else. The checks are O(1) per call, except the index check of
 * {@link #gatherRows}, which is linear in the rows gathered; the fast path allocates nothing.
 *
 * @param <T> this backend's tensor class
 */
public abstract class CheckedBackend<T extends Tensor> implements Backend {
    private final Class<T> tensorType;
    private final AtomicBoolean closed = new AtomicBoolean();
    private CheckedSampler<T> sampler;

    /** @param tensorType the class of the tensors {@link #doAllocate} creates */
    protected CheckedBackend(Class<T> tensorType) {
        if (tensorType == null) {
            throw new IllegalArgumentException("tensorType is null");
        }
        this.tensorType = tensorType;
    }

    // ---- the checks -------------------------------------------------------------------------

    /** Whether {@link #close()} has been called. */
    public final boolean isClosed() {
        return closed.get();
    }

    /**
     * Throws {@link IllegalStateException} when this backend has been closed, then runs
     * {@link #beforeOperation()}. Every operation starts here; a backend's own extra operations call it too.
     */
    protected final void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the " + name() + " backend was used after close(); expected an open backend");
        }
        beforeOperation();
    }

    /**
     * Runs at the start of every operation, after the open check and before the arguments are
     * checked: the CUDA backend binds its device context to the calling thread here. Does nothing by
     * default.
     */
    protected void beforeOperation() {
    }

    /**
     * Argument {@code name} of operation {@code op} as this backend's tensor: throws
     * {@link IllegalArgumentException} if it is null, of another backend or of another class, and
     * {@link IllegalStateException} if it was closed.
     */
    @SuppressWarnings("unchecked")
    protected final T use(String op, String name, Tensor t) {
        Shapes.checkUsable(this, op, name, t);
        // The exact-class test first: backends' tensor classes are final, and against a class that is
        // not a compile-time constant it costs less than the subtype test isInstance makes.
        if (t.getClass() != tensorType && !tensorType.isInstance(t)) {
            throw new IllegalArgumentException(op + ": tensor '" + name + "' claims backend '" + name()
                    + "' but is a " + t.getClass().getName() + "; expected a " + tensorType.getSimpleName()
                    + " allocated by that backend");
        }
        return (T) t;
    }

    /** {@link #use} for an optional argument: null stays null. */
    protected final T useOptional(String op, String name, Tensor t) {
        return t == null ? null : use(op, name, t);
    }

    // ---- the raw operations a backend implements ----------------------------------------------

    /** A new zero-filled {@code rows x cols} tensor (dimensions already checked positive). */
    protected abstract T doAllocate(int rows, int cols);

    /** {@code dst = src}; they are different tensors of one shape. */
    protected abstract void doCopy(T src, T dst);

    protected abstract void doFill(T x, float value);

    /** The indices {@code rowIndices[offset .. offset + dst.rows())} are checked to lie in {@code [0, src.rows())}. */
    protected abstract void doGatherRows(T src, int[] rowIndices, int offset, T dst);

    /**
     * {@code order} is a row vector of at least {@code offset + dst.rows()} entries and {@code src}
     * has at most {@value Backend#MAX_ORDERED_ROWS} rows; the entries are not checked (a bad one must give a
     * row of NaN, never a read outside {@code src}).
     */
    protected abstract void doGatherOrderedRows(T src, T order, int offset, T dst);

    /** {@code op(a)} is {@code m x k}, {@code op(b)} {@code k x n}, {@code c} {@code m x n} and neither {@code a} nor {@code b}. */
    protected abstract void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, T a, T b, float beta,
                                   T c);

    protected abstract void doAddRowVector(T x, T row, float alpha, T out);

    /** The elementwise binary operations, one raw method for the three ({@link #doElementwise}). */
    protected enum Elementwise {
        /** {@code out = a + b}. */
        ADD,
        /** {@code out = a - b}. */
        SUB,
        /** {@code out = a * b}. */
        MUL
    }

    /** {@code out = a op b} elementwise; the three tensors have one shape. */
    protected abstract void doElementwise(Elementwise op, T a, T b, T out);

    protected abstract void doScale(float alpha, T x, T out);

    protected abstract void doAxpy(float alpha, T x, T y);

    protected abstract void doSigmoid(T x, T bias, T out);

    /**
     * {@link Backend#activation} after its checks. This default computes on the host through
     * {@link Tensor#copyTo} and {@link Tensor#copyFrom}: correct everywhere, but it moves the data
     * and allocates, so a backend with a kernel overrides it.
     */
    protected void doActivation(Activation f, T x, T bias, T value, T derivative) {
        int rows = x.rows();
        int cols = x.cols();
        float[] in = x.toArray();
        float[] b = bias == null ? null : bias.toArray();
        float[] v = value == null ? null : new float[in.length];
        float[] d = derivative == null ? null : new float[in.length];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int e = r * cols + j;
                double z = (double) in[e] + (b == null ? 0.0 : b[j]);
                if (v != null) {
                    v[e] = (float) f.value(z);
                }
                if (d != null) {
                    d[e] = (float) f.derivative(z);
                }
            }
        }
        if (v != null) {
            value.copyFrom(v);
        }
        if (d != null) {
            derivative.copyFrom(d);
        }
    }

    protected abstract void doThreshold(T x, float t, float below, float atOrAbove, T out);

    protected abstract void doColumnSums(T x, float alpha, float beta, T out);

    protected abstract void doRowSums(T x, T out);

    protected abstract void doSoftplusRowSums(T x, T bias, float scale, T out);

    protected abstract void doRowSquaredNorms(T x, T weights, T out);

    protected abstract void doSoftmaxCrossEntropy(T logits, T targets, T probs, T gradOut, T lossPerRow);

    protected abstract void doArgmaxRows(T x, T out);

    protected abstract double doSum(T x);

    protected abstract double doDot(T a, T b);

    /** {@code b} is null or of {@code a}'s shape; {@code slot} is an element of {@code sums}. */
    protected abstract void doSumInto(T a, T b, T sums, int slot);

    /** {@code velocity} and {@code parameter}: different tensors of one shape. */
    protected abstract void doMomentumStep(float decay, T velocity, T parameter);

    /** Shapes as {@link Backend#biasMomentumStep} states them; {@code velocity} is not {@code parameter}. */
    protected abstract void doBiasMomentumStep(T data, float dataScale, T model, float modelScale, float keep, T velocity,
                                               T parameter);

    /** This backend's sampler; called once, by the first {@link #sampler()}. */
    protected abstract CheckedSampler<T> newSampler();

    /** Releases the backend's resources; called once, by the first {@link #close()}. */
    protected abstract void doClose();

    // ---- the facade ---------------------------------------------------------------------------

    @Override
    public final Sampler sampler() {
        checkOpen();
        CheckedSampler<T> s = sampler;
        if (s == null) {
            s = newSampler();
            sampler = s;
        }
        return s;
    }

    @Override
    public final Tensor allocate(int rows, int cols) {
        checkOpen();
        Shapes.checkDimensions(rows, cols);
        return doAllocate(rows, cols);
    }

    @Override
    public final Tensor fromArray(float[] data, int rows, int cols) {
        checkOpen();
        Shapes.checkDimensions(rows, cols);
        Shapes.checkHostRange("fromArray", data, 0, rows * cols);
        T t = doAllocate(rows, cols);
        try {
            t.copyFrom(data, 0);
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Copying a tensor onto itself does nothing. */
    @Override
    public final void copy(Tensor src, Tensor dst) {
        checkSameShape("copy", "src", src, "dst", dst);
        if (src != dst) {
            doCopy(cast(src), cast(dst));
        }
    }

    @Override
    public final void fill(Tensor x, float value) {
        checkOpen();
        doFill(use("fill", "x", x), value);
    }

    @Override
    public final void gatherRows(Tensor src, int[] rowIndices, int offset, Tensor dst) {
        checkOpen();
        T s = use("gatherRows", "src", src);
        T d = use("gatherRows", "dst", dst);
        OpChecks.gatherRows(s, rowIndices, offset, d);
        doGatherRows(s, rowIndices, offset, d);
    }

    @Override
    public final void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        checkProduct("gemm", transA, a, transB, b, "c", c);
        int k = transA ? a.rows() : a.cols();
        doGemm(transA, transB, c.rows(), c.cols(), k, alpha, cast(a), cast(b), beta, cast(c));
    }

    /**
     * The checks of a product {@code c = op(a) op(b)} ({@code gemm}'s, and the sampler's fused product
     * with {@code c} named {@code cName}): open, the three tensors usable, the shapes agree, and
     * {@code c} is neither {@code a} nor {@code b}.
     */
    final void checkProduct(String op, boolean transA, Tensor a, boolean transB, Tensor b, String cName, Tensor c) {
        checkOpen();
        use(op, "a", a);
        use(op, "b", b);
        use(op, cName, c);
        OpChecks.product(op, transA, a, transB, b, cName, c);
    }

    @Override
    public final void addRowVector(Tensor x, Tensor row, float alpha, Tensor out) {
        checkRowBroadcast("addRowVector", "x", x, "row", row, true, out);
        doAddRowVector(cast(x), cast(row), alpha, cast(out));
    }

    @Override
    public final void add(Tensor a, Tensor b, Tensor out) {
        elementwise("add", Elementwise.ADD, a, b, out);
    }

    @Override
    public final void sub(Tensor a, Tensor b, Tensor out) {
        elementwise("sub", Elementwise.SUB, a, b, out);
    }

    @Override
    public final void mul(Tensor a, Tensor b, Tensor out) {
        elementwise("mul", Elementwise.MUL, a, b, out);
    }

    /** {@code add}, {@code sub} and {@code mul}: {@code a}, {@code b} and {@code out} usable and of one shape. */
    private void elementwise(String op, Elementwise kind, Tensor a, Tensor b, Tensor out) {
        checkOpen();
        use(op, "a", a);
        use(op, "b", b);
        use(op, "out", out);
        OpChecks.elementwise(op, a, b, out);
        doElementwise(kind, cast(a), cast(b), cast(out));
    }

    @Override
    public final void scale(float alpha, Tensor x, Tensor out) {
        checkSameShape("scale", "x", x, "out", out);
        doScale(alpha, cast(x), cast(out));
    }

    @Override
    public final void axpy(float alpha, Tensor x, Tensor y) {
        checkSameShape("axpy", "x", x, "y", y);
        doAxpy(alpha, cast(x), cast(y));
    }

    @Override
    public final void sigmoid(Tensor x, Tensor bias, Tensor out) {
        checkRowBroadcast("sigmoid", "x", x, "bias", bias, false, out);
        doSigmoid(cast(x), cast(bias), cast(out));
    }

    @Override
    public final void activation(Activation f, Tensor x, Tensor bias, Tensor value, Tensor derivative) {
        checkOpen();
        String op = "activation";
        OpChecks.activationRequest(f, value, derivative);
        T tx = use(op, "x", x);
        T tb = useOptional(op, "bias", bias);
        T tv = useOptional(op, "value", value);
        T td = useOptional(op, "derivative", derivative);
        OpChecks.activation(tx, tb, tv, td);
        doActivation(f, tx, tb, tv, td);
    }

    @Override
    public final void threshold(Tensor x, float t, float below, float atOrAbove, Tensor out) {
        checkSameShape("threshold", "x", x, "out", out);
        doThreshold(cast(x), t, below, atOrAbove, cast(out));
    }

    @Override
    public final void columnSums(Tensor x, float alpha, float beta, Tensor out) {
        checkOpen();
        T tx = use("columnSums", "x", x);
        T to = use("columnSums", "out", out);
        Shapes.checkRowVector("columnSums", "out", to, "x", tx);
        doColumnSums(tx, alpha, beta, to);
    }

    @Override
    public final void rowSums(Tensor x, Tensor out) {
        checkRowReduction("rowSums", x, null, null, out);
        doRowSums(cast(x), cast(out));
    }

    @Override
    public final void softplusRowSums(Tensor x, Tensor bias, float scale, Tensor out) {
        checkRowReduction("softplusRowSums", x, "bias", bias, out);
        doSoftplusRowSums(cast(x), cast(bias), scale, cast(out));
    }

    @Override
    public final void rowSquaredNorms(Tensor x, Tensor weights, Tensor out) {
        checkRowReduction("rowSquaredNorms", x, "weights", weights, out);
        doRowSquaredNorms(cast(x), cast(weights), cast(out));
    }

    @Override
    public final void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor gradOut,
                                          Tensor lossPerRow) {
        checkOpen();
        String op = "softmaxCrossEntropy";
        T tz = use(op, "logits", logits);
        T tt = use(op, "targets", targets);
        T tp = useOptional(op, "probs", probs);
        T tg = useOptional(op, "gradOut", gradOut);
        T tl = useOptional(op, "lossPerRow", lossPerRow);
        OpChecks.softmaxCrossEntropy(tz, tt, tp, tg, tl);
        doSoftmaxCrossEntropy(tz, tt, tp, tg, tl);
    }

    @Override
    public final void argmaxRows(Tensor x, Tensor out) {
        checkRowReduction("argmaxRows", x, null, null, out);
        doArgmaxRows(cast(x), cast(out));
    }

    @Override
    public final double sum(Tensor x) {
        checkOpen();
        return doSum(use("sum", "x", x));
    }

    @Override
    public final double dot(Tensor a, Tensor b) {
        checkSameShape("dot", "a", a, "b", b);
        return doDot(cast(a), cast(b));
    }

    @Override
    public final void gatherOrderedRows(Tensor src, Tensor order, int offset, Tensor dst) {
        checkOpen();
        String op = "gatherOrderedRows";
        T s = use(op, "src", src);
        T o = use(op, "order", order);
        T d = use(op, "dst", dst);
        OpChecks.gatherOrderedRows(s, o, offset, d);
        doGatherOrderedRows(s, o, offset, d);
    }

    /** The checks of {@link #sum} ({@code b} null) or {@link #dot}, then those of the slot. */
    @Override
    public final void sumInto(Tensor a, Tensor b, Tensor sums, int slot) {
        if (b == null) {
            checkOpen();
            use("sumInto", "a", a);
        } else {
            checkSameShape("sumInto", "a", a, "b", b);
        }
        OpChecks.sumIntoSlot(use("sumInto", "sums", sums), slot);
        doSumInto(cast(a), cast(b), cast(sums), slot);
    }

    /** The checks of {@link #axpy}, and two distinct tensors. */
    @Override
    public final void momentumStep(float decay, Tensor velocity, Tensor parameter) {
        checkSameShape("momentumStep", "velocity", velocity, "parameter", parameter);
        OpChecks.distinct("momentumStep", "velocity", velocity, "parameter", parameter);
        doMomentumStep(decay, cast(velocity), cast(parameter));
    }

    @Override
    public final void biasMomentumStep(Tensor data, float dataScale, Tensor model, float modelScale, float keep,
                                       Tensor velocity, Tensor parameter) {
        checkSameShape("biasMomentumStep", "velocity", velocity, "parameter", parameter);
        use("biasMomentumStep", "data", data);
        use("biasMomentumStep", "model", model);
        OpChecks.biasMomentumStep(data, model, velocity, parameter);
        doBiasMomentumStep(cast(data), dataScale, cast(model), modelScale, keep, cast(velocity), cast(parameter));
    }

    // ---- the checks that several operations share -----------------------------------------------
    // Each runs the open check, then use() on every tensor in argument order, then the shape rule;
    // after it the tensors may be cast without a test.

    /** A tensor that {@link #use} has accepted (or null), as {@code T}. */
    @SuppressWarnings("unchecked")
    final T cast(Tensor t) {
        return (T) t;
    }

    /** Two tensors of one shape ({@code copy}, {@code scale}, {@code axpy}, {@code threshold}, {@code dot}, {@code sampleBernoulli}). */
    final void checkSameShape(String op, String nameA, Tensor a, String nameB, Tensor b) {
        checkOpen();
        use(op, nameA, a);
        use(op, nameB, b);
        Shapes.checkSameShape(op, nameA, a, nameB, b);
    }

    /** {@code out = f(x + row)}: a row vector (optional unless {@code rowRequired}) added to every row of {@code x}. */
    final void checkRowBroadcast(String op, String xName, Tensor x, String rowName, Tensor row, boolean rowRequired,
                                 Tensor out) {
        checkOpen();
        use(op, xName, x);
        if (rowRequired) {
            use(op, rowName, row);
        } else {
            useOptional(op, rowName, row);
        }
        use(op, "out", out);
        OpChecks.rowBroadcast(op, xName, x, rowName, row, out);
    }

    /** {@code out[r, 0]} reduces row {@code r} of {@code x}, with an optional row vector named {@code rowName} (null: none). */
    private void checkRowReduction(String op, Tensor x, String rowName, Tensor row, Tensor out) {
        checkOpen();
        use(op, "x", x);
        if (rowName != null) {
            useOptional(op, rowName, row);
        }
        use(op, "out", out);
        OpChecks.rowReduction(op, x, rowName, row, out);
    }

    /** Marks the backend closed, then releases its resources ({@link #doClose()}) once; a second call does nothing. */
    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            doClose();
        }
    }
}
