package org.ebm4j.dbm;

/**
 * Exact quantities of tiny DBMs by enumeration, in double on the host. Given the even layers, the
 * odd layers are independent units, so they are summed out analytically:
 * {@code log p*(x_even) = sum_{l even} b_l . x_l + sum_{l odd} sum_j softplus(b_lj + (x_{l-1} W_l + x_{l+1} W_{l+1}')_j)}
 * and only the {@code 2^(even units)} configurations of the even layers are enumerated ({@code log Z}),
 * or of the even hidden layers for one visible row ({@code log p(v)}).
 */
public final class DbmExact {
    /** The most even units {@link #logPartition} enumerates ({@code 2^24} configurations). */
    public static final int MAX_EVEN_UNITS = 24;

    private DbmExact() {
    }

    /** Whether {@link #logPartition} can enumerate {@code p}'s even layers. */
    public static boolean feasible(DbmParameters p) {
        return evenUnits(p, 0) <= MAX_EVEN_UNITS;
    }

    private static int evenUnits(DbmParameters p, int from) {
        int n = 0;
        for (int l = from; l < p.sizes().length; l += 2) {
            n += p.sizes()[l];
        }
        return n;
    }

    /** Exact {@code log Z}. */
    public static double logPartition(DbmParameters p) {
        int bits = evenUnits(p, 0);
        if (bits > MAX_EVEN_UNITS) {
            throw new IllegalArgumentException("exact log Z enumerates the even layers' " + bits + " units; at most "
                    + MAX_EVEN_UNITS + " are feasible (use AIS)");
        }
        double[][] x = states(p);
        return logSumOverEvens(p, x, 0, bits);
    }

    /** Exact mean {@code log p(v)} over the {@code rows} binary rows of {@code v} (row-major). */
    public static double meanLogLikelihood(DbmParameters p, float[] v, int rows) {
        double total = 0;
        for (double ll : logLikelihoods(p, v, rows)) {
            total += ll;
        }
        return total / rows;
    }

    /** Exact {@code log p(v)} of each of the {@code rows} binary rows of {@code v} (row-major), {@code log Z} enumerated once. */
    public static double[] logLikelihoods(DbmParameters p, float[] v, int rows) {
        int[] sizes = p.sizes();
        int nv = sizes[0];
        if (v.length != rows * nv) {
            throw new IllegalArgumentException("expected " + rows + " rows of " + nv + " values, found "
                    + v.length + " values");
        }
        int bits = evenUnits(p, 2);
        if (bits > MAX_EVEN_UNITS) {
            throw new IllegalArgumentException("exact log p(v) enumerates the even hidden layers' " + bits
                    + " units; at most " + MAX_EVEN_UNITS + " are feasible");
        }
        double logZ = logPartition(p);
        double[][] x = states(p);
        double[] ll = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < nv; i++) {
                x[0][i] = v[r * nv + i];
            }
            ll[r] = logSumOverEvens(p, x, 2, bits) - logZ;
        }
        return ll;
    }

    /** Zeroed states of every layer. */
    private static double[][] states(DbmParameters p) {
        double[][] x = new double[p.sizes().length][];
        for (int l = 0; l < x.length; l++) {
            x[l] = new double[p.sizes()[l]];
        }
        return x;
    }

    /** {@code log sum exp log p*(x_even)} over every configuration of the even layers from {@code first} up. */
    private static double logSumOverEvens(DbmParameters p, double[][] x, int first, int bits) {
        int[] sizes = p.sizes();
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[1 << bits];
        for (int mask = 0; mask < terms.length; mask++) {
            int bit = 0;
            for (int l = first; l < sizes.length; l += 2) {
                for (int i = 0; i < sizes[l]; i++) {
                    x[l][i] = (mask >>> bit++) & 1;
                }
            }
            terms[mask] = logUnnormalizedEvens(p, x);
            max = Math.max(max, terms[mask]);
        }
        double s = 0;
        for (double t : terms) {
            s += Math.exp(t - max);
        }
        return max + Math.log(s);
    }

    /** {@code log p*(x_even)} with the odd layers summed out; the odd entries of {@code x} are ignored. */
    static double logUnnormalizedEvens(DbmParameters p, double[][] x) {
        int[] sizes = p.sizes();
        double e = 0;
        for (int l = 0; l < sizes.length; l += 2) {
            e += dot(p.biases().get(l), x[l]);
        }
        for (int l = 1; l < sizes.length; l += 2) {
            double[] in = input(p, x, l);
            for (int j = 0; j < sizes[l]; j++) {
                e += softplus(in[j]);
            }
        }
        return e;
    }

    /** {@code b_l + x_{l-1} W_l + x_{l+1} W_{l+1}'}: the total input of layer {@code l}. */
    static double[] input(DbmParameters p, double[][] x, int l) {
        int[] sizes = p.sizes();
        double[] in = new double[sizes[l]];
        float[] b = p.biases().get(l);
        for (int j = 0; j < sizes[l]; j++) {
            double s = b[j];
            if (l > 0) {
                for (int i = 0; i < sizes[l - 1]; i++) {
                    s += x[l - 1][i] * p.weight(l, i, j);
                }
            }
            if (l + 1 < sizes.length) {
                for (int k = 0; k < sizes[l + 1]; k++) {
                    s += x[l + 1][k] * p.weight(l + 1, j, k);
                }
            }
            in[j] = s;
        }
        return in;
    }

    private static double dot(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
}
