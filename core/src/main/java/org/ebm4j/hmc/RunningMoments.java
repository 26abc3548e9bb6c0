package org.ebm4j.hmc;

/**
 * Per-coordinate running mean and variance (Welford's update, in double) of {@code d}-dimensional
 * samples: the windowed estimate of the diagonal metric, and sample summaries without keeping the
 * draws.
 */
public final class RunningMoments {
    private final int d;
    private final double[] mean;
    private final double[] m2;
    private long count;

    public RunningMoments(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, found " + d);
        }
        this.d = d;
        this.mean = new double[d];
        this.m2 = new double[d];
    }

    /** Adds {@code rows} samples stored row-major in {@code x[0 .. rows*d)}. */
    public void addRows(float[] x, int rows) {
        if (x.length < (long) rows * d) {
            throw new IllegalArgumentException("need " + rows + " x " + d + " values but found " + x.length);
        }
        for (int r = 0; r < rows; r++) {
            count++;
            int off = r * d;
            for (int j = 0; j < d; j++) {
                double v = x[off + j];
                double delta = v - mean[j];
                mean[j] += delta / count;
                m2[j] += delta * (v - mean[j]);
            }
        }
    }

    public long count() {
        return count;
    }

    public double[] mean() {
        return mean.clone();
    }

    /** The unbiased sample variance per coordinate ({@code n - 1} denominator); needs 2+ samples. */
    public double[] variance() {
        if (count < 2) {
            throw new IllegalStateException("variance needs at least 2 samples, found " + count);
        }
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = m2[j] / (count - 1);
        }
        return v;
    }

    /**
     * Stan's regularized variance for the metric: {@code (n/(n+5)) var + 1e-3 (5/(n+5))}, which
     * shrinks toward a small multiple of the identity when the window holds few samples.
     */
    public double[] regularizedVariance() {
        double[] v = variance();
        double n = count;
        for (int j = 0; j < d; j++) {
            v[j] = (n / (n + 5.0)) * v[j] + 1e-3 * (5.0 / (n + 5.0));
        }
        return v;
    }

    public void reset() {
        count = 0;
        java.util.Arrays.fill(mean, 0);
        java.util.Arrays.fill(m2, 0);
    }
}
