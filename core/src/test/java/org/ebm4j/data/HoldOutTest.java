package org.ebm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HoldOutTest {
    private static Dataset rows(String name, int n, int cols) {
        float[] v = new float[n * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Dataset.of(name, n, cols, v);
    }

    @Test
    void withoutATestSetTheLastRowsAreHeldOutAndNotTrainedOn() {
        Dataset d = rows("d", 10, 2);
        HoldOut h = HoldOut.split(d, null, 3);
        assertEquals(7, h.train().rows());
        assertEquals(3, h.heldOut().rows());
        assertArrayEquals(Arrays.copyOfRange(d.values(), 0, 14), h.train().values());
        assertArrayEquals(Arrays.copyOfRange(d.values(), 14, 20), h.heldOut().values());
    }

    @Test
    void withATestSetItsFirstRowsAreHeldOutAndEveryTrainingRowIsKept() {
        Dataset d = rows("d", 10, 2);
        Dataset t = rows("t", 5, 2);
        HoldOut h = HoldOut.split(d, t, 3);
        assertSame(d, h.train());
        assertArrayEquals(Arrays.copyOfRange(t.values(), 0, 6), h.heldOut().values());
        assertEquals(5, HoldOut.split(d, t, 100).heldOut().rows(), "at most the whole test set");
    }

    @Test
    void noneAndBadRequests() {
        Dataset d = rows("d", 10, 2);
        HoldOut none = HoldOut.split(d, rows("t", 5, 2), 0);
        assertSame(d, none.train());
        assertNull(none.heldOut());
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class, () -> HoldOut.split(d, null, 10));
        assertEquals("a hold-out of 10 rows leaves no training rows: d has 10 (hold out fewer rows, or none)",
                all.getMessage());
        IllegalArgumentException cols = assertThrows(IllegalArgumentException.class,
                () -> HoldOut.split(d, rows("t", 5, 3), 1));
        assertEquals("test data t has 3 columns but the training data d has 2", cols.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HoldOut.split(d, null, -1));
    }

    @Test
    void standardizationInvertsItself() {
        Dataset d = Dataset.of("x", 3, 2, new float[] {1, 10, 2, 20, 4, 60});
        Standardization st = Standardization.fit(d);
        float[] back = st.invert(st.apply(d)).values();
        for (int i = 0; i < back.length; i++) {
            assertEquals(d.values()[i], back[i], 1e-5);
        }
    }
}
