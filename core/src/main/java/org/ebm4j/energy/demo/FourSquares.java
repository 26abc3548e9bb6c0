package org.ebm4j.energy.demo;

import org.ebm4j.data.Dataset;
import org.ebm4j.energy.MissingInputs;
import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.random.Philox;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

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

    /** Rows of data whose {@code y} {@link #evaluate} forgets and completes by descending the energy. */
    public static final int COMPLETED_ROWS = 200;
    private static final int STREAM = StreamId.ENERGY_DEMO_DATA.id();

    /** What a model trained on the four squares makes of them (see {@link #evaluate}). */
    public record Report(double fantasyFractionInside, double[] fantasyShareBySquare, double dataFractionInside,
                         double completedFractionInside) {
        public Report {
            fantasyShareBySquare = fantasyShareBySquare.clone();
        }

        @Override
        public double[] fantasyShareBySquare() {
            return fantasyShareBySquare.clone();
        }
    }

    /** {@link #sample} as a data set named {@code four-squares}. */
    public static Dataset dataset(int n, long seed) {
        return Dataset.of("four-squares", n, 2, sample(n, seed));
    }

    /**
     * {@code n} points, {@code n x 2} row-major, drawn with Philox from {@link StreamId#ENERGY_DEMO_DATA}
     * under {@code seed}.
     */
    public static float[] sample(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("need >= 1 points, found " + n);
        }
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            int square = i % 4;
            float cx = (square & 1) == 0 ? -CENTER : CENTER;
            float cy = (square & 2) == 0 ? -CENTER : CENTER;
            out[2 * i] = cx + HALF_SIDE * (2 * Philox.uniform(seed, STREAM, 0, 2L * i) - 1);
            out[2 * i + 1] = cy + HALF_SIDE * (2 * Philox.uniform(seed, STREAM, 0, 2L * i + 1) - 1);
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

    /**
     * The share of the points ({@code n x 2}) inside each square, in the order (-,-), (+,-), (-,+), (+,+)
     * of the signs of (x, y): a model that drops a mode shows it here.
     */
    public static double[] shareBySquare(float[] xy) {
        int n = xy.length / 2;
        double[] share = new double[4];
        for (int i = 0; i < n; i++) {
            float x = xy[2 * i];
            float y = xy[2 * i + 1];
            if (inside(x, y)) {
                share[(x > 0 ? 1 : 0) + (y > 0 ? 2 : 0)] += 1.0 / n;
            }
        }
        return share;
    }

    /**
     * How a model of the four squares does: the fraction of its fantasies ({@code n x 2}) inside the
     * squares and their share per square, the same fraction for the data, and the fraction inside of
     * completions: the first {@value #COMPLETED_ROWS} data points keep their {@code x}, forget their
     * {@code y} and get it back by {@link MissingInputs#complete} (500 descent steps of 0.01 from
     * {@code N(0, 1)} noise drawn from {@link StreamId#ENERGY_EVALUATION} under {@code seed}).
     */
    public static Report evaluate(EnergyFunction model, float[] data, float[] fantasies, long seed) {
        if (model.dimension() != 2) {
            throw new IllegalArgumentException("the four squares are 2-D but the model's energy takes "
                    + model.dimension());
        }
        int m = Math.min(COMPLETED_ROWS, data.length / 2);
        float[] partial = new float[2 * m];
        float[] mask = new float[2 * m];
        for (int i = 0; i < m; i++) {
            partial[2 * i] = data[2 * i];
            mask[2 * i] = 1;
        }
        Backend b = model.backend();
        double completed;
        try (Tensor x = b.fromArray(partial, m, 2); Tensor observed = b.fromArray(mask, m, 2)) {
            MissingInputs.complete(model, x, observed, 1f, 0.01f, 500, StreamId.ENERGY_EVALUATION.open(seed));
            completed = fractionInside(x.toArray());
        }
        return new Report(fractionInside(fantasies), shareBySquare(fantasies), fractionInside(data), completed);
    }
}
