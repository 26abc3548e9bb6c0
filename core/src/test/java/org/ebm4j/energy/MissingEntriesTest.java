package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bookkeeping of {@link MissingEntries} on a 5 x 3 table small enough to work out by hand: which
 * entries are missing, their starting values (the mean of the column's observed entries), which rows a
 * gather or a fill reads, and that a fill keeps the moved values of exactly the missing entries of its rows.
 */
@ExtendWith(NoLeakedTensors.class)
class MissingEntriesTest {
    private static final float NAN = Float.NaN;
    private static final float[] DATA = {
        1, NAN, 3,
        NAN, 2, 6,
        4, 5, NAN,
        2, 8, 9,
        NAN, NAN, 0,
    };
    // Column means of the observed entries: (1 + 4 + 2) / 3, (2 + 5 + 8) / 3, (3 + 6 + 9 + 0) / 4.
    private static final float M0 = (float) (7.0 / 3);
    private static final float M1 = 5f;
    private static final float M2 = 4.5f;
    private static final float[][] STARTS = {
        {1, M1, 3},
        {M0, 2, 6},
        {4, 5, M2},
        {2, 8, 9},
        {M0, M1, 0},
    };

    // E = 0.25 |x|^2: the conditional chains move the missing entries, whatever the values.
    private static EnergyNetwork energy(Backend b) {
        return new EnergyNetwork(b, 3, List.of(new EnergyNetwork.Layer(1, Activation.SOFTPLUS)), 0.5);
    }

    private static float[] rows(int... r) {
        float[] out = new float[3 * r.length];
        for (int i = 0; i < r.length; i++) {
            System.arraycopy(STARTS[r[i]], 0, out, 3 * i, 3);
        }
        return out;
    }

    private static float[] gathered(MissingEntries m, Backend b, int[] indices, int offset, int count) {
        try (Tensor out = b.allocate(count, 3)) {
            b.fill(out, NAN);
            m.gather(indices, offset, out);
            return out.toArray();
        }
    }

    @Test
    void missingEntriesStartAtTheirColumnsObservedMeanAndGatherReadsTheIndexedRows() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork e = energy(b);
             Tensor data = b.fromArray(DATA, 5, 3);
             MissingEntries m = MissingEntries.of(e, data, 2)) {
            assertEquals(5, m.missingCount());
            int[] order = {4, 0, 2, 3};
            assertArrayEquals(rows(0, 2), gathered(m, b, order, 1, 2), "as many rows as the batch");
            assertArrayEquals(rows(4, 0, 2), gathered(m, b, order, 0, 3), "more rows than the batch");
            assertArrayEquals(rows(3), gathered(m, b, order, 3, 1), "fewer rows than the batch");
        }
    }

    @Test
    void aFillMovesTheMissingEntriesOfItsRowsOnlyAndKeepsWhereTheyStopped() {
        Backend b = new ReferenceBackend();
        int[] order = {3, 1, 4, 0};
        try (EnergyNetwork e = energy(b);
             Tensor data = b.fromArray(DATA, 5, 3);
             MissingEntries m = MissingEntries.of(e, data, 2);
             Tensor batch = b.allocate(2, 3)) {
            b.fill(batch, NAN);
            assertEquals(1.0, m.fill(order, 1, batch, 0.3f, 2, 0, new RandomStream(3)), 0);
            assertArrayEquals(rows(1, 4), batch.toArray(), "no trajectories: the rows as they stand");

            b.fill(batch, NAN);
            m.fill(order, 1, batch, 0.3f, 2, 3, new RandomStream(3));
            float[] moved = batch.toArray();
            float[] before = rows(1, 4);
            for (int i = 0; i < moved.length; i++) {
                if (Float.isNaN(DATA[3 * order[1 + i / 3] + i % 3])) {
                    assertNotEquals(before[i], moved[i], "missing entry " + i + " of the batch moved");
                } else {
                    assertEquals(before[i], moved[i], 0f, "observed entry " + i + " of the batch kept");
                }
            }
            float[] now = gathered(m, b, new int[] {1, 4, 0, 2, 3}, 0, 5);
            assertArrayEquals(moved, Arrays.copyOf(now, 6), "the moved rows are kept");
            assertArrayEquals(rows(0, 2, 3), Arrays.copyOfRange(now, 6, 15), "the other rows are untouched");
        }
    }

    @Test
    void saveKeepsEveryRowAndRestoreTakesBackOnlyTheMissingEntries() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork e = energy(b);
             Tensor data = b.fromArray(DATA, 5, 3);
             MissingEntries m = MissingEntries.of(e, data, 2)) {
            TrainingState.Builder s = TrainingState.builder("test", 0);
            m.save(s);
            float[] all = rows(0, 1, 2, 3, 4);
            assertArrayEquals(all, s.build().array("missing_fill", 5, 3));
            float[] other = new float[15];
            for (int i = 0; i < other.length; i++) {
                other[i] = 100 + i;
            }
            m.restore(TrainingState.builder("test", 0).array("missing_fill", 5, 3, other).build());
            float[] expected = new float[15];
            for (int i = 0; i < 15; i++) {
                expected[i] = Float.isNaN(DATA[i]) ? other[i] : DATA[i];
            }
            assertArrayEquals(expected, gathered(m, b, new int[] {0, 1, 2, 3, 4}, 0, 5));
        }
    }

    @Test
    void completeDataHasNoMissingEntriesAndBadTablesAreRefused() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork e = energy(b);
             Tensor full = b.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
             Tensor infinite = b.fromArray(new float[] {1, NAN, 3, 4, Float.NEGATIVE_INFINITY, 6}, 2, 3);
             Tensor blind = b.fromArray(new float[] {1, 2, NAN, 4, 5, NAN}, 2, 3)) {
            assertNull(MissingEntries.of(e, full, 2));
            assertEquals("data entry (row 1, column 1) is -Infinity; entries must be finite, or NaN where missing",
                    assertThrows(IllegalArgumentException.class, () -> MissingEntries.of(e, infinite, 2)).getMessage());
            assertEquals("column 2 of the training data is missing (NaN) in every row; each column needs at least one"
                    + " observed entry", assertThrows(IllegalArgumentException.class,
                    () -> MissingEntries.of(e, blind, 2)).getMessage());
        }
    }
}
