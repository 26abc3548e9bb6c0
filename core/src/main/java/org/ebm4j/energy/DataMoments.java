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

    /** The moments of {@code rows x cols} values, row-major, accumulated in double. */
    public static DataMoments of(float[] values, int rows, int cols) {
        if (rows < 1 || cols < 1 || (long) rows * cols != values.length) {
            throw new IllegalArgumentException("data moments need rows x cols >= 1x1 values matching their count, found "
                    + rows + "x" + cols + " and " + values.length + " values");
        }
        double[] mean = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                mean[j] += values[i * cols + j] / (double) rows;
            }
        }
        double spread = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double dev = values[i * cols + j] - mean[j];
                spread += dev * dev / ((double) rows * cols);
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
