package org.ebm4j.energy;

/**
 * The location and scale of a data set that an energy model keeps: the per-column mean and one
 * overall spread (the root mean squared deviation from the column means, over every entry). The
 * uni-gauss experts start around them, and fantasies start broadly around them, so a model sampled
 * after loading starts where the data were.
 *
 * @param mean   per-column mean
 * @param spread {@code sqrt(sum_ij (x_ij - mean_j)^2 / (rows * cols))}
 */
public record DataMoments(double[] mean, double spread) {

    public DataMoments {
        mean = mean.clone();
        if (mean.length == 0) {
            throw new IllegalArgumentException("data moments need at least one column, found none");
        }
        if (!(spread >= 0) || !Double.isFinite(spread)) {
            throw new IllegalArgumentException("data spread must be finite and >= 0, found " + spread);
        }
    }

    /**
     * The moments of {@code rows x cols} values, row-major, accumulated in double. {@code NaN} entries are
     * missing and left out: a column's mean is over its observed entries, and the spread over every
     * observed entry.
     *
     * @throws IllegalArgumentException when an entry is infinite or a column has no observed entry
     */
    public static DataMoments of(float[] values, int rows, int cols) {
        if (rows < 1 || cols < 1 || (long) rows * cols != values.length) {
            throw new IllegalArgumentException("data moments need rows x cols >= 1x1 values matching their count, found "
                    + rows + "x" + cols + " and " + values.length + " values");
        }
        int[] seen = new int[cols];
        long observed = 0;
        for (int i = 0; i < values.length; i++) {
            if (Float.isInfinite(values[i])) {
                throw MissingEntries.infiniteEntry(i, cols, values[i]);
            }
            if (!Float.isNaN(values[i])) {
                seen[i % cols]++;
                observed++;
            }
        }
        for (int j = 0; j < cols; j++) {
            if (seen[j] == 0) {
                throw new IllegalArgumentException("column " + j + " of the data is missing (NaN) in every row; each"
                        + " column needs at least one observed entry");
            }
        }
        double[] mean = new double[cols];
        for (int i = 0; i < values.length; i++) {
            if (!Float.isNaN(values[i])) {
                mean[i % cols] += values[i] / (double) seen[i % cols];
            }
        }
        double spread = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Float.isNaN(values[i])) {
                double dev = values[i] - mean[i % cols];
                spread += dev * dev / (double) observed;
            }
        }
        return new DataMoments(mean, Math.sqrt(spread));
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** The mean rounded to float, as the model uses and stores it. */
    float[] meanAsFloats() {
        float[] m = new float[mean.length];
        for (int j = 0; j < m.length; j++) {
            m[j] = (float) mean[j];
        }
        return m;
    }
}
