package org.ebm4j.boltzmann;

import java.util.SplittableRandom;

/** Random symmetric test networks and states, from a seed (host side, plain Java). */
public final class RandomNetworks {
    private RandomNetworks() {
    }

    /** Symmetric {@code n x n}, zero diagonal, entries {@code N(0, stddev^2)} rounded to float. */
    public static float[] symmetricWeights(int n, double stddev, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float x = (float) (stddev * gaussian(r));
                w[i * n + j] = x;
                w[j * n + i] = x;
            }
        }
        return w;
    }

    public static float[] gaussianVector(int n, double stddev, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            b[i] = (float) (stddev * gaussian(r));
        }
        return b;
    }

    /** {@code rows x n} values, each low or high with probability 1/2. */
    public static float[] states(int rows, int n, UnitValues units, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] s = new float[rows * n];
        for (int i = 0; i < s.length; i++) {
            s[i] = units.value(r.nextBoolean());
        }
        return s;
    }


    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** {@code E(s) = -1/2 s^T W s - b^T s} in double, straight from the definition. */
    public static double energy(float[] w, float[] b, float[] states, int row) {
        int n = b.length;
        double e = 0;
        for (int i = 0; i < n; i++) {
            double si = states[row * n + i];
            for (int j = 0; j < n; j++) {
                e -= 0.5 * si * w[i * n + j] * states[row * n + j];
            }
            e -= b[i] * si;
        }
        return e;
    }
}
