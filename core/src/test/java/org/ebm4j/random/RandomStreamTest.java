package org.ebm4j.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomStreamTest {

    @Test
    void countsDraws() {
        RandomStream s = new RandomStream(5L);
        assertEquals(5L, s.seed());
        assertEquals(0, s.streamId());
        assertEquals(0L, s.drawIndex());
        assertEquals(0L, s.nextDraw());
        assertEquals(1L, s.nextDraw());
        assertEquals(2L, s.drawIndex());
        s.setDrawIndex(1L << 40);
        assertEquals(1L << 40, s.nextDraw());
        assertEquals((1L << 40) + 1, s.drawIndex());
        RandomStream t = new RandomStream(9L, 4, 77L);
        assertEquals(4, t.streamId());
        assertEquals(77L, t.nextDraw());
        assertEquals(0, new RandomStream(1L, 3).drawIndex());
        assertTrue(t.toString().contains("seed=9") && t.toString().contains("draw=78"), t.toString());
    }

    @Test
    void forkKeepsTheSeedAndStartsAFreshStream() {
        RandomStream s = new RandomStream(123L, 0, 50L);
        RandomStream f = s.fork(7);
        assertEquals(123L, f.seed());
        assertEquals(7, f.streamId());
        assertEquals(0L, f.drawIndex());
        assertEquals(50L, s.drawIndex(), "forking takes no draw from the parent");
        int[] a = new RandomStream(123L, 0, 0L).permutation(50);
        int[] b = f.permutation(50);
        assertFalse(Arrays.equals(a, b), "another stream id gives other numbers");
    }

    @Test
    void permutationIsAPermutationAndTakesOneDraw() {
        RandomStream s = new RandomStream(99L);
        for (int n : new int[] {0, 1, 2, 3, 7, 16, 33, 100, 257, 1000, 60_000}) {
            long before = s.drawIndex();
            int[] p = s.permutation(n);
            assertEquals(before + 1, s.drawIndex());
            assertEquals(n, p.length);
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                assertEquals(i, sorted[i], "permutation of " + n + " must hold every index once");
            }
        }
    }

    @Test
    void permutationIsDeterministicInSeedStreamAndDraw() {
        int[] a = new RandomStream(7L, 2, 10L).permutation(100);
        assertArrayEquals(a, new RandomStream(7L, 2, 10L).permutation(100));
        assertFalse(Arrays.equals(a, new RandomStream(7L, 2, 11L).permutation(100)));
        assertFalse(Arrays.equals(a, new RandomStream(8L, 2, 10L).permutation(100)));
        assertFalse(Arrays.equals(a, new RandomStream(7L, 3, 10L).permutation(100)));
    }

    /**
     * Every one of the 120 orders of 5 elements should come up with probability 1/120, and
     * every (position, value) pair with probability 1/5: each count within 5 standard errors.
     */
    @Test
    void permutationsAreUniform() {
        int trials = 24_000;
        RandomStream s = new RandomStream(2024L);
        Map<String, Integer> orders = new HashMap<>();
        int[][] cell = new int[5][5];
        for (int t = 0; t < trials; t++) {
            int[] p = s.permutation(5);
            orders.merge(Arrays.toString(p), 1, Integer::sum);
            for (int i = 0; i < 5; i++) {
                cell[i][p[i]]++;
            }
        }
        assertEquals(120, orders.size(), "all orders of 5 appear");
        double pOrder = 1.0 / 120;
        for (Map.Entry<String, Integer> e : orders.entrySet()) {
            assertEquals(trials * pOrder, e.getValue(), 5 * Math.sqrt(trials * pOrder * (1 - pOrder)), e.getKey());
        }
        for (int i = 0; i < 5; i++) {
            for (int v = 0; v < 5; v++) {
                assertEquals(trials * 0.2, cell[i][v], 5 * Math.sqrt(trials * 0.2 * 0.8), "position " + i + " value " + v);
            }
        }
    }

    /**
     * A permutation is Fisher-Yates over Philox4x32-10 words (the block function is pinned by the
     * Random123 known answers in {@code PhiloxTest}): swap {@code i} (from {@code n - 1} down) takes
     * word {@code e mod 4} of block counter {@code (e / 4, draw lo, draw hi, stream)}, key
     * {@code (seed lo, seed hi)}, {@code e = n - 1 - i}, and maps it to {@code floor(word * (i + 1) / 2^32)}.
     * Written out here independently, with seeds and draw indices whose high 32 bits matter: seeds
     * that differ only above bit 32 must give different orders, and each must equal the reference.
     */
    @Test
    void permutationMatchesFisherYatesOverPhiloxWordsForSeedsAndDrawsAboveTwoToThe32() {
        long[][] cases = {{0x1_0000_0000L, 0L}, {0x2_0000_0000L, 0L}, {0x7654_3210_0000_0005L, 3L},
            {5L, 0x3_0000_0001L}, {-2L, (1L << 40) + 7}};
        int n = 23;
        int stream = 9;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (long[] c : cases) {
            long seed = c[0];
            long draw = c[1];
            int[] expected = java.util.stream.IntStream.range(0, n).toArray();
            int[] words = new int[4];
            for (int i = n - 1; i > 0; i--) {
                int e = n - 1 - i;
                Philox.block(e / 4, (int) (draw & 0xFFFFFFFFL), (int) (draw >> 32), stream,
                        (int) (seed & 0xFFFFFFFFL), (int) (seed >> 32), words, 0);
                long word = Integer.toUnsignedLong(words[e % 4]);
                int j = (int) java.math.BigInteger.valueOf(word).multiply(java.math.BigInteger.valueOf(i + 1))
                        .shiftRight(32).longValueExact();
                int t = expected[i];
                expected[i] = expected[j];
                expected[j] = t;
            }
            RandomStream s = new RandomStream(seed, stream, draw);
            assertArrayEquals(expected, s.permutation(n), "seed " + Long.toHexString(seed) + " draw " + draw);
            assertEquals(draw + 1, s.drawIndex());
            assertTrue(seen.add(Arrays.toString(expected)), "seed " + Long.toHexString(seed) + " repeats an order");
        }
    }
}
