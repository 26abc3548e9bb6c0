package org.ebm4j.testing;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Conversions between the float arrays the library holds and the double arrays the tests' references
 * compute in, for flat matrices and per-layer (or per-parameter) arrays alike.
 */
public final class HostArrays {
    private HostArrays() {
    }

    /** {@code f}'s values, exactly. */
    public static double[] toDouble(float[] f) {
        return IntStream.range(0, f.length).mapToDouble(i -> f[i]).toArray();
    }

    /** Each of {@code f}'s arrays as {@link #toDouble(float[])}. */
    public static double[][] toDouble(float[][] f) {
        return Arrays.stream(f).map(HostArrays::toDouble).toArray(double[][]::new);
    }

    /** {@code d}'s values rounded to float, as the library holds them. */
    public static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** Each of {@code d}'s arrays as {@link #toFloat(double[])}. */
    public static float[][] toFloat(double[][] d) {
        return Arrays.stream(d).map(HostArrays::toFloat).toArray(float[][]::new);
    }
}
