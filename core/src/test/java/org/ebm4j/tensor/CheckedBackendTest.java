package org.ebm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.RawRecordingBackend.RawCall;
import org.ebm4j.tensor.contract.ArgumentContract;
import org.ebm4j.tensor.contract.ArgumentContract.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every check of {@link CheckedBackend} and {@link CheckedSampler}, seen through a backend that checks
 * nothing itself ({@link RawRecordingBackend}): each bad call must be rejected by the facade with a
 * message that says what was expected and what was found, before the raw operation runs and before
 * a draw is taken; each good call must reach its raw operation exactly once, with the caller's
 * tensors in the caller's order and the stream position of exactly one draw.
 */
class CheckedBackendTest {
    private static final long SEED = 0x5eedL;
    private static final int STREAM = 7;
    private static final long START = 10L;

    private RawRecordingBackend backend;
    private final List<Tensor> created = new ArrayList<>();

    @BeforeEach
    void open() {
        backend = new RawRecordingBackend();
    }

    @AfterEach
    void close() {
        for (Tensor t : created) {
            t.close();
        }
        backend.close();
    }

    private Tensor tensor(RawRecordingBackend b, int rows, int cols) {
        Tensor t = b.allocate(rows, cols);
        created.add(t);
        return t;
    }

    private Tensor[] tensorsFor(Call c) {
        Tensor[] t = new Tensor[c.shapes().length];
        for (int i = 0; i < t.length; i++) {
            t[i] = tensor(backend, c.shapes()[i][0], c.shapes()[i][1]);
        }
        return t;
    }

    private static RandomStream rng() {
        return new RandomStream(SEED, STREAM, START);
    }

    /** The operations that take a draw (the table's updateUnit uses a stochastic rule). */
    private static final Set<String> RANDOM_OPS = Set.of("fillUniform", "fillNormal", "sampleBernoulli",
            "sampleSigmoidBernoulli", "sampleSigmoidBernoulliProduct", "sampleGaussian", "updateUnit", "metropolisSelect");

    private static boolean takesADraw(String op) {
        return RANDOM_OPS.contains(op);
    }

    /** Runs a call that must be rejected with {@code type}; checks no raw call ran and no draw was taken; returns the message. */
    private <E extends RuntimeException> String rejected(Class<E> type, String what, Consumer<RandomStream> call) {
        RandomStream rng = rng();
        int before = backend.calls.size();
        E e = assertThrows(type, () -> call.accept(rng), what);
        assertEquals(before, backend.calls.size(), what + ": the raw operation must not run: " + backend.calls);
        assertEquals(START, rng.drawIndex(), what + ": a rejected call takes no draw");
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what + ": the error needs a message");
        return e.getMessage();
    }

    private static void assertMentions(String what, String message, String... fragments) {
        for (String f : fragments) {
            assertTrue(message.contains(f), what + ": the message should contain '" + f + "': " + message);
        }
    }

    // ---- good calls ---------------------------------------------------------------------------

    @Test
    void everyValidCallReachesItsRawOperationOnceWithTheCallersTensorsAndOneDraw() {
        int checked = 0;
        for (Call c : ArgumentContract.calls()) {
            Tensor[] t = tensorsFor(c);
            backend.calls.clear();
            RandomStream rng = rng();
            c.invoker().invoke(backend, t, rng);
            assertEquals(1, backend.calls.size(), c.op() + ": raw calls " + backend.calls);
            RawCall raw = backend.calls.get(0);
            assertEquals(c.op(), raw.op());
            assertEquals(t.length, raw.tensors().size(), c.op() + ": tensors handed to the raw operation");
            for (int i = 0; i < t.length; i++) {
                assertSame(t[i], raw.tensors().get(i), c.op() + ": argument " + i);
            }
            if (takesADraw(c.op())) {
                assertEquals(START + 1, rng.drawIndex(), c.op() + " takes exactly one draw");
                assertEquals(SEED, raw.seed(), c.op() + ": seed");
                assertEquals(STREAM, raw.streamId(), c.op() + ": stream id");
                assertEquals(START, raw.draw(), c.op() + ": the draw index taken");
            } else {
                assertEquals(START, rng.drawIndex(), c.op() + " takes no draw");
            }
            checked++;
        }
        assertEquals(ArgumentContract.calls().size(), checked);
    }

    @Test
    void optionalTensorsArriveAsNull() {
        Tensor x = tensor(backend, 3, 7);
        Tensor out = tensor(backend, 3, 7);
        backend.sigmoid(x, null, out);
        backend.sampler().sampleSigmoidBernoulli(x, null, 1f, null, out, rng());
        assertEquals(List.of("sigmoid", "sampleSigmoidBernoulli"), backend.calls.stream().map(RawCall::op).toList());
        assertEquals(null, backend.calls.get(0).tensors().get(1));
        assertEquals(null, backend.calls.get(1).tensors().get(2));
    }

    @Test
    void aThresholdRuleTakesNoDrawAndMayHaveNoStream() {
        Tensor state = tensor(backend, 3, 7);
        Tensor field = tensor(backend, 3, 7);
        Tensor w = tensor(backend, 7, 7);
        RandomStream rng = rng();
        backend.sampler().updateUnit(state, field, w, 6, UnitRule.threshold(-1f, 1f), null, rng);
        backend.sampler().updateUnit(state, field, w, 0, UnitRule.threshold(-1f, 1f), null, null);
        assertEquals(START, rng.drawIndex());
        assertEquals(2, backend.calls.size());
        for (RawCall raw : backend.calls) {
            assertEquals(0L, raw.seed());
            assertEquals(0, raw.streamId());
            assertEquals(0L, raw.draw());
        }
    }

    @Test
    void callsThatCannotChangeAnythingDoNotReachTheBackend() {
        Tensor x = tensor(backend, 3, 7);
        Tensor p = tensor(backend, 3, 7);
        backend.copy(x, x);
        backend.sampler().leapfrog(x, p, p, null, 0f, 0f);
        assertEquals(List.of(), backend.calls);
        backend.sampler().leapfrog(x, p, p, null, 0f, 1f);
        backend.sampler().leapfrog(x, p, p, null, 1f, 0f);
        assertEquals(2, backend.calls.size());
    }

    // ---- tensors that cannot be used ----------------------------------------------------------

    @Test
    void aClosedTensorInAnyPositionIsRejected() {
        for (Call c : ArgumentContract.calls()) {
            for (int i = 0; i < c.shapes().length; i++) {
                Tensor[] t = tensorsFor(c);
                t[i].close();
                String what = c.op() + " with argument " + i + " closed";
                String msg = rejected(IllegalStateException.class, what, rng -> c.invoker().invoke(backend, t, rng));
                assertMentions(what, msg, c.op() + ": tensor '", "(" + t[i].shape() + ") was used after close()",
                        "expected an open tensor");
            }
        }
    }

    @Test
    void aTensorOfAnotherBackendInAnyPositionIsRejected() {
        try (RawRecordingBackend other = new RawRecordingBackend()) {
            for (Call c : ArgumentContract.calls()) {
                for (int i = 0; i < c.shapes().length; i++) {
                    Tensor[] t = tensorsFor(c);
                    t[i] = tensor(other, t[i].rows(), t[i].cols());
                    String what = c.op() + " with argument " + i + " from another backend";
                    String msg = rejected(IllegalArgumentException.class, what,
                            rng -> c.invoker().invoke(backend, t, rng));
                    assertMentions(what, msg, c.op() + ": tensor '", "belongs to backend 'raw' (another instance)");
                    assertEquals(List.of(), other.calls, what + ": nothing may run on the other backend");
                }
            }
        }
    }

    /** A tensor that names this backend as its owner but was not allocated by it: the cast must not be trusted. */
    @Test
    void aForgedTensorInAnyPositionIsRejected() {
        for (Call c : ArgumentContract.calls()) {
            for (int i = 0; i < c.shapes().length; i++) {
                Tensor[] t = tensorsFor(c);
                t[i] = new ForgedTensor(backend, t[i].rows(), t[i].cols());
                String what = c.op() + " with argument " + i + " forged";
                String msg = rejected(IllegalArgumentException.class, what, rng -> c.invoker().invoke(backend, t, rng));
                assertMentions(what, msg, c.op() + ": tensor '", "is a " + ForgedTensor.class.getName(),
                        "expected a HeapTensor");
            }
        }
    }

    @Test
    void aMissingTensorWhereOneIsRequiredIsRejected() {
        for (Call c : ArgumentContract.calls()) {
            for (int i = 0; i < c.shapes().length; i++) {
                if (c.nullable()[i]) {
                    continue;
                }
                Tensor[] t = tensorsFor(c);
                t[i] = null;
                String what = c.op() + " with argument " + i + " null";
                String msg = rejected(IllegalArgumentException.class, what, rng -> c.invoker().invoke(backend, t, rng));
                assertMentions(what, msg, c.op() + ": tensor '", "is null; expected a tensor of backend 'raw'");
            }
        }
    }

    @Test
    void aShapeMismatchInAnyConstrainedDimensionIsRejectedNamingBothShapes() {
        int checked = 0;
        for (Call c : ArgumentContract.calls()) {
            for (int i = 0; i < c.shapes().length; i++) {
                for (int dim = 0; dim < 2; dim++) {
                    if (c.isFree(i, dim)) {
                        continue;
                    }
                    Tensor[] t = tensorsFor(c);
                    Tensor grown = tensor(backend, t[i].rows() + (dim == 0 ? 1 : 0), t[i].cols() + (dim == 1 ? 1 : 0));
                    String wanted = t[i].shape();
                    t[i] = grown;
                    String what = c.op() + " with argument " + i + " grown to " + grown.shape();
                    String msg = rejected(IllegalArgumentException.class, what,
                            rng -> c.invoker().invoke(backend, t, rng));
                    assertMentions(what, msg, c.op() + ": ", grown.shape());
                    assertTrue(msg.contains(wanted) || msg.contains(" must ") || msg.contains("must agree"),
                            what + ": the message should say what was expected: " + msg);
                    checked++;
                }
            }
        }
        assertTrue(checked > 60, "mismatches checked: " + checked);
    }

    @Test
    void shapeMessagesSayWhatWasExpectedAndWhatWasFound() {
        Tensor x = tensor(backend, 3, 4);
        Tensor wrong = tensor(backend, 4, 3);
        Tensor row3 = tensor(backend, 1, 3);
        Tensor col4 = tensor(backend, 4, 1);
        Tensor c = tensor(backend, 3, 4);
        assertEquals("add: a is 3x4 but out is 4x3; they must have the same shape",
                rejected(IllegalArgumentException.class, "add", rng -> backend.add(x, x, wrong)));
        assertEquals("sigmoid: bias must be 1x4 to match x 3x4 but is 1x3",
                rejected(IllegalArgumentException.class, "sigmoid", rng -> backend.sigmoid(x, row3, x)));
        assertEquals("rowSums: out must be 3x1 to match x 3x4 but is 4x1",
                rejected(IllegalArgumentException.class, "rowSums", rng -> backend.rowSums(x, col4)));
        assertEquals("gemm: op(a) is 3x4 (a is 3x4) but op(b) is 3x4 (b is 3x4); the inner dimensions must agree",
                rejected(IllegalArgumentException.class, "gemm", rng -> backend.gemm(false, false, 1f, x, x, 0f, c)));
        assertEquals("updateUnit: weights must be 4x4 but is 4x3",
                rejected(IllegalArgumentException.class, "updateUnit", rng -> backend.sampler()
                        .updateUnit(x, c, wrong, 0, UnitRule.threshold(0f, 1f), null, rng)));
    }

    // ---- a closed backend ---------------------------------------------------------------------

    @Test
    void aClosedBackendRejectsEveryOperationAndClosesOnce() {
        RawRecordingBackend b = new RawRecordingBackend();
        List<Call> calls = ArgumentContract.calls();
        List<Tensor[]> args = new ArrayList<>();
        for (Call c : calls) {
            Tensor[] t = new Tensor[c.shapes().length];
            for (int i = 0; i < t.length; i++) {
                t[i] = b.allocate(c.shapes()[i][0], c.shapes()[i][1]);
            }
            args.add(t);
        }
        Sampler heldSampler = b.sampler();
        b.close();
        b.close();
        assertEquals(1, b.closes, "doClose runs once");
        assertTrue(b.isClosed());
        String expected = "the raw backend was used after close(); expected an open backend";
        for (int k = 0; k < calls.size(); k++) {
            Call c = calls.get(k);
            Tensor[] t = args.get(k);
            RandomStream rng = rng();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.invoker().invoke(b, t, rng),
                    c.op() + " on a closed backend");
            assertEquals(expected, e.getMessage(), c.op());
            assertEquals(START, rng.drawIndex(), c.op() + ": no draw");
        }
        assertEquals(List.of(), b.calls);
        assertEquals(expected, assertThrows(IllegalStateException.class, b::sampler).getMessage());
        assertEquals(expected, assertThrows(IllegalStateException.class, () -> b.allocate(1, 1)).getMessage());
        assertEquals(expected, assertThrows(IllegalStateException.class,
                () -> b.fromArray(new float[1], 1, 1)).getMessage());
        Tensor out = args.get(0)[0];
        assertEquals(expected, assertThrows(IllegalStateException.class,
                () -> heldSampler.fillUniform(out, rng())).getMessage(), "a sampler obtained before close()");
    }

    // ---- aliasing -----------------------------------------------------------------------------

    @Test
    void outputsThatMayNotAliasAreRejected() {
        Tensor x = tensor(backend, 3, 7);
        Tensor y = tensor(backend, 3, 7);
        Tensor z = tensor(backend, 3, 7);
        Tensor sq = tensor(backend, 7, 7);
        Tensor sq2 = tensor(backend, 7, 7);
        Tensor big = tensor(backend, 16, 7);
        assertMentions("gemm c == a", rejected(IllegalArgumentException.class, "gemm c == a",
                rng -> backend.gemm(false, false, 1f, sq, sq2, 0f, sq)), "gemm: c (7x7) must not be the same tensor as a");
        assertMentions("gemm c == b", rejected(IllegalArgumentException.class, "gemm c == b",
                rng -> backend.gemm(false, false, 1f, sq, sq2, 0f, sq2)), "must not be the same tensor as b");
        assertMentions("gatherRows", rejected(IllegalArgumentException.class, "gatherRows src == dst",
                rng -> backend.gatherRows(big, new int[] {0}, 0, big)), "gatherRows: dst must not be src (16x7)");
        assertMentions("activation", rejected(IllegalArgumentException.class, "activation value == derivative",
                rng -> backend.activation(Activation.SOFTPLUS, x, null, y, y)),
                "activation: value and derivative must be different tensors");
        assertMentions("sampleSigmoidBernoulli", rejected(IllegalArgumentException.class, "probs == samples",
                rng -> backend.sampler().sampleSigmoidBernoulli(x, null, 1f, y, y, rng)),
                "sampleSigmoidBernoulli: probs and samples must be different tensors (both 3x7)");
        assertMentions("sampleSigmoidBernoulliProduct", rejected(IllegalArgumentException.class, "pre == samples",
                rng -> backend.sampler().sampleSigmoidBernoulliProduct(x, sq, false, null, y, null, y, rng)),
                "sampleSigmoidBernoulliProduct: samples (3x7) must not be the same tensor as pre");
        assertMentions("sampleSigmoidBernoulliProduct", rejected(IllegalArgumentException.class, "probs == a",
                rng -> backend.sampler().sampleSigmoidBernoulliProduct(x, sq, false, null, y, x, z, rng)),
                "sampleSigmoidBernoulliProduct: probs (3x7) must not be the same tensor as a");
        assertMentions("updateUnit", rejected(IllegalArgumentException.class, "state == field",
                rng -> backend.sampler().updateUnit(x, x, sq, 0, UnitRule.stochastic(0f, 1f, 1f), null, rng)),
                "updateUnit: state and field must be different tensors (both 3x7)");
        assertMentions("leapfrog", rejected(IllegalArgumentException.class, "q == p",
                rng -> backend.sampler().leapfrog(x, x, y, null, 0.1f, 0.1f)),
                "leapfrog: q and p must be different tensors (both 3x7)");
    }

    // ---- values -------------------------------------------------------------------------------

    @Test
    void gatherIndicesAreCheckedBeforeAnyRowIsCopied() {
        Tensor src = tensor(backend, 5, 7);
        Tensor dst = tensor(backend, 3, 7);
        assertEquals("gatherRows: rowIndices is null", rejected(IllegalArgumentException.class, "null indices",
                rng -> backend.gatherRows(src, null, 0, dst)));
        assertEquals("gatherRows: needs 3 indices from offset 2 (dst is 3x7) but rowIndices has length 4",
                rejected(IllegalArgumentException.class, "short indices",
                        rng -> backend.gatherRows(src, new int[] {0, 1, 2, 3}, 2, dst)));
        assertMentions("negative offset", rejected(IllegalArgumentException.class, "negative offset",
                rng -> backend.gatherRows(src, new int[] {0, 1, 2, 3}, -1, dst)), "from offset -1");
        assertEquals("gatherRows: rowIndices[3] = 5 is outside [0, 5) for src 5x7",
                rejected(IllegalArgumentException.class, "index too large",
                        rng -> backend.gatherRows(src, new int[] {9, 0, 4, 5}, 1, dst)));
        assertEquals("gatherRows: rowIndices[1] = -1 is outside [0, 5) for src 5x7",
                rejected(IllegalArgumentException.class, "negative index",
                        rng -> backend.gatherRows(src, new int[] {0, -1, 4}, 0, dst)));
        assertMentions("columns", rejected(IllegalArgumentException.class, "columns",
                rng -> backend.gatherRows(src, new int[] {0, 1, 2}, 0, tensor(backend, 3, 6))),
                "src is 5x7 but dst is 3x6; they must have the same number of columns");
    }

    @Test
    void unitRuleAndStreamAreChecked() {
        Tensor state = tensor(backend, 3, 7);
        Tensor field = tensor(backend, 3, 7);
        Tensor w = tensor(backend, 7, 7);
        UnitRule gibbs = UnitRule.stochastic(0f, 1f, 1f);
        assertEquals("updateUnit: unit 7 is outside [0, 7) for state 3x7", rejected(IllegalArgumentException.class,
                "unit too large", rng -> backend.sampler().updateUnit(state, field, w, 7, gibbs, null, rng)));
        assertEquals("updateUnit: unit -1 is outside [0, 7) for state 3x7", rejected(IllegalArgumentException.class,
                "negative unit", rng -> backend.sampler().updateUnit(state, field, w, -1, gibbs, null, rng)));
        assertEquals("updateUnit: rule is null", rejected(IllegalArgumentException.class, "null rule",
                rng -> backend.sampler().updateUnit(state, field, w, 0, null, null, rng)));
        assertEquals("updateUnit: the random stream is null", rejected(IllegalArgumentException.class,
                "stochastic rule without a stream",
                rng -> backend.sampler().updateUnit(state, field, w, 0, gibbs, null, null)));
    }

    @Test
    void everyRandomOperationNeedsAStream() {
        Set<String> checked = new TreeSet<>();
        for (Call c : ArgumentContract.calls()) {
            if (!takesADraw(c.op())) {
                continue;
            }
            Tensor[] t = tensorsFor(c);
            String msg = rejected(IllegalArgumentException.class, c.op() + " without a stream",
                    rng -> c.invoker().invoke(backend, t, null));
            assertEquals(c.op() + ": the random stream is null", msg);
            checked.add(c.op());
        }
        assertEquals(new TreeSet<>(RANDOM_OPS), checked, "random operations in the table");
    }

    @Test
    void theActivationRequestIsCheckedFirst() {
        Tensor x = tensor(backend, 3, 7);
        assertEquals("activation: activation function is null", rejected(IllegalArgumentException.class, "no function",
                rng -> backend.activation(null, x, null, x, null)));
        assertEquals("activation: value and derivative are both null; ask for at least one",
                rejected(IllegalArgumentException.class, "no output",
                        rng -> backend.activation(Activation.SOFTPLUS, x, null, null, null)));
    }

    @Test
    void allocationAndHostCopiesAreChecked() {
        assertEquals("tensor dimensions must be positive, found 0x3",
                rejected(IllegalArgumentException.class, "allocate 0 rows", rng -> backend.allocate(0, 3)));
        assertEquals("tensor dimensions must be positive, found 2x-1",
                rejected(IllegalArgumentException.class, "fromArray negative cols", rng -> backend.fromArray(new float[2], 2, -1)));
        assertEquals("fromArray: host array is null",
                rejected(IllegalArgumentException.class, "fromArray null", rng -> backend.fromArray(null, 1, 1)));
        assertEquals("fromArray: needs 6 floats from offset 0 but the host array has length 5",
                rejected(IllegalArgumentException.class, "fromArray short", rng -> backend.fromArray(new float[5], 2, 3)));
        Tensor t = backend.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        created.add(t);
        assertEquals("2x3", t.shape());
        assertEquals(6f, t.toArray()[5]);
    }

    // ---- cost ---------------------------------------------------------------------------------

    /**
     * The facade's fast path allocates nothing: with a raw backend that does nothing, a hundred
     * thousand checked calls of each kind allocate (almost) no bytes on the calling thread. The
     * bound leaves room for the JIT's own bookkeeping but not for one object per call (16+ bytes each,
     * 1.6 MB per kind).
     */
    @Test
    void theCheckedFastPathDoesNotAllocate() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "per-thread allocation counts need HotSpot");
        com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled());
        backend.recording = false;
        Tensor a = tensor(backend, 64, 32);
        Tensor b = tensor(backend, 32, 16);
        Tensor c = tensor(backend, 64, 16);
        Tensor bias = tensor(backend, 1, 16);
        Tensor probs = tensor(backend, 64, 16);
        Tensor samples = tensor(backend, 64, 16);
        Sampler s = backend.sampler();
        RandomStream rng = rng();
        Executable loop = () -> {
            for (int i = 0; i < 100_000; i++) {
                backend.gemm(false, false, 1f, a, b, 0f, c);
                backend.addRowVector(c, bias, 1f, c);
                backend.add(c, probs, c);
                s.sampleSigmoidBernoulli(c, bias, 1f, probs, samples, rng);
                s.sampleSigmoidBernoulliProduct(a, b, false, bias, c, probs, samples, rng);
                backend.columnSums(samples, 1f, 0f, bias);
            }
        };
        long warm = 0;
        try {
            loop.execute();
            long t0 = hotspot.getCurrentThreadAllocatedBytes();
            loop.execute();
            warm = hotspot.getCurrentThreadAllocatedBytes() - t0;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
        assertTrue(warm < 100_000, "600000 checked calls allocated " + warm + " bytes");
    }

    /** Names a backend as its owner without being one of its tensors. */
    private static final class ForgedTensor extends AbstractTensor {
        ForgedTensor(Backend owner, int rows, int cols) {
            super(owner, rows, cols);
        }

        @Override
        protected void doCopyFrom(float[] src, int offset) {
        }

        @Override
        protected void doCopyTo(float[] dst, int offset) {
        }

        @Override
        protected void release() {
        }
    }
}
