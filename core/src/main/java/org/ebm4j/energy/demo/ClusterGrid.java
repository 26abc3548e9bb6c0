package org.ebm4j.energy.demo;

import org.ebm4j.random.Philox;

/**
 * Hinton's product-of-experts demonstration data: a 5 x 5 grid of small round Gaussian clusters
 * (centres at {@code -2, -1, 0, 1, 2} on each axis, standard deviation {@link #SIGMA}) with one cluster
 * left out. A product of axis-aligned uni-gauss experts models the grid as rows AND columns, so it
 * tends to put a cluster in the missing place too.
 */
public final class ClusterGrid {
    public static final int SIDE = 5;
    public static final float SPACING = 1f;
    public static final float SIGMA = 0.1f;

    private ClusterGrid() {
    }

    /** The coordinate of grid line {@code i} (0..4). */
    public static float line(int i) {
        return (i - (SIDE - 1) / 2f) * SPACING;
    }

    /**
     * {@code n} points, {@code n x 2} row-major, spread evenly over the 24 clusters other than
     * ({@code missingRow}, {@code missingColumn}).
     */
    public static float[] sample(int n, int missingRow, int missingColumn, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("need >= 1 points, found " + n);
        }
        checkCell(missingRow, missingColumn);
        float[] out = new float[2 * n];
        int[] cells = new int[SIDE * SIDE - 1];
        int c = 0;
        for (int cell = 0; cell < SIDE * SIDE; cell++) {
            if (cell != missingRow * SIDE + missingColumn) {
                cells[c++] = cell;
            }
        }
        for (int i = 0; i < n; i++) {
            int cell = cells[i % cells.length];
            out[2 * i] = line(cell % SIDE) + SIGMA * Philox.normal(seed, 12, 0, 2L * i);
            out[2 * i + 1] = line(cell / SIDE) + SIGMA * Philox.normal(seed, 12, 0, 2L * i + 1);
        }
        return out;
    }

    /**
     * The grid cell ({@code row * 5 + column}) whose centre is within {@code radius} of {@code (x, y)},
     * or -1.
     */
    public static int cellOf(float x, float y, float radius) {
        int col = Math.round(x / SPACING + (SIDE - 1) / 2f);
        int row = Math.round(y / SPACING + (SIDE - 1) / 2f);
        if (col < 0 || col >= SIDE || row < 0 || row >= SIDE) {
            return -1;
        }
        float dx = x - line(col);
        float dy = y - line(row);
        return dx * dx + dy * dy <= radius * radius ? row * SIDE + col : -1;
    }

    /** Counts per cell (25 entries) of the points ({@code n x 2}) within {@code radius} of a centre. */
    public static int[] cellCounts(float[] xy, float radius) {
        int[] counts = new int[SIDE * SIDE];
        for (int i = 0; i < xy.length / 2; i++) {
            int cell = cellOf(xy[2 * i], xy[2 * i + 1], radius);
            if (cell >= 0) {
                counts[cell]++;
            }
        }
        return counts;
    }

    static void checkCell(int row, int column) {
        if (row < 0 || row >= SIDE || column < 0 || column >= SIDE) {
            throw new IllegalArgumentException("missing cluster must be a grid cell (row and column in 0..4), found ("
                    + row + ", " + column + ")");
        }
    }
}
