package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RowOrder} gathers {@code dst[i] = src[order[offset + i]]} from an order kept on the backend,
 * and from the host array once the data has more rows than floats index exactly. Destinations start
 * as NaN so a row the gather skipped shows.
 */
@ExtendWith(NoLeakedTensors.class)
class RowOrderTest {
    private final Backend backend = new ReferenceBackend();

    private Tensor nanTensor(int rows, int cols) {
        Tensor t = backend.allocate(rows, cols);
        backend.fill(t, Float.NaN);
        return t;
    }

    @Test
    void gathersAMinibatchOfTheUploadedOrder() {
        float[] data = {0, 1, 10, 11, 20, 21, 30, 31, 40, 41};
        try (RowOrder order = new RowOrder(backend, 5); Tensor src = backend.fromArray(data, 5, 2);
             Tensor dst = nanTensor(3, 2)) {
            order.upload(new int[] {3, 0, 4, 1, 2});
            order.gather(src, 1, dst);
            assertArrayEquals(new float[] {0, 1, 40, 41, 10, 11}, dst.toArray());
            order.gather(src, 0, dst);
            assertArrayEquals(new float[] {30, 31, 0, 1, 40, 41}, dst.toArray());
            // A new upload replaces the order.
            order.upload(new int[] {4, 4, 4, 2, 0});
            order.gather(src, 2, dst);
            assertArrayEquals(new float[] {40, 41, 20, 21, 0, 1}, dst.toArray());
        }
    }

    /**
     * One row more than floats index exactly: the order stays on the host and the gather reads it
     * from there, with the same result the device path gives. Row {@code r} holds {@code r % 1000}
     * (a float holds that exactly), and the order is the reversal.
     */
    @Test
    void dataPastTheFloatIndexLimitIsGatheredFromTheHostOrder() {
        int rows = Backend.MAX_ORDERED_ROWS + 1;
        float[] data = new float[rows];
        int[] reversed = new int[rows];
        for (int r = 0; r < rows; r++) {
            data[r] = r % 1000;
            reversed[r] = rows - 1 - r;
        }
        try (RowOrder order = new RowOrder(backend, rows); Tensor src = backend.fromArray(data, rows, 1);
             Tensor dst = nanTensor(3, 1)) {
            order.upload(reversed);
            order.gather(src, 0, dst);
            // rows 16777216, 16777215, 16777214
            assertArrayEquals(new float[] {216, 215, 214}, dst.toArray());
            order.gather(src, rows - 3, dst);
            assertArrayEquals(new float[] {2, 1, 0}, dst.toArray());
        }
    }

    @Test
    void badOrdersAreRefusedWithWhatWasExpected() {
        try (RowOrder order = new RowOrder(backend, 3); Tensor src = backend.allocate(3, 1);
             Tensor dst = backend.allocate(1, 1)) {
            IllegalStateException early = assertThrows(IllegalStateException.class, () -> order.gather(src, 0, dst));
            assertEquals("gather before any row order was uploaded", early.getMessage());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> order.upload(new int[] {0, 1}));
            assertEquals("row order has 2 entries but the data has 3 rows", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> order.upload(new int[] {0, 3, 1}));
            assertEquals("row order entry 1 is 3, outside [0, 3)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> order.upload(new int[] {0, 1, -1}));
            assertEquals("row order entry 2 is -1, outside [0, 3)", e.getMessage());
            // The edges themselves are valid.
            order.upload(new int[] {2, 0, 2});
            src.copyFrom(new float[] {7, 8, 9});
            order.gather(src, 1, dst);
            assertArrayEquals(new float[] {7}, dst.toArray());
        }
        assertThrows(IllegalArgumentException.class, () -> new RowOrder(backend, 0));
    }
}
