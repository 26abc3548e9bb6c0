package org.ebm4j.energy.demo;

import org.ebm4j.data.Dataset;
import org.ebm4j.random.Philox;
import org.ebm4j.random.StreamId;

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
    /** A point counts for a cell when it lies within this distance of the cell's centre. */
    public static final float RADIUS = 0.3f;
    private static final int STREAM = StreamId.ENERGY_DEMO_DATA.id();

    /** Where a model's fantasies fall on the grid (see {@link #evaluate}). */
    public record Report(float radius, int[] countsPerCell, double missingCellShare, double meanPresentCellShare,
                         double fractionNearAnyCluster) {
        public Report {
            countsPerCell = countsPerCell.clone();
        }

        @Override
        public int[] countsPerCell() {
            return countsPerCell.clone();
        }
    }

    private ClusterGrid() {
    }

    /** {@link #sample} as a data set named {@code cluster-grid}. */
    public static Dataset dataset(int n, int missingRow, int missingColumn, long seed) {
        return Dataset.of("cluster-grid", n, 2, sample(n, missingRow, missingColumn, seed));
    }

    /** The coordinate of grid line {@code i} (0..4). */
    public static float line(int i) {
        return (i - (SIDE - 1) / 2f) * SPACING;
    }

    /**
     * {@code n} points, {@code n x 2} row-major, spread evenly over the 24 clusters other than
     * ({@code missingRow}, {@code missingColumn}), drawn with Philox from {@link StreamId#ENERGY_DEMO_DATA}
     * under {@code seed}.
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
            out[2 * i] = line(cell % SIDE) + SIGMA * Philox.normal(seed, STREAM, 0, 2L * i);
            out[2 * i + 1] = line(cell / SIDE) + SIGMA * Philox.normal(seed, STREAM, 0, 2L * i + 1);
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

    /**
     * Where the fantasies ({@code n x 2}) fall: their counts per cell within {@link #RADIUS} of a
     * centre (row-major, 25 cells), the share of all fantasies in the missing cell and in an average
     * present cell, and the share near any grid point. A product of experts that learned rows and
     * columns puts a share in the missing cell close to a present cell's.
     */
    public static Report evaluate(float[] fantasies, int missingRow, int missingColumn) {
        checkCell(missingRow, missingColumn);
        int[] counts = cellCounts(fantasies, RADIUS);
        int missing = missingRow * SIDE + missingColumn;
        long present = 0;
        int total = fantasies.length / 2;
        for (int c = 0; c < counts.length; c++) {
            if (c != missing) {
                present += counts[c];
            }
        }
        return new Report(RADIUS, counts, (double) counts[missing] / total,
                (double) present / (counts.length - 1) / total, (double) (present + counts[missing]) / total);
    }

    static void checkCell(int row, int column) {
        if (row < 0 || row >= SIDE || column < 0 || column >= SIDE) {
            throw new IllegalArgumentException("missing cluster must be a grid cell (row and column in 0..4), found ("
                    + row + ", " + column + ")");
        }
    }
}
