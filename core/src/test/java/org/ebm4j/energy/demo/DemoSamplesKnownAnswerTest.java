package org.ebm4j.energy.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ebm4j.random.Philox;
import org.ebm4j.random.StreamId;
import org.junit.jupiter.api.Test;

/**
 * The demo data sets point by point, recomputed here from their definitions: draw {@code 2i} and
 * {@code 2i + 1} of the ENERGY_DEMO_DATA stream give point {@code i}'s two coordinates.
 */
class DemoSamplesKnownAnswerTest {
    private static final int STREAM = StreamId.ENERGY_DEMO_DATA.id();

    /**
     * Point i of the cluster grid lies in the (i mod 24)-th present cell in row-major order, at the cell's
     * centre ({@code column - 2}, {@code row - 2}) plus 0.1 times a standard normal per coordinate.
     */
    @Test
    void clusterGridPointsAreTheirCellCentresPlusScaledNormals() {
        int n = 50;
        long seed = 9;
        float[] xy = ClusterGrid.sample(n, 1, 3, seed);
        assertEquals(2 * n, xy.length);
        for (int i = 0; i < n; i++) {
            int k = i % 24;
            int cell = k < 8 ? k : k + 1; // cell 8 = row 1, column 3 is the missing one
            float x = (cell % 5 - 2) + 0.1f * Philox.normal(seed, STREAM, 0, 2L * i);
            float y = (cell / 5 - 2) + 0.1f * Philox.normal(seed, STREAM, 0, 2L * i + 1);
            assertEquals(x, xy[2 * i], 0f, "x of point " + i);
            assertEquals(y, xy[2 * i + 1], 0f, "y of point " + i);
        }
        // With cell (0, 0) missing, the first point lies in row 0, column 1.
        assertArrayEquals(new float[] {-1 + 0.1f * Philox.normal(seed, STREAM, 0, 0),
            -2 + 0.1f * Philox.normal(seed, STREAM, 0, 1)}, ClusterGrid.sample(1, 0, 0, seed), 0f);
    }

    /**
     * Point i of the four squares lies in square i mod 4 (bit 0: right, bit 1: top), centres at +-1.5, at
     * the centre plus {@code 0.5 (2u - 1)} per coordinate.
     */
    @Test
    void fourSquaresPointsAreTheirSquareCentresPlusScaledUniforms() {
        int n = 12;
        long seed = 4;
        float[] xy = FourSquares.sample(n, seed);
        for (int i = 0; i < n; i++) {
            float cx = (i % 4 & 1) == 0 ? -1.5f : 1.5f;
            float cy = (i % 4 & 2) == 0 ? -1.5f : 1.5f;
            assertEquals(cx + 0.5f * (2 * Philox.uniform(seed, STREAM, 0, 2L * i) - 1), xy[2 * i], 0f);
            assertEquals(cy + 0.5f * (2 * Philox.uniform(seed, STREAM, 0, 2L * i + 1) - 1), xy[2 * i + 1], 0f);
        }
    }

    /** Off the grid by rounding: x = 2.51 rounds to column 5, which does not exist, whatever the radius. */
    @Test
    void cellOfRefusesColumnsAndRowsPastTheGrid() {
        assertEquals(-1, ClusterGrid.cellOf(2.51f, 0f, 10f));
        assertEquals(-1, ClusterGrid.cellOf(0f, 2.51f, 10f));
        assertEquals(-1, ClusterGrid.cellOf(-2.51f, 0f, 10f));
        assertEquals(-1, ClusterGrid.cellOf(0f, -2.51f, 10f));
        assertEquals(4 * 5 + 4, ClusterGrid.cellOf(2.49f, 2.49f, 10f));
        assertEquals(0, ClusterGrid.cellOf(-2.49f, -2.49f, 10f));
        // Exactly at the radius counts: 0.25 from the centre with radius 0.25 (both exact in float).
        assertEquals(2 * 5 + 2, ClusterGrid.cellOf(0.25f, 0f, 0.25f));
    }
}
