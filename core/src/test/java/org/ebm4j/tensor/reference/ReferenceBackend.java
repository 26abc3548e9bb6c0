package org.ebm4j.tensor.reference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.CheckedBackend;
import org.ebm4j.tensor.CheckedSampler;

/**
 * A plain, single-threaded backend written directly from the Javadoc of {@link Backend}: one loop
 * per operation, sums accumulated in double and rounded to float once. It exists so that core's
 * models can be unit-tested without a real backend module and so that the contract suite can be
 * validated against something obviously correct. Like every backend it checks nothing itself
 * ({@link CheckedBackend} does), and its activation is the facade's host default. Test-only: it is
 * not registered with {@link java.util.ServiceLoader}.
 */
public final class ReferenceBackend extends CheckedBackend<ReferenceTensor> {
    public static final String NAME = "reference";

    // Backends created on this thread while a leak check watches it (null when none does).
    private static final ThreadLocal<List<ReferenceBackend>> WATCHED = new ThreadLocal<>();

    // Tensors allocated and possibly still open; closed ones are dropped now and then, so a long test
    // that allocates and closes in a loop keeps this list short.
    private final List<ReferenceTensor> tensors = new ArrayList<>();
    private int pruneAt = 64;

    public ReferenceBackend() {
        super(ReferenceTensor.class);
        List<ReferenceBackend> watched = WATCHED.get();
        if (watched != null) {
            watched.add(this);
        }
    }

    /**
     * Starts collecting the backends created on this thread, for a leak check that counts their
     * open tensors afterwards; returns the (live) list they are added to.
     */
    public static List<ReferenceBackend> watchCreated() {
        List<ReferenceBackend> list = new ArrayList<>();
        WATCHED.set(list);
        return list;
    }

    /** Stops collecting the backends created on this thread. */
    public static void stopWatching() {
        WATCHED.remove();
    }

    /** The tensors of this backend that are still open, as shapes {@code rows x cols}, oldest first. */
    public synchronized List<String> openTensors() {
        List<String> open = new ArrayList<>();
        for (ReferenceTensor t : tensors) {
            if (!t.isClosed()) {
                open.add(t.rows() + "x" + t.cols());
            }
        }
        return open;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", NAME);
        m.put("threads", 1);
        m.put("purpose", "test reference (plain loops, double accumulation)");
        return m;
    }

    @Override
    protected CheckedSampler<ReferenceTensor> newSampler() {
        return new ReferenceSampler(this);
    }

    // ---- allocation and data movement -------------------------------------------------------

    @Override
    protected ReferenceTensor doAllocate(int rows, int cols) {
        ReferenceTensor t = new ReferenceTensor(this, rows, cols);
        synchronized (this) {
            if (tensors.size() >= pruneAt) {
                tensors.removeIf(ReferenceTensor::isClosed);
                pruneAt = Math.max(64, 2 * tensors.size());
            }
            tensors.add(t);
        }
        return t;
    }

    @Override
    protected void doCopy(ReferenceTensor src, ReferenceTensor dst) {
        System.arraycopy(src.data(), 0, dst.data(), 0, src.size());
    }

    @Override
    protected void doFill(ReferenceTensor x, float value) {
        float[] xs = x.data();
        for (int i = 0; i < xs.length; i++) {
            xs[i] = value;
        }
    }

    @Override
    protected void doGatherRows(ReferenceTensor src, int[] rowIndices, int offset, ReferenceTensor dst) {
        int cols = src.cols();
        for (int i = 0; i < dst.rows(); i++) {
            System.arraycopy(src.data(), rowIndices[offset + i] * cols, dst.data(), i * cols, cols);
        }
    }

    // ---- linear algebra ---------------------------------------------------------------------

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, ReferenceTensor ta,
                          ReferenceTensor tb, float beta, ReferenceTensor tc) {
        // Rows of op(a) and columns of op(b), copied out so that the dot products read contiguously.
        float[] rowsOfA = new float[m * k];
        float[] colsOfB = new float[n * k];
        for (int p = 0; p < k; p++) {
            for (int i = 0; i < m; i++) {
                rowsOfA[i * k + p] = transA ? ta.get(p, i) : ta.get(i, p);
            }
            for (int j = 0; j < n; j++) {
                colsOfB[j * k + p] = transB ? tb.get(j, p) : tb.get(p, j);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    acc += (double) rowsOfA[i * k + p] * colsOfB[j * k + p];
                }
                double v = (double) alpha * acc;
                if (beta != 0f) {
                    v += (double) beta * tc.get(i, j);
                }
                tc.set(i, j, (float) v);
            }
        }
    }

    // ---- elementwise and broadcast ----------------------------------------------------------

    @Override
    protected void doAddRowVector(ReferenceTensor x, ReferenceTensor row, float alpha, ReferenceTensor out) {
        for (int r = 0; r < x.rows(); r++) {
            for (int j = 0; j < x.cols(); j++) {
                out.set(r, j, (float) (x.get(r, j) + (double) alpha * row.get(0, j)));
            }
        }
    }

    /** {@code out[i] = a[i] op b[i]} in double, rounded to float once. */
    @Override
    protected void doElementwise(Elementwise op, ReferenceTensor a, ReferenceTensor b, ReferenceTensor out) {
        DoubleBinaryOperator f = switch (op) {
            case ADD -> Double::sum;
            case SUB -> (x, y) -> x - y;
            case MUL -> (x, y) -> x * y;
        };
        float[] as = a.data();
        float[] bs = b.data();
        float[] os = out.data();
        for (int i = 0; i < as.length; i++) {
            os[i] = (float) f.applyAsDouble(as[i], bs[i]);
        }
    }

    @Override
    protected void doScale(float alpha, ReferenceTensor x, ReferenceTensor out) {
        float[] xs = x.data();
        float[] os = out.data();
        for (int i = 0; i < xs.length; i++) {
            os[i] = (float) ((double) alpha * xs[i]);
        }
    }

    @Override
    protected void doAxpy(float alpha, ReferenceTensor x, ReferenceTensor y) {
        float[] xs = x.data();
        float[] ys = y.data();
        for (int i = 0; i < xs.length; i++) {
            ys[i] = (float) (ys[i] + (double) alpha * xs[i]);
        }
    }

    @Override
    protected void doSigmoid(ReferenceTensor x, ReferenceTensor bias, ReferenceTensor out) {
        for (int r = 0; r < x.rows(); r++) {
            for (int j = 0; j < x.cols(); j++) {
                double z = (double) x.get(r, j) + (bias == null ? 0.0 : bias.get(0, j));
                out.set(r, j, (float) (1.0 / (1.0 + Math.exp(-z))));
            }
        }
    }

    @Override
    protected void doThreshold(ReferenceTensor x, float t, float below, float atOrAbove, ReferenceTensor out) {
        float[] xs = x.data();
        float[] os = out.data();
        for (int i = 0; i < xs.length; i++) {
            os[i] = xs[i] >= t ? atOrAbove : below;
        }
    }

    // ---- reductions -------------------------------------------------------------------------

    @Override
    protected void doColumnSums(ReferenceTensor x, float alpha, float beta, ReferenceTensor out) {
        for (int j = 0; j < x.cols(); j++) {
            double acc = 0;
            for (int r = 0; r < x.rows(); r++) {
                acc += x.get(r, j);
            }
            double v = (double) alpha * acc;
            if (beta != 0f) {
                v += (double) beta * out.get(0, j);
            }
            out.set(0, j, (float) v);
        }
    }

    @Override
    protected void doRowSums(ReferenceTensor x, ReferenceTensor out) {
        for (int r = 0; r < x.rows(); r++) {
            double acc = 0;
            for (int j = 0; j < x.cols(); j++) {
                acc += x.get(r, j);
            }
            out.set(r, 0, (float) acc);
        }
    }

    @Override
    protected void doSoftplusRowSums(ReferenceTensor x, ReferenceTensor bias, float scale, ReferenceTensor out) {
        for (int r = 0; r < x.rows(); r++) {
            double acc = 0;
            for (int j = 0; j < x.cols(); j++) {
                double z = (double) scale * ((double) x.get(r, j) + (bias == null ? 0.0 : bias.get(0, j)));
                // log(1 + e^z) = max(z, 0) + log1p(e^-|z|): never overflows.
                acc += Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
            }
            out.set(r, 0, (float) acc);
        }
    }

    @Override
    protected void doRowSquaredNorms(ReferenceTensor x, ReferenceTensor weights, ReferenceTensor out) {
        for (int r = 0; r < x.rows(); r++) {
            double acc = 0;
            for (int j = 0; j < x.cols(); j++) {
                double v = x.get(r, j);
                acc += (weights == null ? 1.0 : weights.get(0, j)) * v * v;
            }
            out.set(r, 0, (float) acc);
        }
    }

    @Override
    protected void doSoftmaxCrossEntropy(ReferenceTensor logits, ReferenceTensor targets, ReferenceTensor probs,
                                         ReferenceTensor gradOut, ReferenceTensor lossPerRow) {
        int rows = logits.rows();
        int k = logits.cols();
        // Computed from copies first, so any aliasing the Javadoc allows is harmless.
        double[][] res = ReferenceOps.softmaxCrossEntropy(logits.data().clone(), targets.data().clone(), rows, k);
        for (int i = 0; i < rows * k; i++) {
            if (probs != null) {
                probs.data()[i] = (float) res[0][i];
            }
            if (gradOut != null) {
                gradOut.data()[i] = (float) res[1][i];
            }
        }
        if (lossPerRow != null) {
            for (int r = 0; r < rows; r++) {
                lossPerRow.set(r, 0, (float) res[2][r]);
            }
        }
    }

    @Override
    protected void doArgmaxRows(ReferenceTensor x, ReferenceTensor out) {
        int[] idx = ReferenceOps.argmaxRows(x.data(), x.rows(), x.cols());
        for (int r = 0; r < idx.length; r++) {
            out.set(r, 0, idx[r]);
        }
    }

    @Override
    protected double doSum(ReferenceTensor x) {
        double acc = 0;
        for (float v : x.data()) {
            acc += v;
        }
        return acc;
    }

    @Override
    protected double doDot(ReferenceTensor a, ReferenceTensor b) {
        float[] as = a.data();
        float[] bs = b.data();
        double acc = 0;
        for (int i = 0; i < as.length; i++) {
            acc += (double) as[i] * bs[i];
        }
        return acc;
    }

    @Override
    protected void doGatherOrderedRows(ReferenceTensor src, ReferenceTensor order, int offset, ReferenceTensor dst) {
        int cols = src.cols();
        for (int i = 0; i < dst.rows(); i++) {
            float index = order.get(0, offset + i);
            boolean valid = index >= 0 && index < src.rows() && index == Math.floor(index);
            for (int j = 0; j < cols; j++) {
                dst.set(i, j, valid ? src.get((int) index, j) : Float.NaN);
            }
        }
    }

    @Override
    protected void doSumInto(ReferenceTensor a, ReferenceTensor b, ReferenceTensor sums, int slot) {
        sums.data()[slot] = (float) (b == null ? doSum(a) : doDot(a, b));
    }

    @Override
    protected void doMomentumStep(float decay, ReferenceTensor velocity, ReferenceTensor parameter) {
        if (decay != 0f) {
            doAxpy(decay, parameter, velocity);
        }
        doAxpy(1f, velocity, parameter);
    }

    @Override
    protected void doBiasMomentumStep(ReferenceTensor data, float dataScale, ReferenceTensor model, float modelScale,
                                      float keep, ReferenceTensor velocity, ReferenceTensor parameter) {
        doColumnSums(data, dataScale, keep, velocity);
        doColumnSums(model, modelScale, 1f, velocity);
        doAxpy(1f, velocity, parameter);
    }

    /** Nothing to release: tensors are garbage-collected arrays. */
    @Override
    protected void doClose() {
    }

    @Override
    public String toString() {
        return "ReferenceBackend";
    }
}
