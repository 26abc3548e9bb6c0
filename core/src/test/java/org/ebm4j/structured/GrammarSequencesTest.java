package org.ebm4j.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.data.Dataset;
import org.ebm4j.random.Philox;
import org.ebm4j.random.StreamId;
import org.junit.jupiter.api.Test;

class GrammarSequencesTest {

    /** Rows whose single value names the row, so each position says which row it copied; labels cycle 0..K-1 with K+1 rows of label 0. */
    private static Dataset pool(int labels) {
        int rows = labels + 1;
        float[] values = new float[rows * 2];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            values[2 * i] = i;
            values[2 * i + 1] = -i;
            y[i] = i % labels;
        }
        return new Dataset("pool", rows, 2, values, y, 0, 0);
    }

    /**
     * The documented grammar written out independently: per position one uniform decides "follow" (not at
     * t = 0), a second (when not following) picks the label as floor(u K), a third the row among that
     * label's rows in pool order; the draws are consecutive counters of one Philox draw of the stream.
     */
    private static int[][] expected(Dataset pool, int labels, int count, int length, double follow, long seed) {
        int[][] rowsOf = new int[labels][];
        for (int k = 0; k < labels; k++) {
            int kk = k;
            rowsOf[k] = java.util.stream.IntStream.range(0, pool.rows()).filter(i -> pool.labels()[i] == kk).toArray();
        }
        var rng = StreamId.STRUCTURED_SEQUENCES.open(seed);
        long draw = rng.nextDraw();
        long e = 0;
        int[] label = new int[count * length];
        int[] row = new int[count * length];
        for (int s = 0; s < count; s++) {
            for (int t = 0; t < length; t++) {
                int at = s * length + t;
                double u = Philox.uniform(rng.seed(), rng.streamId(), draw, e);
                e++;
                if (t != 0 && u < follow) {
                    label[at] = (label[at - 1] + 1) % labels;
                } else {
                    double v = Philox.uniform(rng.seed(), rng.streamId(), draw, e);
                    e++;
                    label[at] = Math.min(labels - 1, (int) Math.floor(v * labels));
                }
                int[] candidates = rowsOf[label[at]];
                double w = Philox.uniform(rng.seed(), rng.streamId(), draw, e);
                e++;
                row[at] = candidates[Math.min(candidates.length - 1, (int) Math.floor(w * candidates.length))];
            }
        }
        return new int[][] {label, row};
    }

    private static int[] copiedRows(Sequences s) {
        float[] v = s.positions().values();
        int[] rows = new int[s.positions().rows()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (int) v[2 * i];
            assertEquals(-rows[i], v[2 * i + 1], "position " + i + " copies both columns of its row");
        }
        return rows;
    }

    @Test
    void drawsFollowTheDocumentedGrammarDrawForDraw() {
        for (double follow : new double[] {0, 0.3, 0.7, 1}) {
            Dataset pool = pool(3);
            Sequences s = GrammarSequences.draw(pool, 3, 5, 6, follow, 41L);
            int[][] want = expected(pool, 3, 5, 6, follow, 41L);
            assertArrayEquals(want[0], s.positions().labels(), "labels, follow " + follow);
            assertArrayEquals(want[1], copiedRows(s), "rows, follow " + follow);
            assertArrayEquals(new int[] {6, 6, 6, 6, 6}, s.lengths());
            for (int i = 0; i < want[0].length; i++) {
                assertEquals(want[0][i], pool.labels()[want[1][i]], "a position takes a row of its own label");
            }
        }
    }

    @Test
    void followOneWalksTheSuccessorsAndFollowZeroNeverForcesThem() {
        Sequences s = GrammarSequences.draw(pool(4), 4, 40, 5, 1.0, 5L);
        int firstNonZero = 0;
        for (int q = 0; q < s.count(); q++) {
            int[] y = s.labels(q);
            for (int t = 1; t < y.length; t++) {
                assertEquals((y[t - 1] + 1) % 4, y[t], "sequence " + q);
            }
            firstNonZero += y[0] != 0 ? 1 : 0;
        }
        // the first label is uniform over 4 whatever follow is: 40 starts all at 0 has probability 4^-40
        assertTrue(firstNonZero > 0);
        Sequences z = GrammarSequences.draw(pool(4), 4, 40, 5, 0.0, 5L);
        int successors = 0;
        for (int q = 0; q < z.count(); q++) {
            int[] y = z.labels(q);
            for (int t = 1; t < y.length; t++) {
                successors += y[t] == (y[t - 1] + 1) % 4 ? 1 : 0;
            }
        }
        // 160 uniform transitions hit the successor with probability 1/4: mean 40, sd 5.5; 6 sd either side
        assertEquals(40, successors, 33);
    }

    @Test
    void sameArgumentsSameSequencesAndTheNameSaysHowTheyWereDrawn() {
        Sequences a = GrammarSequences.draw(pool(3), 3, 4, 3, 0.5, 9L);
        Sequences b = GrammarSequences.draw(pool(3), 3, 4, 3, 0.5, 9L);
        assertArrayEquals(a.positions().labels(), b.positions().labels());
        assertArrayEquals(a.positions().values(), b.positions().values());
        assertEquals("pool in 4 grammar sequences of 3 (follow 0.5, seed 9)", a.positions().name());
    }

    @Test
    void theSmallestValidArgumentsAreAccepted() {
        Sequences s = GrammarSequences.draw(pool(2), 2, 1, 1, 0.0, 1L);
        assertEquals(1, s.positions().rows());
        assertEquals(1, GrammarSequences.draw(pool(2), 2, 1, 1, 1.0, 1L).count());
    }

    @Test
    void badArgumentsAreRefusedWithWhatWasFound() {
        Dataset unlabelled = Dataset.of("plain", 2, 2, new float[4]);
        assertEquals("plain has no labels; grammar sequences need labelled rows",
                assertThrows(IllegalArgumentException.class, () -> GrammarSequences.draw(unlabelled, 2, 1, 1, 0.5, 1L))
                        .getMessage());
        String counts = "grammar sequences need >= 2 labels, >= 1 sequence and length >= 1, found ";
        assertEquals(counts + "1, 1 and 1", assertThrows(IllegalArgumentException.class,
                () -> GrammarSequences.draw(pool(2), 1, 1, 1, 0.5, 1L)).getMessage());
        assertEquals(counts + "2, 0 and 1", assertThrows(IllegalArgumentException.class,
                () -> GrammarSequences.draw(pool(2), 2, 0, 1, 0.5, 1L)).getMessage());
        assertEquals(counts + "2, 1 and 0", assertThrows(IllegalArgumentException.class,
                () -> GrammarSequences.draw(pool(2), 2, 1, 0, 0.5, 1L)).getMessage());
        for (double follow : new double[] {-0.01, 1.01, Double.NaN}) {
            assertEquals("the successor probability must lie in [0, 1], found " + follow,
                    assertThrows(IllegalArgumentException.class, () -> GrammarSequences.draw(pool(2), 2, 1, 1, follow, 1L))
                            .getMessage());
        }
        Dataset negative = new Dataset("neg", 2, 1, new float[2], new int[] {0, -1}, 0, 0);
        assertEquals("neg row 1 has label -1, outside 0..1", assertThrows(IllegalArgumentException.class,
                () -> GrammarSequences.draw(negative, 2, 1, 1, 0.5, 1L)).getMessage());
        Dataset tooBig = new Dataset("big", 2, 1, new float[2], new int[] {2, 0}, 0, 0);
        assertEquals("big row 0 has label 2, outside 0..1", assertThrows(IllegalArgumentException.class,
                () -> GrammarSequences.draw(tooBig, 2, 1, 1, 0.5, 1L)).getMessage());
        Dataset missing = new Dataset("gap", 2, 1, new float[2], new int[] {0, 0}, 0, 0);
        assertEquals("gap has no row of label 1", assertThrows(IllegalArgumentException.class,
                () -> GrammarSequences.draw(missing, 2, 1, 1, 0.5, 1L)).getMessage());
    }

    @Test
    void sequencesRefuseBadLengthsAndSlices() {
        Dataset three = new Dataset("three", 3, 1, new float[3], new int[] {0, 1, 0}, 0, 0);
        assertEquals("sequence 1 has length 0; expected >= 1", assertThrows(IllegalArgumentException.class,
                () -> new Sequences(three, new int[] {3, 0})).getMessage());
        assertEquals("the lengths add up to 2 positions but three has 3 rows", assertThrows(IllegalArgumentException.class,
                () -> new Sequences(three, new int[] {1, 1})).getMessage());
        Sequences s = new Sequences(three, new int[] {1, 2});
        assertArrayEquals(new int[] {0, 1, 3}, s.offsets());
        assertArrayEquals(new int[] {1, 0}, s.labels(1));
        assertEquals(2, s.slice(0, 2).count());
        // an empty slice passes the sequence check and is refused by the dataset's own
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.slice(1, 1)).getMessage().startsWith("three: row range"));
        assertArrayEquals(new int[] {2}, s.slice(1, 2).lengths());
        for (int[] bad : new int[][] {{-1, 1}, {0, 3}, {2, 1}}) {
            assertEquals("sequences " + bad[0] + ".." + bad[1] + " are outside 0..2", assertThrows(IllegalArgumentException.class,
                    () -> s.slice(bad[0], bad[1])).getMessage());
        }
    }
}
