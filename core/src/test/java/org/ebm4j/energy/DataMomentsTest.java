package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link DataMoments} of small tables worked out by hand, and its refusals with their messages. */
class DataMomentsTest {

    /**
     * Columns {1, NaN, 4} and {2, 6, NaN}: means 2.5 and 4 over the observed entries; deviations -1.5, 1.5, -2,
     * 2, so the spread is sqrt((2 * 2.25 + 2 * 4) / 4) = sqrt(3.125).
     */
    @Test
    void momentsLeaveMissingEntriesOut() {
        DataMoments m = DataMoments.of(new float[] {1, 2, Float.NaN, 6, 4, Float.NaN}, 3, 2);
        assertArrayEquals(new double[] {2.5, 4}, m.mean(), 1e-15);
        assertEquals(Math.sqrt(3.125), m.spread(), 1e-15);
        assertArrayEquals(new float[] {2.5f, 4f}, m.meanAsFloats());
    }

    /** One row of one column is enough: its mean is the value, its spread 0. */
    @Test
    void aSingleEntryIsItsOwnMean() {
        DataMoments m = DataMoments.of(new float[] {-3.5f}, 1, 1);
        assertArrayEquals(new double[] {-3.5}, m.mean());
        assertEquals(0.0, m.spread());
    }

    @Test
    void malformedTablesAreRefused() {
        assertEquals("data moments need rows x cols >= 1x1 values matching their count, found 0x2 and 0 values",
                assertThrows(IllegalArgumentException.class, () -> DataMoments.of(new float[0], 0, 2)).getMessage());
        assertEquals("data moments need rows x cols >= 1x1 values matching their count, found 2x0 and 0 values",
                assertThrows(IllegalArgumentException.class, () -> DataMoments.of(new float[0], 2, 0)).getMessage());
        assertEquals("data moments need rows x cols >= 1x1 values matching their count, found 2x2 and 3 values",
                assertThrows(IllegalArgumentException.class, () -> DataMoments.of(new float[3], 2, 2)).getMessage());
        assertEquals("data entry (row 1, column 0) is Infinity; entries must be finite, or NaN where missing",
                assertThrows(IllegalArgumentException.class,
                        () -> DataMoments.of(new float[] {1, 2, Float.POSITIVE_INFINITY, 3}, 2, 2)).getMessage());
        assertEquals("column 1 of the data is missing (NaN) in every row; each column needs at least one observed entry",
                assertThrows(IllegalArgumentException.class,
                        () -> DataMoments.of(new float[] {1, Float.NaN, 2, Float.NaN}, 2, 2)).getMessage());
        assertEquals("data moments need at least one column, found none",
                assertThrows(IllegalArgumentException.class, () -> new DataMoments(new double[0], 1)).getMessage());
        for (double bad : new double[] {-1e-9, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertEquals("data spread must be finite and >= 0, found " + bad,
                    assertThrows(IllegalArgumentException.class, () -> new DataMoments(new double[1], bad)).getMessage());
        }
    }
}
