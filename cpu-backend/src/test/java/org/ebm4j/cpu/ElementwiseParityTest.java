package org.ebm4j.cpu;

import static org.ebm4j.cpu.TestBackends.EPS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Elementwise and broadcast ops on every kernel set against a double-precision reference, on the
 * awkward shapes. Ops built from single float operations must round like the reference (within
 * one rounding per operation) and agree bit for bit across kernel sets; sigmoid, whose vector
 * form uses its own exp polynomial, must stay within a few float roundings.
 */
class ElementwiseParityTest extends OnEveryKernelSet {
    /** |got - ref| within {@code roundings} float roundings of the magnitudes involved. */
    private static void near(double ref, float got, double magnitude, double roundings, String what) {
        near(ref, got, magnitude, roundings, what, -1);
    }

    /** As above; the message (with {@code index} when >= 0) is only built on failure. */
    private static void near(double ref, float got, double magnitude, double roundings, String what, int index) {
        double tol = roundings * EPS * magnitude + 1e-38;
        boolean ok = Double.isNaN(ref) ? Float.isNaN(got) : Math.abs(got - ref) <= tol;
        if (!ok) {
            throw new AssertionError(what + (index >= 0 ? " [" + index + "]" : "") + ": expected " + ref + ", got " + got
                    + " (tolerance " + tol + ")");
        }
    }

    /** Runs {@code op} on every backend and checks that all kernel sets agree bit for bit. */
    private void sameOnEveryKernelSet(String name, int rows, int cols, Function<CpuBackend, float[]> op) {
        float[] first = null;
        for (CpuBackend b : backends) {
            float[] got = op.apply(b);
            if (first == null) {
                first = got;
            } else {
                assertArrayEquals(first, got, name + " " + rows + "x" + cols + ": kernel sets differ");
            }
        }
    }

    /** As {@link #sameOnEveryKernelSet}, for an op that overwrites a tensor holding {@code x}. */
    private void sameInPlaceOnEveryKernelSet(String name, float[] x, int rows, int cols,
                                             BiConsumer<CpuBackend, Tensor> op) {
        sameOnEveryKernelSet(name, rows, cols, b -> {
            Tensor tx = b.fromArray(x, rows, cols);
            op.accept(b, tx);
            return tx.toArray();
        });
    }

    /** What {@code op} writes into {@code out}, read back. */
    private static float[] written(Tensor out, Consumer<Tensor> op) {
        op.accept(out);
        return out.toArray();
    }

    @EveryShape
    void addSubMul(int rows, int cols) {
        int n = rows * cols;
        float[] a = TestBackends.gaussian(n, 10, n);
        float[] bb = TestBackends.gaussian(n, 0.1, n + 1);
        for (CpuBackend b : backends) {
            Tensor ta = b.fromArray(a, rows, cols);
            Tensor tb = b.fromArray(bb, rows, cols);
            Tensor out = b.allocate(rows, cols);
            float[] add = written(out, o -> b.add(ta, tb, o));
            float[] sub = written(out, o -> b.sub(ta, tb, o));
            float[] mul = written(out, o -> b.mul(ta, tb, o));
            String w = TestBackends.label(b, rows, cols);
            for (int i = 0; i < n; i++) {
                near((double) a[i] + bb[i], add[i], Math.abs(a[i]) + Math.abs(bb[i]), 1, "add " + w, i);
                near((double) a[i] - bb[i], sub[i], Math.abs(a[i]) + Math.abs(bb[i]), 1, "sub " + w, i);
                near((double) a[i] * bb[i], mul[i], Math.abs((double) a[i] * bb[i]), 1, "mul " + w, i);
            }
            // in place: out aliases a
            b.add(ta, tb, ta);
            assertArrayEquals(add, ta.toArray(), "add in place");
        }
        sameOnEveryKernelSet("add/sub/mul", rows, cols, b -> {
            Tensor ta = b.fromArray(a, rows, cols);
            Tensor tb = b.fromArray(bb, rows, cols);
            Tensor out = b.allocate(rows, cols);
            b.mul(ta, tb, out);
            b.sub(out, ta, out);
            b.add(out, tb, out);
            return out.toArray();
        });
    }

    @EveryShape
    void scaleAndAxpy(int rows, int cols) {
        float alpha = -1.7f;
        int n = rows * cols;
        float[] x = TestBackends.gaussian(n, 3, 7 * n);
        float[] y = TestBackends.gaussian(n, 3, 7 * n + 1);
        for (CpuBackend b : backends) {
            Tensor tx = b.fromArray(x, rows, cols);
            Tensor ty = b.fromArray(y, rows, cols);
            Tensor out = b.allocate(rows, cols);
            b.scale(alpha, tx, out);
            b.axpy(alpha, tx, ty);
            float[] sc = out.toArray();
            float[] ax = ty.toArray();
            String w = TestBackends.label(b, rows, cols);
            for (int i = 0; i < n; i++) {
                near((double) alpha * x[i], sc[i], Math.abs(alpha * x[i]), 1, "scale " + w, i);
                near(y[i] + (double) alpha * x[i], ax[i], Math.abs(y[i]) + 2 * Math.abs(alpha * x[i]), 2,
                        "axpy " + w, i);
            }
        }
        sameOnEveryKernelSet("scale/axpy", rows, cols, b -> {
            Tensor tx = b.fromArray(x, rows, cols);
            Tensor ty = b.fromArray(y, rows, cols);
            b.axpy(alpha, tx, ty);
            b.scale(0.3f, ty, ty);
            return ty.toArray();
        });
    }

    @EveryShape
    void addRowVector(int rows, int cols) {
        float alpha = 0.75f;
        float[] x = TestBackends.gaussian(rows * cols, 2, rows * 31 + cols);
        float[] row = TestBackends.gaussian(cols, 2, cols);
        for (CpuBackend b : backends) {
            Tensor tx = b.fromArray(x, rows, cols);
            Tensor tr = b.fromArray(row, 1, cols);
            Tensor out = b.allocate(rows, cols);
            b.addRowVector(tx, tr, alpha, out);
            float[] got = out.toArray();
            String w = "addRowVector " + TestBackends.label(b, rows, cols);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    int i = r * cols + j;
                    near(x[i] + (double) alpha * row[j], got[i], Math.abs(x[i]) + 2 * Math.abs(alpha * row[j]), 2,
                            w, i);
                }
            }
        }
        sameInPlaceOnEveryKernelSet("addRowVector", x, rows, cols,
                (b, tx) -> b.addRowVector(tx, b.fromArray(row, 1, cols), alpha, tx));
    }

    @EveryShape
    void threshold(int rows, int cols) {
        int n = rows * cols;
        float[] x = TestBackends.gaussian(n, 1, n * 3L);
        x[0] = Float.NaN;
        if (n > 1) {
            x[1] = 0.5f;
        }
        if (n > 2) {
            x[2] = Float.NEGATIVE_INFINITY;
        }
        for (CpuBackend b : backends) {
            Tensor tx = b.fromArray(x, rows, cols);
            Tensor out = b.allocate(rows, cols);
            b.threshold(tx, 0.5f, -1f, 2f, out);
            float[] got = out.toArray();
            for (int i = 0; i < n; i++) {
                if ((x[i] >= 0.5f ? 2f : -1f) != got[i]) {
                    throw new AssertionError("threshold " + TestBackends.label(b, rows, cols) + " x=" + x[i]
                            + " gave " + got[i]);
                }
            }
            assertEquals(-1f, got[0], "NaN compares false and gives 'below'");
        }
        sameInPlaceOnEveryKernelSet("threshold", x, rows, cols, (b, tx) -> b.threshold(tx, 0f, -1f, 1f, tx));
    }

    @EveryShape
    void sigmoidWithAndWithoutBias(int rows, int cols) {
        int n = rows * cols;
        float[] x = TestBackends.gaussian(n, 8, n * 5L);
        float[] bias = TestBackends.gaussian(cols, 1, cols * 5L);
        for (CpuBackend b : backends) {
            Tensor tx = b.fromArray(x, rows, cols);
            Tensor tb = b.fromArray(bias, 1, cols);
            Tensor out = b.allocate(rows, cols);
            float[] withBias = written(out, o -> b.sigmoid(tx, tb, o));
            float[] noBias = written(out, o -> b.sigmoid(tx, null, o));
            String w = TestBackends.label(b, rows, cols);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    int i = r * cols + j;
                    float z = x[i] + bias[j];
                    double ref = 1 / (1 + Math.exp(-(double) z));
                    // exp of an argument near 88 amplifies the argument's rounding: allow
                    // a few roundings relative to the value itself.
                    near(ref, withBias[i], ref, 8, "sigmoid " + w, i);
                    double ref0 = 1 / (1 + Math.exp(-(double) x[i]));
                    near(ref0, noBias[i], ref0, 8, "sigmoid(no bias) " + w, i);
                }
            }
        }
    }

    @Test
    void sigmoidSpecialValues() {
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 100f, -100f, 88.5f,
            -88.5f, 1e-8f, -1e-8f, 20f, -20f, 87f, -87f, 16.6f, -16.6f, 3f};
        for (CpuBackend b : backends) {
            Tensor tx = b.fromArray(x, 1, x.length);
            Tensor out = b.allocate(1, x.length);
            b.sigmoid(tx, null, out);
            float[] got = out.toArray();
            assertTrue(Float.isNaN(got[0]), b.kernels().name() + ": NaN in gives NaN out");
            for (int i = 1; i < x.length; i++) {
                double ref = 1 / (1 + Math.exp(-(double) x[i]));
                near(ref, got[i], ref, 8, b.kernels().name() + " sigmoid(" + x[i] + ")");
                assertTrue(got[i] >= 0f && got[i] <= 1f, "sigmoid in [0, 1]");
            }
        }
    }

    @EveryShape
    void leapfrogKickAndDrift(int rows, int cols) {
        int n = rows * cols;
        float[] q = TestBackends.gaussian(n, 1, n * 11L);
        float[] p = TestBackends.gaussian(n, 1, n * 11L + 1);
        float[] g = TestBackends.gaussian(n, 1, n * 11L + 2);
        float[] m = TestBackends.uniform(cols, 0.5, 2, cols);
        float kick = 0.05f;
        float drift = 0.1f;
        List<float[]> results = new ArrayList<>();
        for (CpuBackend b : backends) {
            for (boolean withMass : new boolean[] {true, false}) {
                Tensor tq = b.fromArray(q, rows, cols);
                Tensor tp = b.fromArray(p, rows, cols);
                Tensor tg = b.fromArray(g, rows, cols);
                Sampler sampler = b.sampler();
                sampler.leapfrog(tq, tp, tg, withMass ? b.fromArray(m, 1, cols) : null, kick, drift);
                float[] gq = tq.toArray();
                float[] gp = tp.toArray();
                String w = TestBackends.label(b, rows, cols);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        int i = r * cols + j;
                        double pNew = p[i] - (double) kick * g[i];
                        double mass = withMass ? m[j] : 1;
                        double qNew = q[i] + drift * mass * pNew;
                        near(pNew, gp[i], Math.abs(p[i]) + 2 * Math.abs(kick * g[i]), 2, "leapfrog p " + w, i);
                        near(qNew, gq[i], Math.abs(q[i]) + 4 * drift * mass * (Math.abs(p[i]) + Math.abs(kick * g[i])), 4,
                                "leapfrog q " + w, i);
                    }
                }
                results.add(gq);
                results.add(gp);
            }
        }
        for (int i = 4; i < results.size(); i++) {
            assertArrayEquals(results.get(i % 4), results.get(i), "leapfrog: kernel sets differ " + rows + "x" + cols);
        }
    }

    @Test
    void zeroKickOrDriftLeavesItsTensorAlone() {
        for (CpuBackend b : backends) {
            float[] inf = new float[33 * 7];
            java.util.Arrays.fill(inf, Float.POSITIVE_INFINITY);
            float[] q = TestBackends.gaussian(33 * 7, 1, 1);
            float[] p = TestBackends.gaussian(33 * 7, 1, 2);
            Tensor tq = b.fromArray(q, 33, 7);
            Tensor tp = b.fromArray(p, 33, 7);
            b.sampler().leapfrog(tq, tp, b.fromArray(inf, 33, 7), null, 0f, 0.5f);
            assertArrayEquals(p, tp.toArray(), "zero kick: p untouched although grad is infinite");
            float[] qAfterDrift = tq.toArray();
            tp.copyFrom(inf);
            b.sampler().leapfrog(tq, tp, b.fromArray(p, 33, 7), null, 0.1f, 0f);
            assertArrayEquals(qAfterDrift, tq.toArray(), "zero drift: q untouched although p is infinite");
        }
    }

    @Test
    void halfKickLeavesPositionsAlone() {
        for (CpuBackend b : backends) {
            float[] q = TestBackends.gaussian(33 * 7, 1, 1);
            Tensor tq = b.fromArray(q, 33, 7);
            Tensor tp = b.fromArray(TestBackends.gaussian(33 * 7, 1, 2), 33, 7);
            Tensor tg = b.fromArray(TestBackends.gaussian(33 * 7, 1, 3), 33, 7);
            b.sampler().leapfrog(tq, tp, tg, null, 0.05f, 0f);
            assertArrayEquals(q, tq.toArray());
        }
    }
}
