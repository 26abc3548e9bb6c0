package org.ebm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class AbstractTensorTest {
    private final Backend backend = new ReferenceBackend();

    /** Counts releases and host copies, so tests can see what the base class let through. */
    private static final class CountingTensor extends AbstractTensor {
        final AtomicInteger releases = new AtomicInteger();
        int copies;

        CountingTensor(Backend backend, int rows, int cols) {
            super(backend, rows, cols);
        }

        @Override
        protected void doCopyFrom(float[] src, int offset) {
            copies++;
        }

        @Override
        protected void doCopyTo(float[] dst, int offset) {
            copies++;
        }

        @Override
        protected void release() {
            releases.incrementAndGet();
        }
    }

    @Test
    void shapeAndOwnership() {
        CountingTensor t = new CountingTensor(backend, 3, 7);
        assertEquals(3, t.rows());
        assertEquals(7, t.cols());
        assertEquals(21, t.size());
        assertEquals("3x7", t.shape());
        assertSame(backend, t.backend());
        assertFalse(t.isClosed());
        assertEquals("CountingTensor[3x7]", t.toString());
        assertThrows(NullPointerException.class, () -> new CountingTensor(null, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new CountingTensor(backend, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new CountingTensor(backend, 1, -2));
    }

    @Test
    void closeAllClosesEachTensorOnceAndSkipsTheMissingOnes() {
        CountingTensor a = new CountingTensor(backend, 1, 2);
        CountingTensor b = new CountingTensor(backend, 2, 1);
        Tensor.closeAll(a, null, b, a);
        assertTrue(a.isClosed() && b.isClosed());
        assertEquals(1, a.releases.get(), "closing twice releases once");
        assertEquals(1, b.releases.get());
    }

    @Test
    void closeReleasesOnceEvenWhenRacing() throws InterruptedException {
        CountingTensor t = new CountingTensor(backend, 2, 2);
        t.close();
        t.close();
        assertTrue(t.isClosed());
        assertEquals(1, t.releases.get());
        assertTrue(t.toString().contains("closed"), t.toString());

        CountingTensor raced = new CountingTensor(backend, 2, 2);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                raced.close();
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(1, raced.releases.get(), "release() runs exactly once");
    }

    @Test
    void useAfterCloseNamesTheTensorAndTheBackend() {
        CountingTensor t = new CountingTensor(backend, 3, 7);
        t.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, t::checkOpen);
        assertEquals("tensor 3x7 on backend 'reference' was used after close()", e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.copyFrom(new float[21], 0));
        assertThrows(IllegalStateException.class, () -> t.copyTo(new float[21], 0));
        assertThrows(IllegalStateException.class, t::toArray);
        assertEquals(0, t.copies);
    }

    @Test
    void hostRangeErrorsSayWhatWasNeeded() {
        CountingTensor t = new CountingTensor(backend, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.copyFrom(new float[7], 2));
        assertEquals("copyFrom: needs 6 floats from offset 2 but the host array has length 7", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.copyTo(new float[6], -1));
        assertEquals("copyTo: needs 6 floats from offset -1 but the host array has length 6", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.copyTo(null, 0));
        assertEquals("copyTo: host array is null", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.copyFrom(new float[6], Integer.MAX_VALUE));
        assertEquals(0, t.copies, "nothing is copied when the range is bad");
        t.copyFrom(new float[8], 2);
        t.copyTo(new float[6]);
        assertEquals(2, t.copies);
    }
}
