package org.ebm4j.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatticeTest {

    /**
     * Three nodes: edge 0 goes straight from the start to the end with factor 0, edges 1 and 2 go through
     * node 1 with factors 1 and none (energy 0).
     */
    private static Lattice diamond() {
        return new Lattice(3, new int[] {0, 0, 1}, new int[] {2, 1, 2}, new int[] {0, 1, -1});
    }

    @Test
    void theEdgesAreReadBackAsGiven() {
        Lattice l = diamond();
        assertEquals(3, l.edges());
        assertEquals(0, l.start());
        assertEquals(2, l.end());
        assertArrayEquals(new int[] {0, 0, 1}, new int[] {l.source(0), l.source(1), l.source(2)});
        assertArrayEquals(new int[] {2, 1, 2}, new int[] {l.target(0), l.target(1), l.target(2)});
        assertArrayEquals(new int[] {0, 1, -1}, new int[] {l.factor(0), l.factor(1), l.factor(2)});
    }

    @Test
    void theBestPathMayBeTheFirstEdgeAndTiesGoToTheEdgeListedFirst() {
        Lattice l = diamond();
        Lattice.Path direct = l.bestPath(new double[] {-1, 0});
        assertArrayEquals(new int[] {0}, direct.edges());
        assertEquals(-1, direct.energy());
        Lattice.Path around = l.bestPath(new double[] {1, -0.5});
        assertArrayEquals(new int[] {1, 2}, around.edges());
        assertEquals(-0.5, around.energy());
        // both paths cost 0.25: the direct edge is listed first
        assertArrayEquals(new int[] {0}, l.bestPath(new double[] {0.25, 0.25}).edges());
    }

    @Test
    void posteriorsAndPathIndicatorsCountFactorZeroToo() {
        Lattice l = diamond();
        double beta = 2;
        double[] f = {0.3, -0.2};
        // two paths with energies 0.3 and -0.2: F = -(1/beta) log(e^{-0.6} + e^{0.4})
        double z = Math.exp(-beta * 0.3) + Math.exp(beta * 0.2);
        double free = -Math.log(z) / beta;
        assertEquals(free, l.freeEnergy(f, beta), 1e-15);
        double[] grad = {10, 20};
        assertEquals(free, l.addFactorPosteriors(f, beta, 3, grad), 1e-15);
        assertEquals(10 + 3 * Math.exp(-beta * 0.3) / z, grad[0], 1e-12);
        assertEquals(20 + 3 * Math.exp(beta * 0.2) / z, grad[1], 1e-12);
        double[] indicator = {1, 1};
        l.addPathIndicator(l.bestPath(new double[] {-1, 0}), 0.5, indicator);
        assertArrayEquals(new double[] {1.5, 1}, indicator);
        l.addPathIndicator(l.bestPath(new double[] {1, -1}), -2, indicator);
        assertArrayEquals(new double[] {1.5, -1}, indicator);
    }

    @Test
    void aLatticeWithoutAPathHasInfiniteFreeEnergyAndNoPosteriors() {
        Lattice l = new Lattice(3, new int[] {0}, new int[] {1}, new int[] {0});
        assertEquals(Double.POSITIVE_INFINITY, l.freeEnergy(new double[] {1}, 1));
        assertEquals(0, l.bestPath(new double[] {1}).edges().length);
        assertEquals("the lattice has no path from start to end", assertThrows(IllegalArgumentException.class,
                () -> l.addFactorPosteriors(new double[] {1}, 1, 1, new double[1])).getMessage());
    }

    @Test
    void badLatticesAndTemperaturesAreRefused() {
        assertEquals("a lattice needs >= 2 nodes (a start and an end), found 1", assertThrows(IllegalArgumentException.class,
                () -> new Lattice(1, new int[0], new int[0], new int[0])).getMessage());
        assertEquals(0, new Lattice(2, new int[0], new int[0], new int[0]).edges());
        assertEquals("expected as many sources, targets and factors, found 1, 2 and 1", assertThrows(
                IllegalArgumentException.class, () -> new Lattice(3, new int[] {0}, new int[] {1, 2}, new int[] {0}))
                .getMessage());
        assertEquals("expected as many sources, targets and factors, found 1, 1 and 0", assertThrows(
                IllegalArgumentException.class, () -> new Lattice(3, new int[] {0}, new int[] {1}, new int[0]))
                .getMessage());
        int[][][] bad = {{{-1}, {1}}, {{0}, {3}}, {{1}, {1}}, {{1, 0}, {2, 2}}};
        String[] what = {"edge 0 (-1 -> 1)", "edge 0 (0 -> 3)", "edge 0 (1 -> 1)", "edge 1 (0 -> 2)"};
        for (int i = 0; i < bad.length; i++) {
            int[][] b = bad[i];
            assertEquals(what[i] + " breaks the order: sources non-decreasing, each target above its source, all below 3",
                    assertThrows(IllegalArgumentException.class,
                            () -> new Lattice(3, b[0], b[1], new int[b[0].length])).getMessage());
        }
        assertEquals(2, new Lattice(3, new int[] {0, 0}, new int[] {2, 1}, new int[] {-1, -1}).edges(),
                "equal sources and a target on the last node are in order");
        Lattice l = diamond();
        for (double beta : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            String message = "inverse temperature beta must be finite and > 0, found " + beta;
            assertEquals(message, assertThrows(IllegalArgumentException.class,
                    () -> l.freeEnergy(new double[2], beta)).getMessage());
            assertEquals(message, assertThrows(IllegalArgumentException.class,
                    () -> l.addFactorPosteriors(new double[2], beta, 1, new double[2])).getMessage());
        }
    }
}
