package org.ebm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ebm4j.random.RandomStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The facade's checks at their limits, through a backend that checks nothing itself: the last
 * allowed value passes to the raw operation, the first refused one is refused with its message.
 */
class CheckedBackendLimitsTest {
    private static String refused(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void dimensionsAreCheckedForAllocateAndFromArray() {
        try (RawRecordingBackend b = new RawRecordingBackend()) {
            assertFalse(b.isClosed());
            assertEquals("tensor dimensions must be positive, found 0x3", refused(() -> b.allocate(0, 3)));
            assertEquals("tensor dimensions must be positive, found 3x0", refused(() -> b.allocate(3, 0)));
            assertEquals("tensor dimensions must be positive, found 0x3", refused(() -> b.fromArray(new float[0], 0, 3)));
            b.close();
            assertTrue(b.isClosed());
        }
    }

    @Test
    void aSlotIsAnElementOfTheSums() {
        try (RawRecordingBackend b = new RawRecordingBackend(); Tensor a = b.allocate(2, 3);
             Tensor sums = b.allocate(1, 2)) {
            b.sumInto(a, null, sums, 0);
            b.sumInto(a, null, sums, 1);
            assertEquals(2, b.calls.size(), "both slots reach the raw operation");
            assertEquals("sumInto: slot 2 is outside [0, 2) for sums 1x2", refused(() -> b.sumInto(a, null, sums, 2)));
            assertEquals("sumInto: slot -1 is outside [0, 2) for sums 1x2", refused(() -> b.sumInto(a, a, sums, -1)));
            assertEquals(2, b.calls.size());
        }
    }

    @Test
    void momentumStepsNeedTwoDistinctTensorsOfTheRightShapes() {
        try (RawRecordingBackend b = new RawRecordingBackend(); Tensor v = b.allocate(1, 3); Tensor p = b.allocate(1, 3);
             Tensor data = b.allocate(4, 3); Tensor model = b.allocate(2, 3); Tensor wide = b.allocate(1, 4);
             Tensor wider = b.allocate(1, 4)) {
            assertEquals("momentumStep: velocity and parameter must be different tensors (1x3)",
                    refused(() -> b.momentumStep(0.9f, v, v)));
            assertEquals("biasMomentumStep: velocity and parameter must be different tensors (1x3)",
                    refused(() -> b.biasMomentumStep(data, 1f, model, 1f, 0.9f, v, v)));
            // velocity and parameter must have one shape (checked first), and that shape must be data's row.
            assertEquals("biasMomentumStep: velocity is 1x4 but parameter is 1x3; they must have the same shape",
                    refused(() -> b.biasMomentumStep(data, 1f, model, 1f, 0.9f, wide, p)));
            assertEquals("biasMomentumStep: velocity must be 1x3 to match data 4x3 but is 1x4",
                    refused(() -> b.biasMomentumStep(data, 1f, model, 1f, 0.9f, wide, wider)));
            assertEquals(0, b.calls.size());
            b.biasMomentumStep(data, 1f, model, 1f, 0.9f, v, p);
            b.momentumStep(0.9f, v, p);
            assertEquals(2, b.calls.size());
        }
    }

    /** Offset plus the rows of dst may reach the end of order exactly, not beyond. */
    @Test
    void orderedGathersReadIndicesUpToTheEndOfOrder() {
        try (RawRecordingBackend b = new RawRecordingBackend(); Tensor src = b.allocate(5, 2);
             Tensor order = b.allocate(1, 4); Tensor dst = b.allocate(3, 2)) {
            b.gatherOrderedRows(src, order, 1, dst);
            assertEquals(1, b.calls.size());
            assertEquals("gatherOrderedRows: needs 3 indices from offset 2 (dst is 3x2) but order is 1x4",
                    refused(() -> b.gatherOrderedRows(src, order, 2, dst)));
            assertEquals(1, b.calls.size());
        }
    }

    @Test
    void aClosedHeapTensorRefusesItsData() {
        try (RawRecordingBackend b = new RawRecordingBackend()) {
            HeapTensor t = (HeapTensor) b.allocate(1, 2);
            assertEquals(2, t.data().length);
            t.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, t::data);
            assertEquals("tensor 1x2 on backend 'raw' was used after close()", e.getMessage());
        }
    }

    /** The first close releases the backend (not only a second one); a sum on a closed backend is refused. */
    @Test
    void theFirstCloseReleasesAndASumAfterItIsRefused() {
        RawRecordingBackend b = new RawRecordingBackend();
        Tensor a = b.allocate(2, 3);
        Tensor sums = b.allocate(1, 2);
        b.close();
        assertEquals(1, b.closes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.sumInto(a, null, sums, 0));
        assertEquals("the raw backend was used after close(); expected an open backend", e.getMessage());
        assertEquals(0, b.calls.size());
        a.close();
        sums.close();
    }

    /**
     * A sampler obtained before its backend was closed refuses every operation that draws, before it
     * looks at the arguments (so any tensors do) and before it takes a draw.
     */
    @Test
    void aSamplerHeldPastCloseRefusesItsOperations() {
        RawRecordingBackend b = new RawRecordingBackend();
        Sampler s = b.sampler();
        Tensor x = b.allocate(2, 3);
        b.close();
        RandomStream rng = new RandomStream(5L, 1, 0L);
        String expected = "the raw backend was used after close(); expected an open backend";
        List<Executable> ops = List.of(
                () -> s.sampleSigmoidBernoulli(x, null, 1f, null, x, rng),
                () -> s.updateUnit(x, x, x, 0, UnitRule.threshold(-1f, 1f), null, rng),
                () -> s.leapfrog(x, x, x, null, 0.1f, 0.1f),
                () -> s.metropolisSelect(x, x, x, x, x, rng));
        for (Executable op : ops) {
            assertEquals(expected, assertThrows(IllegalStateException.class, op).getMessage());
        }
        assertEquals(0L, rng.drawIndex());
        assertEquals(0, b.calls.size());
        x.close();
    }
}
