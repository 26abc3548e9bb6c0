package org.ebm4j.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every operation that writes an output writes all of it: the same call into outputs filled with NaN
 * gives, bit for bit, what it gives into outputs filled with zeros, and no NaN is left. A kernel that
 * skips a tail, a row or a vector lane of its output, or that reads an output it must only write
 * ({@code beta = 0} in {@code gemm} and {@code columnSums}), leaves or spreads the NaN. The shapes
 * ({@code 33 x 257}) cross every SIMD width with a tail.
 */
public abstract class OverwriteContract extends SamplerContract {
    private static final int[] M = {33, 257};
    private static final int[] ROW = {1, 257};
    private static final int[] COL = {33, 1};
    private static final int SRC_ROWS = 40;

    /**
     * One call: its tensors' shapes, the arguments filled with NaN (outputs and scratch) and, of those,
     * the ones compared afterwards (scratch whose content the SPI leaves unspecified is not).
     */
    private record Case(String op, int[][] shapes, String outputs, String compared,
                        ArgumentContract.Invoker invoker) {
    }

    private static Case of(String op, int[][] shapes, String outputs, ArgumentContract.Invoker invoker) {
        return new Case(op, shapes, outputs, outputs, invoker);
    }

    /** Every operation that only writes into an output tensor. */
    private static List<Case> cases() {
        int[] gather = new int[M[0] + 1];
        float[] order = new float[M[0] + 1];
        for (int i = 0; i < gather.length; i++) {
            gather[i] = (i * 7 + 3) % SRC_ROWS;
            order[i] = gather[i];
        }
        int k = 64;
        List<Case> c = new ArrayList<>();
        c.add(of("copy", new int[][] {M, M}, "1", (b, t, r) -> b.copy(t[0], t[1])));
        c.add(of("fill", new int[][] {M}, "0", (b, t, r) -> b.fill(t[0], 2f)));
        c.add(of("gatherRows", new int[][] {{SRC_ROWS, M[1]}, M}, "1",
                (b, t, r) -> b.gatherRows(t[0], gather, 1, t[1])));
        c.add(of("gatherOrderedRows", new int[][] {{SRC_ROWS, M[1]}, M}, "1", (b, t, r) -> {
            try (Tensor o = b.fromArray(order, 1, order.length)) {
                b.gatherOrderedRows(t[0], o, 1, t[1]);
            }
        }));
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int[] a = ta ? new int[] {k, M[0]} : new int[] {M[0], k};
                int[] bt = tb ? new int[] {M[1], k} : new int[] {k, M[1]};
                c.add(of("gemm", new int[][] {a, bt, M}, "2", (b, t, r) -> b.gemm(ta, tb, 1f, t[0], t[1], 0f, t[2])));
            }
        }
        c.add(of("addRowVector", new int[][] {M, ROW, M}, "2", (b, t, r) -> b.addRowVector(t[0], t[1], 2f, t[2])));
        c.add(of("add", new int[][] {M, M, M}, "2", (b, t, r) -> b.add(t[0], t[1], t[2])));
        c.add(of("sub", new int[][] {M, M, M}, "2", (b, t, r) -> b.sub(t[0], t[1], t[2])));
        c.add(of("mul", new int[][] {M, M, M}, "2", (b, t, r) -> b.mul(t[0], t[1], t[2])));
        c.add(of("scale", new int[][] {M, M}, "1", (b, t, r) -> b.scale(3f, t[0], t[1])));
        c.add(of("sigmoid", new int[][] {M, ROW, M}, "2", (b, t, r) -> b.sigmoid(t[0], t[1], t[2])));
        c.add(of("sigmoid", new int[][] {M, M}, "1", (b, t, r) -> b.sigmoid(t[0], null, t[1])));
        c.add(of("threshold", new int[][] {M, M}, "1", (b, t, r) -> b.threshold(t[0], 0.5f, -1f, 1f, t[1])));
        for (Activation f : Activation.values()) {
            c.add(of("activation", new int[][] {M, ROW, M, M}, "23",
                    (b, t, r) -> b.activation(f, t[0], t[1], t[2], t[3])));
        }
        c.add(of("columnSums", new int[][] {M, ROW}, "1", (b, t, r) -> b.columnSums(t[0], 2f, 0f, t[1])));
        c.add(of("rowSums", new int[][] {M, COL}, "1", (b, t, r) -> b.rowSums(t[0], t[1])));
        c.add(of("softplusRowSums", new int[][] {M, ROW, COL}, "2",
                (b, t, r) -> b.softplusRowSums(t[0], t[1], 0.5f, t[2])));
        c.add(of("rowSquaredNorms", new int[][] {M, ROW, COL}, "2",
                (b, t, r) -> b.rowSquaredNorms(t[0], t[1], t[2])));
        c.add(of("softmaxCrossEntropy", new int[][] {M, M, M, M, COL}, "234",
                (b, t, r) -> b.softmaxCrossEntropy(t[0], t[1], t[2], t[3], t[4])));
        c.add(of("argmaxRows", new int[][] {M, COL}, "1", (b, t, r) -> b.argmaxRows(t[0], t[1])));
        c.add(of("fillUniform", new int[][] {M}, "0", (b, t, r) -> b.sampler().fillUniform(t[0], r)));
        c.add(of("fillNormal", new int[][] {M}, "0", (b, t, r) -> b.sampler().fillNormal(t[0], 1f, 2f, r)));
        c.add(of("sampleBernoulli", new int[][] {M, M}, "1",
                (b, t, r) -> b.sampler().sampleBernoulli(t[0], t[1], r)));
        c.add(of("sampleSigmoidBernoulli", new int[][] {M, ROW, M, M}, "23",
                (b, t, r) -> b.sampler().sampleSigmoidBernoulli(t[0], t[1], 1f, t[2], t[3], r)));
        c.add(new Case("sampleSigmoidBernoulliProduct", new int[][] {{M[0], k}, {k, M[1]}, ROW, M, M, M}, "345", "45",
                (b, t, r) -> b.sampler().sampleSigmoidBernoulliProduct(t[0], t[1], false, t[2], t[3], t[4], t[5], r)));
        c.add(of("sampleGaussian", new int[][] {M, ROW, M}, "2",
                (b, t, r) -> b.sampler().sampleGaussian(t[0], t[1], 0.5f, t[2], r)));
        return c;
    }

    /** The call's outputs after running it on fixed inputs, with its outputs first filled with {@code fill}. */
    private float[][] run(Case c, float fill) {
        SplittableRandom rnd = new SplittableRandom(71);
        Tensor[] t = new Tensor[c.shapes().length];
        for (int i = 0; i < t.length; i++) {
            int[] s = c.shapes()[i];
            float[] values = uniform(rnd, s[0] * s[1], -1, 1);
            t[i] = tensor(c.outputs().indexOf('0' + i) >= 0 ? constant(values.length, fill) : values, s[0], s[1]);
        }
        c.invoker().invoke(backend, t, new RandomStream(73));
        float[][] out = new float[t.length][];
        for (int i = 0; i < t.length; i++) {
            out[i] = c.compared().indexOf('0' + i) >= 0 ? t[i].toArray() : null;
        }
        return out;
    }

    @Test
    void everyOutputIsWrittenWholeWhateverItHeldBefore() {
        for (Case c : cases()) {
            float[][] fromZeros = run(c, 0f);
            float[][] fromNaN = run(c, Float.NaN);
            for (int i = 0; i < fromZeros.length; i++) {
                if (fromZeros[i] == null) {
                    continue;
                }
                String what = c.op() + " argument " + i;
                assertSameFloats(what + " written over NaN as over zeros", fromZeros[i], fromNaN[i]);
                for (int e = 0; e < fromNaN[i].length; e++) {
                    assertFalse(Float.isNaN(fromNaN[i][e]), what + ": element " + e + " still NaN");
                }
            }
        }
    }
}
