package org.ebm4j.energy.demo;

import org.ebm4j.random.Philox;

/**
 * The "four squares" data: points uniform inside four axis-aligned unit squares, centred at
 * {@code (+-1.5, +-1.5)} (so each square spans {@code [1, 2]} or {@code [-2, -1]} per axis), equal
 * numbers in each. A density with four flat plateaus and sharp walls: a model must put its energy
 * walls in the right places for its samples to land inside.
 */
public final class FourSquares {
    /** Square centres, one per quadrant. */
    public static final float CENTER = 1.5f;
    /** Half the side of each square. */
    public static final float HALF_SIDE = 0.5f;

    private FourSquares() {
    }

    /** {@code n} points, {@code n x 2} row-major, drawn with Philox under {@code seed}. */
    public static float[] sample(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("need >= 1 points, found " + n);
        }
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            int square = i % 4;
            float cx = (square & 1) == 0 ? -CENTER : CENTER;
            float cy = (square & 2) == 0 ? -CENTER : CENTER;
            out[2 * i] = cx + HALF_SIDE * (2 * Philox.uniform(seed, 11, 0, 2L * i) - 1);
            out[2 * i + 1] = cy + HALF_SIDE * (2 * Philox.uniform(seed, 11, 0, 2L * i + 1) - 1);
        }
        return out;
    }

    /** Whether {@code (x, y)} lies inside one of the squares. */
    public static boolean inside(float x, float y) {
        return Math.abs(Math.abs(x) - CENTER) <= HALF_SIDE && Math.abs(Math.abs(y) - CENTER) <= HALF_SIDE;
    }

    /** The fraction of the points ({@code n x 2} row-major) inside the squares. */
    public static double fractionInside(float[] xy) {
        int n = xy.length / 2;
        int in = 0;
        for (int i = 0; i < n; i++) {
            if (inside(xy[2 * i], xy[2 * i + 1])) {
                in++;
            }
        }
        return (double) in / n;
    }
}
