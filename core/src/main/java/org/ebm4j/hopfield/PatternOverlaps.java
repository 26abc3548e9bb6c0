package org.ebm4j.hopfield;

/**
 * Overlaps {@code m = (1/n) sum_i a_i b_i} between -1/+1 rows of {@code n} units, the measure of
 * recall quality: 1 for the pattern itself, -1 for its negative, near 0 for an unrelated state.
 */
public final class PatternOverlaps {
    private PatternOverlaps() {
    }

    /** The overlap of row {@code rowA} of {@code a} with row {@code rowB} of {@code b} (both row-major, {@code n} per row). */
    public static double overlap(float[] a, int rowA, float[] b, int rowB, int n) {
        long dot = 0;
        for (int i = 0; i < n; i++) {
            dot += a[rowA * n + i] == b[rowB * n + i] ? 1 : -1;
        }
        return (double) dot / n;
    }

    /** The index of the row of {@code patterns} with the largest overlap with {@code states[row]} (the first on ties). */
    public static int nearest(float[] states, int row, float[] patterns, int n) {
        int best = 0;
        double bestM = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < patterns.length / n; p++) {
            double m = overlap(states, row, patterns, p, n);
            if (m > bestM) {
                bestM = m;
                best = p;
            }
        }
        return best;
    }
}
