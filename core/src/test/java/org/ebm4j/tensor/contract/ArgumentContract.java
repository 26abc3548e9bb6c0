package org.ebm4j.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The argument rules every operation shares ({@link Backend}'s conventions), checked from one table
 * of valid calls: a closed tensor in any position throws {@link IllegalStateException}, a foreign
 * or null tensor {@link IllegalArgumentException}, and a shape mismatch in any constrained
 * dimension {@link IllegalArgumentException} naming the operation and the shapes; every rejected
 * call leaves all tensors untouched and takes no draw.
 */
public abstract class ArgumentContract extends OverwriteContract {

    /** One valid call: its tensors' shapes, which may be null, and which dimensions are free. */
    public record Call(String op, int[][] shapes, boolean[] nullable, Set<String> freeDims, Invoker invoker) {
        /** Whether dimension {@code dim} (0 rows, 1 columns) of argument {@code arg} may take any size. */
        public boolean isFree(int arg, int dim) {
            return freeDims.contains(arg + (dim == 0 ? "r" : "c"));
        }
    }

    /** Makes the call on a backend with the given tensors (in the order of {@link Call#shapes()}) and stream. */
    @FunctionalInterface
    public interface Invoker {
        void invoke(Backend b, Tensor[] t, RandomStream rng);
    }

    private static Call call(String op, int[][] shapes, String nullable, String free, Invoker invoker) {
        boolean[] nul = new boolean[shapes.length];
        for (char ch : nullable.toCharArray()) {
            nul[ch - '0'] = true;
        }
        Set<String> freeDims = new TreeSet<>();
        for (String f : free.split(" ")) {
            if (!f.isEmpty()) {
                freeDims.add(f);
            }
        }
        return new Call(op, shapes, nul, freeDims, invoker);
    }

    private static final int[] M = {3, 7};
    private static final int[] ROW = {1, 7};
    private static final int[] COL = {3, 1};
    private static final int[] SQUARE = {7, 7};
    private static final int[] GATHER_INDICES = {15, 0, 3, 3, 9, 1, 2, 4, 5, 6, 7, 8};

    /** A valid call of every operation that takes tensors. Indices in {@code nullable}/{@code free} name arguments. */
    public static List<Call> calls() {
        List<Call> c = new ArrayList<>();
        c.add(call("copy", new int[][] {M, M}, "", "", (b, t, r) -> b.copy(t[0], t[1])));
        c.add(call("fill", new int[][] {M}, "", "0r 0c", (b, t, r) -> b.fill(t[0], 2f)));
        c.add(call("gatherRows", new int[][] {{16, 7}, M}, "", "0r 1r",
                (b, t, r) -> b.gatherRows(t[0], GATHER_INDICES, 1, t[1])));
        c.add(call("gatherOrderedRows", new int[][] {{16, 7}, {1, 12}, M}, "", "0r 1c 2r",
                (b, t, r) -> b.gatherOrderedRows(t[0], t[1], 1, t[2])));
        c.add(call("sumInto", new int[][] {M, M, ROW}, "1", "2r 2c", (b, t, r) -> b.sumInto(t[0], t[1], t[2], 5)));
        c.add(call("momentumStep", new int[][] {M, M}, "", "", (b, t, r) -> b.momentumStep(0.1f, t[0], t[1])));
        c.add(call("biasMomentumStep", new int[][] {M, {5, 7}, ROW, ROW}, "", "0r 1r",
                (b, t, r) -> b.biasMomentumStep(t[0], 0.5f, t[1], -0.5f, 0.9f, t[2], t[3])));
        c.add(call("gemm", new int[][] {{3, 7}, {7, 16}, {3, 16}}, "", "",
                (b, t, r) -> b.gemm(false, false, 1f, t[0], t[1], 0.5f, t[2])));
        c.add(call("gemm", new int[][] {{7, 3}, {16, 7}, {3, 16}}, "", "",
                (b, t, r) -> b.gemm(true, true, 1f, t[0], t[1], 0f, t[2])));
        c.add(call("gemm", new int[][] {{7, 3}, {7, 16}, {3, 16}}, "", "",
                (b, t, r) -> b.gemm(true, false, 1f, t[0], t[1], 0f, t[2])));
        c.add(call("gemm", new int[][] {{3, 7}, {16, 7}, {3, 16}}, "", "",
                (b, t, r) -> b.gemm(false, true, 1f, t[0], t[1], 0f, t[2])));
        c.add(call("addRowVector", new int[][] {M, ROW, M}, "", "", (b, t, r) -> b.addRowVector(t[0], t[1], 2f, t[2])));
        c.add(call("add", new int[][] {M, M, M}, "", "", (b, t, r) -> b.add(t[0], t[1], t[2])));
        c.add(call("sub", new int[][] {M, M, M}, "", "", (b, t, r) -> b.sub(t[0], t[1], t[2])));
        c.add(call("mul", new int[][] {M, M, M}, "", "", (b, t, r) -> b.mul(t[0], t[1], t[2])));
        c.add(call("scale", new int[][] {M, M}, "", "", (b, t, r) -> b.scale(3f, t[0], t[1])));
        c.add(call("axpy", new int[][] {M, M}, "", "", (b, t, r) -> b.axpy(3f, t[0], t[1])));
        c.add(call("sigmoid", new int[][] {M, ROW, M}, "1", "", (b, t, r) -> b.sigmoid(t[0], t[1], t[2])));
        c.add(call("threshold", new int[][] {M, M}, "", "", (b, t, r) -> b.threshold(t[0], 0.5f, 0f, 1f, t[1])));
        c.add(call("columnSums", new int[][] {M, ROW}, "", "0r", (b, t, r) -> b.columnSums(t[0], 1f, 1f, t[1])));
        c.add(call("rowSums", new int[][] {M, COL}, "", "0c", (b, t, r) -> b.rowSums(t[0], t[1])));
        c.add(call("softplusRowSums", new int[][] {M, ROW, COL}, "1", "",
                (b, t, r) -> b.softplusRowSums(t[0], t[1], 1f, t[2])));
        c.add(call("rowSquaredNorms", new int[][] {M, ROW, COL}, "1", "", (b, t, r) -> b.rowSquaredNorms(t[0], t[1], t[2])));
        c.add(call("softmaxCrossEntropy", new int[][] {M, M, M, M, COL}, "234", "",
                (b, t, r) -> b.softmaxCrossEntropy(t[0], t[1], t[2], t[3], t[4])));
        c.add(call("activation", new int[][] {M, ROW, M, M}, "123", "",
                (b, t, r) -> b.activation(org.ebm4j.tensor.Activation.SOFTPLUS, t[0], t[1], t[2], t[3])));
        c.add(call("argmaxRows", new int[][] {M, COL}, "", "0c", (b, t, r) -> b.argmaxRows(t[0], t[1])));
        c.add(call("sum", new int[][] {M}, "", "0r 0c", (b, t, r) -> b.sum(t[0])));
        c.add(call("dot", new int[][] {M, M}, "", "", (b, t, r) -> b.dot(t[0], t[1])));
        c.add(call("fillUniform", new int[][] {M}, "", "0r 0c", (b, t, r) -> b.sampler().fillUniform(t[0], r)));
        c.add(call("fillNormal", new int[][] {M}, "", "0r 0c", (b, t, r) -> b.sampler().fillNormal(t[0], 0f, 1f, r)));
        c.add(call("sampleBernoulli", new int[][] {M, M}, "", "", (b, t, r) -> b.sampler().sampleBernoulli(t[0], t[1], r)));
        c.add(call("sampleSigmoidBernoulli", new int[][] {M, ROW, M, M}, "12", "",
                (b, t, r) -> b.sampler().sampleSigmoidBernoulli(t[0], t[1], 1f, t[2], t[3], r)));
        c.add(call("sampleSigmoidBernoulliProduct", new int[][] {{3, 5}, {5, 7}, ROW, M, M, M}, "24", "",
                (b, t, r) -> b.sampler().sampleSigmoidBernoulliProduct(t[0], t[1], false, t[2], t[3], t[4], t[5], r)));
        c.add(call("sampleSigmoidBernoulliProduct", new int[][] {{3, 5}, {7, 5}, ROW, M, M, M}, "24", "",
                (b, t, r) -> b.sampler().sampleSigmoidBernoulliProduct(t[0], t[1], true, t[2], t[3], t[4], t[5], r)));
        c.add(call("sampleGaussian", new int[][] {M, ROW, M}, "1", "",
                (b, t, r) -> b.sampler().sampleGaussian(t[0], t[1], 1f, t[2], r)));
        c.add(call("updateUnit", new int[][] {M, M, SQUARE, M}, "3", "",
                (b, t, r) -> b.sampler().updateUnit(t[0], t[1], t[2], 2, UnitRule.stochastic(0f, 1f, 1f), t[3], r)));
        c.add(call("leapfrog", new int[][] {M, M, M, ROW}, "3", "",
                (b, t, r) -> b.sampler().leapfrog(t[0], t[1], t[2], t[3], 0.1f, 0.1f)));
        c.add(call("metropolisSelect", new int[][] {M, COL, M, COL, COL}, "", "",
                (b, t, r) -> b.sampler().metropolisSelect(t[0], t[1], t[2], t[3], t[4], r)));
        return c;
    }

    private Backend foreign;

    /** Another backend whose tensors this one must reject (a second reference backend when testing the reference). */
    private Backend foreign() {
        if (foreign == null) {
            foreign = new ReferenceBackend();
        }
        return foreign;
    }

    @AfterAll
    final void closeForeign() {
        if (foreign != null) {
            foreign.close();
        }
    }

    private Tensor[] tensorsFor(Call c, SplittableRandom rnd) {
        Tensor[] t = new Tensor[c.shapes().length];
        for (int i = 0; i < t.length; i++) {
            int[] s = c.shapes()[i];
            t[i] = tensor(uniform(rnd, s[0] * s[1], 0, 1), s[0], s[1]);
        }
        return t;
    }

    private static float[][] snapshot(Tensor[] t) {
        float[][] s = new float[t.length][];
        for (int i = 0; i < t.length; i++) {
            s[i] = t[i] == null || t[i].isClosed() ? null : t[i].toArray();
        }
        return s;
    }

    /**
     * Invokes {@code c} on {@code t}, which must throw {@code type}, leave every open argument as it
     * was and take no random draw.
     *
     * @return the exception, for checks of its message
     */
    private <E extends Throwable> E assertRejected(Class<E> type, Call c, Tensor[] t, String what) {
        float[][] before = snapshot(t);
        RandomStream rng = rng();
        E e = assertThrows(type, () -> c.invoker().invoke(backend, t, rng), what);
        for (int i = 0; i < t.length; i++) {
            if (before[i] != null) {
                assertSameFloats(what + ": argument " + i + " must be untouched", before[i], t[i].toArray());
            }
        }
        assertEquals(10L, rng.drawIndex(), what + ": a rejected call takes no draw");
        return e;
    }

    private static RandomStream rng() {
        return new RandomStream(1, 0, 10);
    }

    @Test
    void everyCallInTheTableIsValid() {
        SplittableRandom rnd = new SplittableRandom(50);
        for (Call c : calls()) {
            Tensor[] t = tensorsFor(c, rnd);
            c.invoker().invoke(backend, t, rng());
            for (int i = 0; i < t.length; i++) {
                if (c.nullable()[i]) {
                    Tensor[] u = tensorsFor(c, rnd);
                    u[i] = null;
                    c.invoker().invoke(backend, u, rng());
                }
            }
        }
    }

    @Test
    void theTableCoversEveryOperationThatTakesTensors() {
        Set<String> inTable = new TreeSet<>();
        for (Call c : calls()) {
            inTable.add(c.op());
        }
        Set<String> want = new TreeSet<>(BackendContract.operations().keySet());
        want.removeAll(Set.of("allocate", "fromArray"));
        assertEquals(want, inTable, "the argument table must hold a call of every operation that takes tensors");
    }

    /** Makes a call's valid argument a bad one: closes it, or replaces it. */
    private interface Spoil {
        Tensor apply(Tensor valid);
    }

    /**
     * Spoils each argument of each call in turn, the other arguments valid: the call must throw
     * {@code type}, leave its tensors untouched and take no draw; {@code check} then looks at the
     * exception. Positions that may be null are left out unless {@code includeNullable}.
     */
    private <E extends Throwable> void everyPositionRejected(long seed, String spoiled, boolean includeNullable,
                                                             Spoil spoil, Class<E> type, BiConsumer<String, E> check) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Call c : calls()) {
            for (int i = 0; i < c.shapes().length; i++) {
                if (!includeNullable && c.nullable()[i]) {
                    continue;
                }
                Tensor[] t = tensorsFor(c, rnd);
                t[i] = spoil.apply(t[i]);
                String what = c.op() + " with argument " + i + " " + spoiled;
                check.accept(what, assertRejected(type, c, t, what));
            }
        }
    }

    @Test
    void closedTensorsAreRejectedInEveryPosition() {
        everyPositionRejected(51, "closed", true, t -> {
            t.close();
            return t;
        }, IllegalStateException.class, (what, e) -> assertTrue(e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains("close"),
                what + ": the message should say the tensor was closed: " + e.getMessage()));
    }

    @Test
    void foreignTensorsAreRejectedInEveryPosition() {
        everyPositionRejected(52, "from another backend", true,
                t -> track(foreign().fromArray(t.toArray(), t.rows(), t.cols())), IllegalArgumentException.class,
                (what, e) -> { });
    }

    @Test
    void nullTensorsAreRejectedWhereNotOptional() {
        everyPositionRejected(53, "null", false, t -> null, IllegalArgumentException.class, (what, e) -> { });
    }

    private static final Pattern SHAPE = Pattern.compile("(?<![0-9])([0-9]+x[0-9]+)(?![0-9])");

    /**
     * Grows each constrained dimension of each argument by one. The message must name the
     * operation and at least two distinct shapes, one of them an argument's.
     */
    @Test
    void shapeMismatchesAreRejectedNamingTheShapes() {
        SplittableRandom rnd = new SplittableRandom(54);
        int checked = 0;
        for (Call c : calls()) {
            for (int i = 0; i < c.shapes().length; i++) {
                for (int dim = 0; dim < 2; dim++) {
                    if (c.isFree(i, dim)) {
                        continue;
                    }
                    Tensor[] t = tensorsFor(c, rnd);
                    int rows = t[i].rows() + (dim == 0 ? 1 : 0);
                    int cols = t[i].cols() + (dim == 1 ? 1 : 0);
                    t[i] = tensor(uniform(rnd, rows * cols, 0, 1), rows, cols);
                    String what = c.op() + " with argument " + i + " grown to " + shape(rows, cols);
                    IllegalArgumentException e = assertRejected(IllegalArgumentException.class, c, t, what);
                    String msg = e.getMessage() == null ? "" : e.getMessage();
                    assertTrue(msg.contains(c.op()), what + ": the message must name the operation: " + msg);
                    Set<String> named = new TreeSet<>();
                    Matcher m = SHAPE.matcher(msg);
                    while (m.find()) {
                        named.add(m.group(1));
                    }
                    boolean namesAnArgument = false;
                    for (Tensor x : t) {
                        namesAnArgument |= named.contains(x.shape());
                    }
                    if (named.size() < 2 || !namesAnArgument) {
                        fail(what + ": the message must name both shapes (found " + named + "): " + msg);
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 60, "mismatches checked: " + checked);
    }
}
