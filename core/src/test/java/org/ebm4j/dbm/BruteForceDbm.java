package org.ebm4j.dbm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A tiny DBM by full enumeration of every unit of every layer, in double, straight from the energy
 * {@code E(x) = -sum_l b_l . x_l - sum_l x_{l-1}' W_l x_l}: the reference that the library's
 * conditionals, mean field, exact and estimated partition functions and gradients are checked against.
 * It shares no code with the library (in particular not the odd-layer summation of {@link DbmExact}).
 */
final class BruteForceDbm {
    final DbmParameters p;
    final int[] sizes;
    final int units;

    BruteForceDbm(DbmParameters p) {
        this.p = p;
        this.sizes = p.sizes();
        int u = 0;
        for (int s : sizes) {
            u += s;
        }
        this.units = u;
    }

    /** Random parameters: weights and biases uniform in {@code [-scale, scale]}. */
    static DbmParameters random(int[] sizes, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (int l = 0; l < sizes.length; l++) {
            b.add(uniform(r, sizes[l], scale));
            if (l > 0) {
                w.add(uniform(r, sizes[l - 1] * sizes[l], scale));
            }
        }
        return new DbmParameters(sizes, w, b);
    }

    private static float[] uniform(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((2 * r.nextDouble() - 1) * scale);
        }
        return a;
    }

    /** The layers' states of configuration {@code mask} (unit {@code k} overall is bit {@code k}). */
    double[][] state(long mask) {
        double[][] x = new double[sizes.length][];
        int bit = 0;
        for (int l = 0; l < sizes.length; l++) {
            x[l] = new double[sizes[l]];
            for (int i = 0; i < sizes[l]; i++) {
                x[l][i] = (mask >>> bit++) & 1;
            }
        }
        return x;
    }

    double energy(double[][] x) {
        double e = 0;
        for (int l = 0; l < sizes.length; l++) {
            for (int i = 0; i < sizes[l]; i++) {
                e -= p.biases().get(l)[i] * x[l][i];
            }
            if (l > 0) {
                for (int i = 0; i < sizes[l - 1]; i++) {
                    for (int j = 0; j < sizes[l]; j++) {
                        e -= x[l - 1][i] * p.weight(l, i, j) * x[l][j];
                    }
                }
            }
        }
        return e;
    }

    /** Every configuration's probability, indexed by mask. */
    double[] joint() {
        double[] logs = logWeights();
        double logZ = logSumExp(logs);
        double[] probs = new double[logs.length];
        for (int m = 0; m < logs.length; m++) {
            probs[m] = Math.exp(logs[m] - logZ);
        }
        return probs;
    }

    double logPartition() {
        return logSumExp(logWeights());
    }

    /** {@code -E(x)} of every configuration, indexed by mask. */
    private double[] logWeights() {
        double[] logs = new double[1 << units];
        for (int m = 0; m < logs.length; m++) {
            logs[m] = -energy(state(m));
        }
        return logs;
    }

    static double logSumExp(double[] a) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : a) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    /** {@code log p(v)}: the visible units are the low {@code sizes[0]} bits. */
    double logLikelihood(float[] v) {
        double[] probs = joint();
        double s = 0;
        for (int m = 0; m < probs.length; m++) {
            if (visibleMatches(m, v)) {
                s += probs[m];
            }
        }
        return Math.log(s);
    }

    boolean visibleMatches(long mask, float[] v) {
        for (int i = 0; i < sizes[0]; i++) {
            if (((mask >>> i) & 1) != (long) v[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code p(x_lj = 1 | v)} for every hidden layer {@code l >= 1}: {@code [l][j]}. */
    double[][] posteriorMarginals(float[] v) {
        double[] probs = joint();
        double[][] out = new double[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            out[l] = new double[sizes[l]];
        }
        double total = 0;
        for (int m = 0; m < probs.length; m++) {
            if (!visibleMatches(m, v)) {
                continue;
            }
            total += probs[m];
            double[][] x = state(m);
            for (int l = 0; l < sizes.length; l++) {
                for (int j = 0; j < sizes[l]; j++) {
                    out[l][j] += probs[m] * x[l][j];
                }
            }
        }
        for (double[] o : out) {
            for (int j = 0; j < o.length; j++) {
                o[j] /= total;
            }
        }
        return out;
    }

    /** Model expectations {@code E[x_{l-1,i} x_{l,j}]} as {@code [l][i * sizes[l] + j]} and {@code E[x_l]} as {@code [l]}. */
    double[][][] modelMoments() {
        double[] probs = joint();
        double[][] pair = new double[sizes.length][];
        double[][] mean = new double[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            mean[l] = new double[sizes[l]];
            pair[l] = l == 0 ? new double[0] : new double[sizes[l - 1] * sizes[l]];
        }
        for (int m = 0; m < probs.length; m++) {
            double[][] x = state(m);
            for (int l = 0; l < sizes.length; l++) {
                for (int j = 0; j < sizes[l]; j++) {
                    mean[l][j] += probs[m] * x[l][j];
                    if (l > 0) {
                        for (int i = 0; i < sizes[l - 1]; i++) {
                            pair[l][i * sizes[l] + j] += probs[m] * x[l - 1][i] * x[l][j];
                        }
                    }
                }
            }
        }
        return new double[][][] {pair, mean};
    }
}
