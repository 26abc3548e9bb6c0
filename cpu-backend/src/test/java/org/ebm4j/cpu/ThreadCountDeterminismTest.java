package org.ebm4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;
import org.junit.jupiter.api.Test;

/**
 * Every op, on inputs large enough to be split over threads, gives bit-identical results with 1,
 * 2 and 3 threads, and the same seed twice gives the same output (the backend's design makes all
 * results independent of the thread count; this holds it to that).
 */
class ThreadCountDeterminismTest {
    private static final int ROWS = 300;
    private static final int COLS = 1001;

    /** Each named op runs on a fresh backend and returns everything it wrote, flattened. */
    private static Map<String, Function<CpuBackend, float[]>> ops() {
        Map<String, Function<CpuBackend, float[]>> ops = new LinkedHashMap<>();
        float[] x = TestBackends.gaussian(ROWS * COLS, 3, 1);
        float[] y = TestBackends.gaussian(ROWS * COLS, 3, 2);
        float[] row = TestBackends.gaussian(COLS, 1, 3);
        float[] probs = TestBackends.uniform(ROWS * COLS, 0, 1, 4);
        ops.put("add", b -> binary(b, x, y, 0));
        ops.put("sub", b -> binary(b, x, y, 1));
        ops.put("mul", b -> binary(b, x, y, 2));
        ops.put("scale", b -> {
            Tensor out = b.allocate(ROWS, COLS);
            b.scale(0.3f, b.fromArray(x, ROWS, COLS), out);
            return out.toArray();
        });
        ops.put("axpy", b -> {
            Tensor ty = b.fromArray(y, ROWS, COLS);
            b.axpy(-0.7f, b.fromArray(x, ROWS, COLS), ty);
            return ty.toArray();
        });
        ops.put("addRowVector", b -> {
            Tensor out = b.allocate(ROWS, COLS);
            b.addRowVector(b.fromArray(x, ROWS, COLS), b.fromArray(row, 1, COLS), 2f, out);
            return out.toArray();
        });
        ops.put("sigmoid", b -> {
            Tensor out = b.allocate(ROWS, COLS);
            b.sigmoid(b.fromArray(x, ROWS, COLS), b.fromArray(row, 1, COLS), out);
            return out.toArray();
        });
        for (org.ebm4j.tensor.Activation f : org.ebm4j.tensor.Activation.values()) {
            ops.put("activation " + f.shortName(), b -> {
                Tensor v = b.allocate(ROWS, COLS);
                Tensor d = b.allocate(ROWS, COLS);
                b.activation(f, b.fromArray(x, ROWS, COLS), b.fromArray(row, 1, COLS), v, d);
                return concat(v.toArray(), d.toArray());
            });
        }
        ops.put("threshold", b -> {
            Tensor out = b.allocate(ROWS, COLS);
            b.threshold(b.fromArray(x, ROWS, COLS), 0f, -1f, 1f, out);
            return out.toArray();
        });
        ops.put("columnSums", b -> {
            Tensor out = b.fromArray(row, 1, COLS);
            b.columnSums(b.fromArray(x, ROWS, COLS), 0.5f, 0.25f, out);
            return out.toArray();
        });
        ops.put("rowSums", b -> {
            Tensor out = b.allocate(ROWS, 1);
            b.rowSums(b.fromArray(x, ROWS, COLS), out);
            return out.toArray();
        });
        ops.put("softplusRowSums", b -> {
            Tensor out = b.allocate(ROWS, 1);
            b.softplusRowSums(b.fromArray(x, ROWS, COLS), b.fromArray(row, 1, COLS), 0.9f, out);
            return out.toArray();
        });
        ops.put("rowSquaredNorms", b -> {
            Tensor out = b.allocate(ROWS, 1);
            b.rowSquaredNorms(b.fromArray(x, ROWS, COLS), b.fromArray(row, 1, COLS), out);
            return out.toArray();
        });
        ops.put("sum", b -> {
            double s = b.sum(b.fromArray(x, ROWS, COLS));
            return new float[] {(float) s, (float) (s - (float) s)};
        });
        ops.put("dot", b -> {
            double s = b.dot(b.fromArray(x, ROWS, COLS), b.fromArray(y, ROWS, COLS));
            return new float[] {(float) s, (float) (s - (float) s)};
        });
        ops.put("fillUniform", b -> {
            Tensor out = b.allocate(ROWS, COLS);
            b.sampler().fillUniform(out, new RandomStream(5, 1, 9));
            return out.toArray();
        });
        ops.put("fillNormal", b -> {
            Tensor out = b.allocate(ROWS, COLS);
            b.sampler().fillNormal(out, 1f, 2f, new RandomStream(5, 1, 9));
            return out.toArray();
        });
        ops.put("sampleBernoulli", b -> {
            Tensor out = b.allocate(ROWS, COLS);
            b.sampler().sampleBernoulli(b.fromArray(probs, ROWS, COLS), out, new RandomStream(6));
            return out.toArray();
        });
        ops.put("sampleSigmoidBernoulli", b -> {
            Tensor p = b.allocate(ROWS, COLS);
            Tensor s = b.allocate(ROWS, COLS);
            b.sampler().sampleSigmoidBernoulli(b.fromArray(x, ROWS, COLS), b.fromArray(row, 1, COLS), 1.1f, p, s,
                    new RandomStream(7));
            return concat(p.toArray(), s.toArray());
        });
        ops.put("sampleGaussian", b -> {
            Tensor out = b.allocate(ROWS, COLS);
            b.sampler().sampleGaussian(b.fromArray(x, ROWS, COLS), b.fromArray(row, 1, COLS), 0.5f, out,
                    new RandomStream(8));
            return out.toArray();
        });
        ops.put("leapfrog", b -> {
            Tensor q = b.fromArray(x, ROWS, COLS);
            Tensor p = b.fromArray(y, ROWS, COLS);
            b.sampler().leapfrog(q, p, b.fromArray(probs, ROWS, COLS), b.fromArray(row, 1, COLS), 0.1f, 0.2f);
            return concat(q.toArray(), p.toArray());
        });
        ops.put("metropolisSelect", b -> {
            Tensor cur = b.fromArray(x, ROWS, COLS);
            Tensor ce = b.fromArray(TestBackends.gaussian(ROWS, 1, 10), ROWS, 1);
            Tensor pe = b.fromArray(TestBackends.gaussian(ROWS, 1, 11), ROWS, 1);
            Tensor acc = b.allocate(ROWS, 1);
            b.sampler().metropolisSelect(cur, ce, b.fromArray(y, ROWS, COLS), pe, acc, new RandomStream(12));
            return concat(concat(cur.toArray(), ce.toArray()), acc.toArray());
        });
        int n = 257;
        int chains = 600;
        float[] w = TestBackends.gaussian(n * n, 0.1, 13);
        for (int i = 0; i < n; i++) {
            w[i * n + i] = 0f;
            for (int j = 0; j < i; j++) {
                w[i * n + j] = w[j * n + i];
            }
        }
        float[] state0 = TestBackends.uniform(chains * n, 0, 1, 14);
        for (int i = 0; i < state0.length; i++) {
            state0[i] = state0[i] >= 0.5f ? 1f : 0f;
        }
        float[] field0 = new float[chains * n];
        for (int r = 0; r < chains; r++) {
            for (int i = 0; i < n; i++) {
                if (state0[r * n + i] != 0f) {
                    for (int j = 0; j < n; j++) {
                        field0[r * n + j] += w[i * n + j];
                    }
                }
            }
        }
        ops.put("updateUnit", b -> {
            Tensor state = b.fromArray(state0, chains, n);
            Tensor field = b.fromArray(field0, chains, n);
            Tensor tw = b.fromArray(w, n, n);
            RandomStream rng = new RandomStream(15);
            Sampler s = b.sampler();
            for (int unit = 0; unit < n; unit += 3) {
                s.updateUnit(state, field, tw, unit, UnitRule.stochastic(0f, 1f, 1f), null, rng);
            }
            return concat(state.toArray(), field.toArray());
        });
        return ops;
    }

    private static float[] binary(CpuBackend b, float[] x, float[] y, int kind) {
        Tensor out = b.allocate(ROWS, COLS);
        Tensor tx = b.fromArray(x, ROWS, COLS);
        Tensor ty = b.fromArray(y, ROWS, COLS);
        if (kind == 0) {
            b.add(tx, ty, out);
        } else if (kind == 1) {
            b.sub(tx, ty, out);
        } else {
            b.mul(tx, ty, out);
        }
        return out.toArray();
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void everyOpGivesTheSameBitsOnOneTwoAndThreeThreads() {
        Map<String, Function<CpuBackend, float[]>> ops = ops();
        int compared = 0;
        for (KernelSelection sel : TestBackends.selections()) {
            List<CpuBackend> backends = new ArrayList<>();
            for (int threads = 1; threads <= 3; threads++) {
                backends.add(new CpuBackend(sel, threads));
            }
            try {
                for (Map.Entry<String, Function<CpuBackend, float[]>> op : ops.entrySet()) {
                    float[] single = op.getValue().apply(backends.get(0));
                    assertArrayEquals(single, op.getValue().apply(backends.get(0)),
                            sel.kernels().name() + " " + op.getKey() + ": same inputs and seed twice");
                    for (int t = 1; t < backends.size(); t++) {
                        assertArrayEquals(single, op.getValue().apply(backends.get(t)),
                                sel.kernels().name() + " " + op.getKey() + ": " + (t + 1) + " threads vs 1");
                    }
                    compared++;
                }
            } finally {
                TestBackends.closeAll(backends);
            }
        }
        // the 14 numeric Backend ops other than gemm (GemmTest) and activation, activation once per
        // Activation (2), and all 8 Sampler ops
        assertEquals(24, ops.size(), "ops compared per kernel set");
        assertTrue(compared >= 24);
    }

    @Test
    void inputsAreLargeEnoughToSplit() {
        try (CpuBackend b = new CpuBackend(KernelSelection.select("scalar"), 3)) {
            assertEquals(3, b.chunks((long) ROWS * COLS, CpuBackend.CHEAP_MIN_CHUNK, ROWS));
            assertEquals(3, b.chunks((long) ROWS * COLS, CpuBackend.COSTLY_MIN_CHUNK, ROWS));
            assertTrue((long) ROWS * COLS > 3L * CpuBackend.REDUCTION_BLOCK);
        }
    }
}
