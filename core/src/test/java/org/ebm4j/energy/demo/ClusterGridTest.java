package org.ebm4j.energy.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.ebm4j.data.Dataset;
import org.junit.jupiter.api.Test;

class ClusterGridTest {

    @Test
    void pointsSpreadEvenlyOverEveryCellButTheMissingOne() {
        int n = 24 * 50;
        float[] xy = ClusterGrid.sample(n, 1, 3, 5);
        // Within 0.5 (5 sd) of its centre every point is counted: the chance of one beyond is 4e-6.
        int[] counts = ClusterGrid.cellCounts(xy, 0.5f);
        for (int cell = 0; cell < 25; cell++) {
            assertEquals(cell == 1 * 5 + 3 ? 0 : 50, counts[cell], "cell " + cell);
        }
        // The spread around the centres is SIGMA per axis: mean squared offset 0.01 (sd of the estimate 2.9e-4).
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double dx = xy[2 * i] - Math.round(xy[2 * i]);
            double dy = xy[2 * i + 1] - Math.round(xy[2 * i + 1]);
            sumSq += dx * dx + dy * dy;
        }
        double perAxis = sumSq / (2 * n);
        assertEquals(ClusterGrid.SIGMA * ClusterGrid.SIGMA, perAxis, 5 * 0.01 * Math.sqrt(2.0 / (2 * n)));
    }

    @Test
    void theSameSeedGivesTheSamePointsAndTheDatasetIsNamed() {
        assertArrayEquals(ClusterGrid.sample(30, 0, 0, 2), ClusterGrid.sample(30, 0, 0, 2));
        assertFalse(Arrays.equals(ClusterGrid.sample(30, 0, 0, 2), ClusterGrid.sample(30, 0, 0, 3)));
        Dataset d = ClusterGrid.dataset(30, 4, 4, 2);
        assertEquals("cluster-grid", d.name());
        assertArrayEquals(ClusterGrid.sample(30, 4, 4, 2), d.values());
        assertEquals("missing cluster must be a grid cell (row and column in 0..4), found (5, 0)",
                assertThrows(IllegalArgumentException.class, () -> ClusterGrid.sample(30, 5, 0, 2)).getMessage());
    }

    @Test
    void cellOfFindsTheNearestCentreWithinTheRadius() {
        assertEquals(0, ClusterGrid.cellOf(-2f, -2f, 0.3f));
        assertEquals(1 * 5 + 3, ClusterGrid.cellOf(1.1f, -0.9f, 0.3f));
        assertEquals(-1, ClusterGrid.cellOf(0.5f, 0f, 0.3f)); // halfway between two centres
        assertEquals(-1, ClusterGrid.cellOf(2.9f, 0f, 0.3f)); // off the grid
        assertEquals(2 * 5 + 2, ClusterGrid.cellOf(0.2f, 0.2f, 0.3f));
        assertEquals(-1, ClusterGrid.cellOf(0.25f, 0.25f, 0.3f)); // 0.354 from the centre
    }

    @Test
    void evaluateCountsTheMissingAndThePresentCells() {
        // 3 fantasies in the missing cell (row 1, column 3), 2 in each of the 24 others, 5 far away: 56 in all.
        float[] xy = new float[2 * 56];
        int p = 0;
        for (int cell = 0; cell < 25; cell++) {
            int k = cell == 1 * 5 + 3 ? 3 : 2;
            for (int i = 0; i < k; i++) {
                xy[p++] = ClusterGrid.line(cell % 5) + 0.05f * i;
                xy[p++] = ClusterGrid.line(cell / 5);
            }
        }
        for (int i = 0; i < 5; i++) {
            xy[p++] = 10f;
            xy[p++] = 10f;
        }
        ClusterGrid.Report r = ClusterGrid.evaluate(xy, 1, 3);
        assertEquals(ClusterGrid.RADIUS, r.radius());
        assertEquals(3, r.countsPerCell()[8]);
        assertEquals(2, r.countsPerCell()[0]);
        assertEquals(3.0 / 56, r.missingCellShare(), 1e-12);
        assertEquals(2.0 / 56, r.meanPresentCellShare(), 1e-12);
        assertEquals(51.0 / 56, r.fractionNearAnyCluster(), 1e-12);
    }

    /**
     * The documented draw: the 24 present cells in row-major order, point i in cell i mod 24 at the cell's
     * grid lines (-2..2) plus 0.1 times normals 2i and 2i+1 of draw 0.
     */
    @Test
    void pointsAreTheDocumentedNormalDrawsInTurnPerCell() {
        int stream = org.ebm4j.random.StreamId.ENERGY_DEMO_DATA.id();
        float[] got = ClusterGrid.sample(30, 1, 3, 12L);
        int[] cells = java.util.stream.IntStream.range(0, 25).filter(c -> c != 1 * 5 + 3).toArray();
        for (int i = 0; i < 30; i++) {
            int cell = cells[i % 24];
            float nx = org.ebm4j.random.Philox.normal(12L, stream, 0, 2L * i);
            float ny = org.ebm4j.random.Philox.normal(12L, stream, 0, 2L * i + 1);
            assertEquals((cell % 5 - 2) + 0.1f * nx, got[2 * i], 1e-6f, "x of point " + i);
            assertEquals((cell / 5 - 2) + 0.1f * ny, got[2 * i + 1], 1e-6f, "y of point " + i);
        }
        assertEquals(2, ClusterGrid.sample(1, 0, 0, 3).length, "one point is allowed");
        assertEquals(-2f, ClusterGrid.line(0));
        assertEquals(2f, ClusterGrid.line(4));
        for (int[] bad : new int[][] {{-1, 0}, {5, 0}, {0, -1}, {0, 5}}) {
            assertEquals("missing cluster must be a grid cell (row and column in 0..4), found (" + bad[0] + ", " + bad[1]
                    + ")", assertThrows(IllegalArgumentException.class, () -> ClusterGrid.evaluate(new float[2], bad[0],
                    bad[1])).getMessage());
        }
        // cellOf: the last row and column are cells, one step beyond is none; the radius is inclusive
        assertEquals(24, ClusterGrid.cellOf(2f, 2f, 0.3f));
        assertEquals(-1, ClusterGrid.cellOf(3f, 2f, 0.3f));
        assertEquals(-1, ClusterGrid.cellOf(2f, 3f, 0.3f));
        assertEquals(0, ClusterGrid.cellOf(-2f, -1.75f, 0.25f));
        assertEquals(-1, ClusterGrid.cellOf(-2f, -1.75f, 0.2f));
    }
}
