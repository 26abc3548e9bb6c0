package org.ebm4j.tensor.reference;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.OpChecks;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Shapes;
import org.ebm4j.tensor.Tensor;

/**
 * A plain, single-threaded backend written directly from the Javadoc of {@link Backend}: one loop
 * per operation, sums accumulated in double and rounded to float once. It exists so that core's
 * models can be unit-tested without a real backend module and so that the contract suite can be
 * validated against something obviously correct. Test-only: it is not registered with
 * {@link java.util.ServiceLoader}.
 */
public final class ReferenceBackend implements Backend {
    public static final String NAME = "reference";

    private final ReferenceSampler sampler = new ReferenceSampler(this);

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
    public Sampler sampler() {
        return sampler;
    }

    /** Checks that {@code t} is usable here and returns its storage. */
    ReferenceTensor open(String op, String name, Tensor t) {
        Shapes.checkUsable(this, op, name, t);
        return (ReferenceTensor) t;
    }

    /** As {@link #open} but {@code null} passes through (optional arguments). */
    ReferenceTensor openOrNull(String op, String name, Tensor t) {
        return t == null ? null : open(op, name, t);
    }

    // ---- allocation and data movement -------------------------------------------------------

    @Override
    public Tensor allocate(int rows, int cols) {
        return new ReferenceTensor(this, rows, cols);
    }

    @Override
    public Tensor fromArray(float[] data, int rows, int cols) {
        Shapes.checkDimensions(rows, cols);
        Shapes.checkHostRange("fromArray", data, 0, rows * cols);
        ReferenceTensor t = new ReferenceTensor(this, rows, cols);
        t.copyFrom(data, 0);
        return t;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        ReferenceTensor s = open("copy", "src", src);
        ReferenceTensor d = open("copy", "dst", dst);
        OpChecks.copy(s, d);
        System.arraycopy(s.data(), 0, d.data(), 0, s.size());
    }

    @Override
    public void fill(Tensor x, float value) {
        float[] xs = open("fill", "x", x).data();
        for (int i = 0; i < xs.length; i++) {
            xs[i] = value;
        }
    }

    @Override
    public void gatherRows(Tensor src, int[] rowIndices, int offset, Tensor dst) {
        ReferenceTensor s = open("gatherRows", "src", src);
        ReferenceTensor d = open("gatherRows", "dst", dst);
        OpChecks.gatherRows(s, rowIndices, offset, d);
        int cols = s.cols();
        for (int i = 0; i < d.rows(); i++) {
            System.arraycopy(s.data(), rowIndices[offset + i] * cols, d.data(), i * cols, cols);
        }
    }

    // ---- linear algebra ---------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        ReferenceTensor ta = open("gemm", "a", a);
        ReferenceTensor tb = open("gemm", "b", b);
        ReferenceTensor tc = open("gemm", "c", c);
        OpChecks.gemm(transA, ta, transB, tb, tc);
        int m = tc.rows();
        int n = tc.cols();
        int k = transA ? ta.rows() : ta.cols();
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
    public void addRowVector(Tensor x, Tensor row, float alpha, Tensor out) {
        ReferenceTensor tx = open("addRowVector", "x", x);
        ReferenceTensor tr = open("addRowVector", "row", row);
        ReferenceTensor to = open("addRowVector", "out", out);
        OpChecks.addRowVector(tx, tr, to);
        for (int r = 0; r < tx.rows(); r++) {
            for (int j = 0; j < tx.cols(); j++) {
                to.set(r, j, (float) (tx.get(r, j) + (double) alpha * tr.get(0, j)));
            }
        }
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        float[][] abo = binary("add", a, b, out);
        for (int i = 0; i < abo[0].length; i++) {
            abo[2][i] = (float) ((double) abo[0][i] + abo[1][i]);
        }
    }

    @Override
    public void sub(Tensor a, Tensor b, Tensor out) {
        float[][] abo = binary("sub", a, b, out);
        for (int i = 0; i < abo[0].length; i++) {
            abo[2][i] = (float) ((double) abo[0][i] - abo[1][i]);
        }
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        float[][] abo = binary("mul", a, b, out);
        for (int i = 0; i < abo[0].length; i++) {
            abo[2][i] = (float) ((double) abo[0][i] * abo[1][i]);
        }
    }

    private float[][] binary(String op, Tensor a, Tensor b, Tensor out) {
        ReferenceTensor ta = open(op, "a", a);
        ReferenceTensor tb = open(op, "b", b);
        ReferenceTensor to = open(op, "out", out);
        OpChecks.binary(op, ta, tb, to);
        return new float[][] {ta.data(), tb.data(), to.data()};
    }

    @Override
    public void scale(float alpha, Tensor x, Tensor out) {
        ReferenceTensor tx = open("scale", "x", x);
        ReferenceTensor to = open("scale", "out", out);
        OpChecks.scale(tx, to);
        float[] xs = tx.data();
        float[] os = to.data();
        for (int i = 0; i < xs.length; i++) {
            os[i] = (float) ((double) alpha * xs[i]);
        }
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        ReferenceTensor tx = open("axpy", "x", x);
        ReferenceTensor ty = open("axpy", "y", y);
        OpChecks.axpy(tx, ty);
        float[] xs = tx.data();
        float[] ys = ty.data();
        for (int i = 0; i < xs.length; i++) {
            ys[i] = (float) (ys[i] + (double) alpha * xs[i]);
        }
    }

    @Override
    public void sigmoid(Tensor x, Tensor bias, Tensor out) {
        ReferenceTensor tx = open("sigmoid", "x", x);
        ReferenceTensor tb = openOrNull("sigmoid", "bias", bias);
        ReferenceTensor to = open("sigmoid", "out", out);
        OpChecks.sigmoid(tx, tb, to);
        for (int r = 0; r < tx.rows(); r++) {
            for (int j = 0; j < tx.cols(); j++) {
                double z = (double) tx.get(r, j) + (tb == null ? 0.0 : tb.get(0, j));
                to.set(r, j, (float) (1.0 / (1.0 + Math.exp(-z))));
            }
        }
    }

    @Override
    public void threshold(Tensor x, float t, float below, float atOrAbove, Tensor out) {
        ReferenceTensor tx = open("threshold", "x", x);
        ReferenceTensor to = open("threshold", "out", out);
        OpChecks.threshold(tx, to);
        float[] xs = tx.data();
        float[] os = to.data();
        for (int i = 0; i < xs.length; i++) {
            os[i] = xs[i] >= t ? atOrAbove : below;
        }
    }

    // ---- reductions -------------------------------------------------------------------------

    @Override
    public void columnSums(Tensor x, float alpha, float beta, Tensor out) {
        ReferenceTensor tx = open("columnSums", "x", x);
        ReferenceTensor to = open("columnSums", "out", out);
        OpChecks.columnSums(tx, to);
        for (int j = 0; j < tx.cols(); j++) {
            double acc = 0;
            for (int r = 0; r < tx.rows(); r++) {
                acc += tx.get(r, j);
            }
            double v = (double) alpha * acc;
            if (beta != 0f) {
                v += (double) beta * to.get(0, j);
            }
            to.set(0, j, (float) v);
        }
    }

    @Override
    public void rowSums(Tensor x, Tensor out) {
        ReferenceTensor tx = open("rowSums", "x", x);
        ReferenceTensor to = open("rowSums", "out", out);
        OpChecks.rowSums(tx, to);
        for (int r = 0; r < tx.rows(); r++) {
            double acc = 0;
            for (int j = 0; j < tx.cols(); j++) {
                acc += tx.get(r, j);
            }
            to.set(r, 0, (float) acc);
        }
    }

    @Override
    public void softplusRowSums(Tensor x, Tensor bias, float scale, Tensor out) {
        ReferenceTensor tx = open("softplusRowSums", "x", x);
        ReferenceTensor tb = openOrNull("softplusRowSums", "bias", bias);
        ReferenceTensor to = open("softplusRowSums", "out", out);
        OpChecks.softplusRowSums(tx, tb, to);
        for (int r = 0; r < tx.rows(); r++) {
            double acc = 0;
            for (int j = 0; j < tx.cols(); j++) {
                double z = (double) scale * ((double) tx.get(r, j) + (tb == null ? 0.0 : tb.get(0, j)));
                // log(1 + e^z) = max(z, 0) + log1p(e^-|z|): never overflows.
                acc += Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
            }
            to.set(r, 0, (float) acc);
        }
    }

    @Override
    public void rowSquaredNorms(Tensor x, Tensor weights, Tensor out) {
        ReferenceTensor tx = open("rowSquaredNorms", "x", x);
        ReferenceTensor tw = openOrNull("rowSquaredNorms", "weights", weights);
        ReferenceTensor to = open("rowSquaredNorms", "out", out);
        OpChecks.rowSquaredNorms(tx, tw, to);
        for (int r = 0; r < tx.rows(); r++) {
            double acc = 0;
            for (int j = 0; j < tx.cols(); j++) {
                double v = tx.get(r, j);
                acc += (tw == null ? 1.0 : tw.get(0, j)) * v * v;
            }
            to.set(r, 0, (float) acc);
        }
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor gradOut, Tensor lossPerRow) {
        String op = "softmaxCrossEntropy";
        ReferenceTensor tz = open(op, "logits", logits);
        ReferenceTensor tt = open(op, "targets", targets);
        ReferenceTensor tp = openOrNull(op, "probs", probs);
        ReferenceTensor tg = openOrNull(op, "gradOut", gradOut);
        ReferenceTensor tl = openOrNull(op, "lossPerRow", lossPerRow);
        OpChecks.softmaxCrossEntropy(tz, tt, tp, tg, tl);
        int rows = tz.rows();
        int k = tz.cols();
        // Computed from copies first, so any aliasing the Javadoc allows is harmless.
        double[][] res = ReferenceOps.softmaxCrossEntropy(tz.data().clone(), tt.data().clone(), rows, k);
        for (int i = 0; i < rows * k; i++) {
            if (tp != null) {
                tp.data()[i] = (float) res[0][i];
            }
            if (tg != null) {
                tg.data()[i] = (float) res[1][i];
            }
        }
        if (tl != null) {
            for (int r = 0; r < rows; r++) {
                tl.set(r, 0, (float) res[2][r]);
            }
        }
    }

    @Override
    public void argmaxRows(Tensor x, Tensor out) {
        ReferenceTensor tx = open("argmaxRows", "x", x);
        ReferenceTensor to = open("argmaxRows", "out", out);
        OpChecks.argmaxRows(tx, to);
        int[] idx = ReferenceOps.argmaxRows(tx.data(), tx.rows(), tx.cols());
        for (int r = 0; r < idx.length; r++) {
            to.set(r, 0, idx[r]);
        }
    }

    @Override
    public double sum(Tensor x) {
        double acc = 0;
        for (float v : open("sum", "x", x).data()) {
            acc += v;
        }
        return acc;
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        ReferenceTensor ta = open("dot", "a", a);
        ReferenceTensor tb = open("dot", "b", b);
        OpChecks.dot(ta, tb);
        float[] as = ta.data();
        float[] bs = tb.data();
        double acc = 0;
        for (int i = 0; i < as.length; i++) {
            acc += (double) as[i] * bs[i];
        }
        return acc;
    }

    /** Nothing to release: tensors are garbage-collected arrays. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "ReferenceBackend";
    }
}
