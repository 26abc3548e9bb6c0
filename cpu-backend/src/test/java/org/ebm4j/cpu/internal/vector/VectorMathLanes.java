package org.ebm4j.cpu.internal.vector;

import jdk.incubator.vector.FloatVector;

/**
 * Entry points into {@link VectorMath} for its test, kept in a class of their own so the test
 * class itself loads (and skips) without the incubator module.
 */
final class VectorMathLanes {
    private VectorMathLanes() {
    }

    static int lanes() {
        return FloatVector.SPECIES_PREFERRED.length();
    }

    /** The vector sigmoid loop over all of {@code x} (no bias, scale 1). */
    static float[] sigmoid(float[] x) {
        float[] out = new float[x.length];
        VectorMath.sigmoid(x, 0, null, 0, 1f, out, 0, x.length);
        return out;
    }

    /** softplusSum over {@code lanes()} copies of {@code z}: exactly lanes() times one lane's value. */
    static double softplusOfCopies(float z) {
        float[] x = new float[lanes()];
        java.util.Arrays.fill(x, z);
        return VectorMath.softplusSum(x, 0, null, 0, 1f, x.length);
    }

    /** The vector softplus-activation loop over all of {@code x} (no bias): value, then derivative. */
    static float[][] softplusActivation(float[] x) {
        float[] v = new float[x.length];
        float[] d = new float[x.length];
        VectorMath.softplusActivation(x, 0, null, 0, v, 0, d, 0, x.length);
        return new float[][] {v, d};
    }

    /** The vector fas-activation loop over all of {@code x} (no bias): value, then derivative. */
    static float[][] fasActivation(float[] x) {
        float[] v = new float[x.length];
        float[] d = new float[x.length];
        VectorMath.fasActivation(x, 0, null, 0, v, 0, d, 0, x.length);
        return new float[][] {v, d};
    }

    /** The vector Box-Muller loop (mean 0, stddev 1). */
    static float[] boxMuller(float[] u1, float[] u2) {
        float[] out = new float[u1.length];
        VectorMath.boxMuller(u1, 0, u2, 0, 0f, 1f, out, 0, u1.length);
        return out;
    }
}
