package org.ebm4j.data;

/**
 * Per-column standardization {@code (x - mean) / std} for Gaussian visible units, which assume unit
 * variance. Statistics come from training data and are stored with the model, so test data is
 * transformed the same way. A column with (near) zero spread is only centered.
 *
 * @param mean one mean per column
 * @param std  one positive scale per column
 */
public record Standardization(float[] mean, float[] std) {
    /** Columns whose standard deviation is below this are treated as constant (scale 1). */
    public static final double MIN_STD = 1e-6;

    public Standardization {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("standardization needs one mean and one std per column, found "
                    + mean.length + " means and " + std.length + " stds");
        }
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0f) || !Float.isFinite(std[j]) || !Float.isFinite(mean[j])) {
                throw new IllegalArgumentException("standardization column " + j + " has mean " + mean[j] + " and std "
                        + std[j] + "; expected finite values and std > 0");
            }
        }
    }

    /** Column means and standard deviations of {@code data}, accumulated in double. */
    public static Standardization fit(Dataset data) {
        int n = data.rows();
        int d = data.cols();
        float[] v = data.values();
        double[] sum = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                sum[j] += v[r * d + j];
            }
        }
        double[] sq = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                double c = v[r * d + j] - sum[j] / n;
                sq[j] += c * c;
            }
        }
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (float) (sum[j] / n);
            double s = Math.sqrt(sq[j] / n);
            std[j] = s < MIN_STD ? 1f : (float) s;
        }
        return new Standardization(mean, std);
    }

    /** A new data set with every column standardized. */
    public Dataset apply(Dataset data) {
        return map(data, false, " (standardized)");
    }

    /** A new data set with every column mapped back, {@code x * std + mean} (the inverse of {@link #apply}). */
    public Dataset invert(Dataset data) {
        return map(data, true, " (standardization undone)");
    }

    private Dataset map(Dataset data, boolean inverse, String suffix) {
        if (data.cols() != mean.length) {
            throw new IllegalArgumentException("standardization was fitted on " + mean.length + " columns but "
                    + data.name() + " has " + data.cols());
        }
        int d = mean.length;
        float[] v = data.values();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            int j = i % d;
            out[i] = inverse ? v[i] * std[j] + mean[j] : (v[i] - mean[j]) / std[j];
        }
        return data.withValues(data.name() + suffix, out);
    }
}
