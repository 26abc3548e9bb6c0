package org.ebm4j.testing;

/**
 * Plain double-precision formulas for the tests' brute-force references, written independently of
 * the library's own (two passes, no streaming), so a reference does not share a bug with the code it
 * checks.
 */
public final class ReferenceMath {
    private ReferenceMath() {
    }

    /** {@code log sum_i exp(x_i)}: the maximum first, then the sum of the shifted exponentials. */
    public static double logSumExp(double... x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
