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
}
