package org.ebm4j.rbm;

import java.util.Random;
import org.ebm4j.eval.LogSumExp;

/**
 * Brute-force double-precision arithmetic on tiny RBMs (host arrays, no backend): the references
 * the backend-based code is checked against.
 */
public final class HostRbm {
    final RbmParameters p;

    public HostRbm(RbmParameters p) {
        this.p = p;
    }

    /** Random parameters: weights N(0, wStd^2), biases N(0, bStd^2), from java.util.Random(seed). */
    public static RbmParameters random(VisibleType type, int nv, int nh, double wStd, double bStd, long seed) {
        Random r = new Random(seed);
        float[] w = new float[nv * nh];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * wStd);
        }
        float[] b = new float[nv];
        for (int i = 0; i < nv; i++) {
            b[i] = (float) (r.nextGaussian() * bStd);
        }
        float[] c = new float[nh];
        for (int j = 0; j < nh; j++) {
            c[j] = (float) (r.nextGaussian() * bStd);
        }
        return new RbmParameters(type, nv, nh, w, b, c);
    }

    /** All {@code 2^n} binary states, state s has bit j = (s >> j) & 1. */
    public static double[][] allStates(int n) {
        double[][] s = new double[1 << n][n];
        for (int k = 0; k < s.length; k++) {
            for (int j = 0; j < n; j++) {
                s[k][j] = (k >> j) & 1;
            }
        }
        return s;
    }

    /** {@code rows} (all of one length) as one row-major float array, as a backend tensor takes them. */
    public static float[] flat(double[][] rows) {
        int cols = rows[0].length;
        float[] f = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < cols; i++) {
                f[r * cols + i] = (float) rows[r][i];
            }
        }
        return f;
    }

    public double energy(double[] v, double[] h) {
        double e = 0;
        for (int j = 0; j < p.hidden(); j++) {
            e -= p.hiddenBias()[j] * h[j];
        }
        for (int i = 0; i < p.visible(); i++) {
            if (p.visibleType() == VisibleType.GAUSSIAN) {
                double d = v[i] - p.visibleBias()[i];
                e += 0.5 * d * d;
            } else {
                e -= p.visibleBias()[i] * v[i];
            }
            for (int j = 0; j < p.hidden(); j++) {
                e -= v[i] * p.weight(i, j) * h[j];
            }
        }
        return e;
    }

    /** {@code F(v) = -log sum_h exp(-E(v, h))} by enumerating h. */
    public double freeEnergyByEnumeration(double[] v) {
        double[][] hs = allStates(p.hidden());
        double[] t = new double[hs.length];
        for (int k = 0; k < hs.length; k++) {
            t[k] = -energy(v, hs[k]);
        }
        return -LogSumExp.of(t);
    }

    /** {@code p(h_j = 1 | v)}. */
    public double hiddenProb(double[] v, int j) {
        double x = p.hiddenBias()[j];
        for (int i = 0; i < p.visible(); i++) {
            x += v[i] * p.weight(i, j);
        }
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** {@code E[v_i | h]}. */
    public double visibleMean(double[] h, int i) {
        double x = p.visibleBias()[i];
        for (int j = 0; j < p.hidden(); j++) {
            x += p.weight(i, j) * h[j];
        }
        return p.visibleType() == VisibleType.GAUSSIAN ? x : 1.0 / (1.0 + Math.exp(-x));
    }

    /** {@code log Z} as a direct sum over every joint (v, h) state (Bernoulli visibles). */
    public double logZByJointSum() {
        if (p.visibleType() != VisibleType.BERNOULLI) {
            throw new IllegalStateException("joint sum needs binary visibles");
        }
        double[][] vs = allStates(p.visible());
        double[][] hs = allStates(p.hidden());
        double max = Double.NEGATIVE_INFINITY;
        for (double[] v : vs) {
            for (double[] h : hs) {
                max = Math.max(max, -energy(v, h));
            }
        }
        double s = 0;
        for (double[] v : vs) {
            for (double[] h : hs) {
                s += Math.exp(-energy(v, h) - max);
            }
        }
        return max + Math.log(s);
    }

    /** The model distribution over visible states {@code p(v)} (Bernoulli visibles), by enumeration. */
    public double[] visibleDistribution() {
        double[][] vs = allStates(p.visible());
        double[] lp = new double[vs.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < vs.length; k++) {
            lp[k] = -freeEnergyByEnumeration(vs[k]);
            max = Math.max(max, lp[k]);
        }
        double s = 0;
        for (int k = 0; k < vs.length; k++) {
            lp[k] = Math.exp(lp[k] - max);
            s += lp[k];
        }
        for (int k = 0; k < vs.length; k++) {
            lp[k] /= s;
        }
        return lp;
    }
}
