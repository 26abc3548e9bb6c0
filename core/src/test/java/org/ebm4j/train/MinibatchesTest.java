package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MinibatchesTest {

    /** Splits counted by hand: 10 rows in 4s are 4, 4 and 2; in 5s two full batches; 3 rows in 8s one batch of 3. */
    @ParameterizedTest
    @CsvSource({"10, 4, 4, 2, 3", "10, 5, 5, 0, 2", "3, 8, 3, 0, 1", "7, 1, 1, 0, 7", "7, 6, 6, 1, 2"})
    void splitsTheRowsIntoFullBatchesAndOneRemainder(int rows, int batchSize, int size, int remainder, int count) {
        Minibatches m = Minibatches.of(rows, batchSize);
        assertEquals(size, m.size());
        assertEquals(remainder, m.remainder());
        assertEquals(count, m.count());
        if (remainder == 0) {
            assertNull(m.tail(r -> "never made"));
        } else {
            assertEquals("tail of " + remainder, m.tail(r -> "tail of " + r));
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 4, 'minibatches need 1 <= size <= rows, found size 0 for 0 rows'",
        "5, 0, 'minibatches need 1 <= size <= rows, found size 0 for 5 rows'"})
    void emptyDataAndEmptyBatchesAreRefused(int rows, int batchSize, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Minibatches.of(rows, batchSize))
                .getMessage());
    }

    /**
     * An epoch's updates listed by hand: 10 rows in 4s are full batches at rows 0 and 4, then the tail at
     * row 8; 8 rows in 4s have no tail; 3 rows in 8s are one full batch of 3. Each update is followed by
     * the count of batches done. One row, and batches of one row, are the smallest splits allowed.
     */
    @ParameterizedTest
    @CsvSource({"10, 4, 'full 0 @0, done 1, full 1 @4, done 2, tail 2 @8, done 3'",
        "8, 4, 'full 0 @0, done 1, full 1 @4, done 2'", "3, 8, 'full 0 @0, done 1'", "1, 1, 'full 0 @0, done 1'",
        "2, 1, 'full 0 @0, done 1, full 1 @1, done 2'"})
    void forEachRunsTheFullBatchesThenTheTailCountingEach(int rows, int batchSize, String expected) {
        Minibatches m = Minibatches.of(rows, batchSize);
        List<String> events = new ArrayList<>();
        m.forEach("full", m.tail(r -> "tail"), (w, batch, offset) -> events.add(w + " " + batch + " @" + offset),
                done -> events.add("done " + done));
        assertEquals(expected, String.join(", ", events));
    }
}
