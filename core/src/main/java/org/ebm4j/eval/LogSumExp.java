package org.ebm4j.eval;

/**
 * Streaming {@code log sum_i exp(x_i)} in double: the running maximum is subtracted before every
 * exponential (and the sum rescaled when it grows), so terms far outside the range of {@code exp}
 * neither overflow nor vanish. Used by the exact partition functions, which add up to 2^n terms, and by the tests' brute-force
 * references.
 */
public final class LogSumExp {
    private double max = Double.NEGATIVE_INFINITY;
    private double sum;

    /** {@code log sum_i exp(x_i)} of the values of {@code x}, added in order. */
    public static double of(double... x) {
        LogSumExp lse = new LogSumExp();
        for (double v : x) {
            lse.add(v);
        }
        return lse.value();
    }

    /** Adds {@code exp(x)} to the sum. */
    public void add(double x) {
        if (x <= max) {
            sum += Math.exp(x - max);
        } else {
            sum = sum * Math.exp(max - x) + 1.0;
            max = x;
        }
    }

    /** {@code log} of the sum so far ({@code -infinity} when nothing was added). */
    public double value() {
        return max + Math.log(sum);
    }
}
