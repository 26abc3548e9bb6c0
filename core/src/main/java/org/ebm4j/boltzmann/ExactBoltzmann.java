package org.ebm4j.boltzmann;

import org.ebm4j.eval.LogSumExp;

/**
 * Exact computations for a small pairwise binary network by enumerating all {@code 2^n} states, in
 * double precision on the host: the partition function, the distribution over states and over the
 * visible units, exact log-likelihoods and the exact log-likelihood gradient. The reference that the
 * samplers and trainers are tested against, and the evaluator of small trained machines.
 *
 * <p>States are indexed by bits: unit {@code i} is {@code high} when bit {@code i} of the index is set.
 * The visible units are units {@code 0 .. visible-1}, so a state's visible index is its low
 * {@code visible} bits. The energy is {@code E(s) = -1/2 s^T W s - b^T s}. States are visited in Gray
 * code order, one unit flip at a time, so a full enumeration costs {@code O(2^n n)}.
 */
public final class ExactBoltzmann {
    /** The largest network enumerated (2^24 = 16.7 million states, about a second). */
    public static final int MAX_UNITS = 24;
    /** The largest network whose full state distribution is returned as an array (2^20 doubles). */
    public static final int MAX_UNITS_FOR_ARRAYS = 20;

    private final int n;
    private final int visible;
    private final double[] w;
    private final double[] b;
    private final double low;
    private final double high;
    private final UnitValues units;
    private double logZ = Double.NaN;

    /**
     * @param w       {@code n x n} row-major weights; symmetrized ({@code (W + W^T)/2}) with the diagonal
     *                ignored, which leaves the energy of every state unchanged for a symmetric W
     * @param b       {@code n} biases
     * @param visible how many of the units (the first ones) are visible, {@code 0..n}
     */
    public ExactBoltzmann(double[] w, double[] b, int visible, UnitValues units) {
        if (b == null || b.length < 1) {
            throw new IllegalArgumentException("biases must hold at least one value");
        }
        this.n = b.length;
        if (n > MAX_UNITS) {
            throw new IllegalArgumentException("exact evaluation enumerates 2^n states; n = " + n + " exceeds the limit "
                    + MAX_UNITS);
        }
        if (w == null || w.length != n * n) {
            throw new IllegalArgumentException("weights must hold " + n + "x" + n + " values but "
                    + (w == null ? "are null" : "hold " + w.length));
        }
        if (visible < 0 || visible > n) {
            throw new IllegalArgumentException("visible count must lie in [0, " + n + "] but is " + visible);
        }
        if (units == null) {
            throw new IllegalArgumentException("unit values are null");
        }
        this.visible = visible;
        this.units = units;
        this.low = units.low();
        this.high = units.high();
        this.b = b.clone();
        this.w = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                this.w[i * n + j] = i == j ? 0 : 0.5 * (w[i * n + j] + w[j * n + i]);
            }
        }
    }

    /** A snapshot of {@code couplings} (copied to the host now). */
    public static ExactBoltzmann of(Couplings couplings, int visible, UnitValues units) {
        return new ExactBoltzmann(couplings.weightsAsDoubles(), couplings.biasAsDoubles(), visible, units);
    }

    public int units() {
        return n;
    }

    public int visible() {
        return visible;
    }

    public int hidden() {
        return n - visible;
    }

    /** The state of index {@code index} as unit values. */
    public double[] state(long index) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = ((index >>> i) & 1L) != 0 ? high : low;
        }
        return s;
    }

    /** The index of a state (or of a visible vector, given {@code visible} values); values must be low or high. */
    public long index(double[] s) {
        long idx = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == high) {
                idx |= 1L << i;
            } else if (s[i] != low) {
                throw new IllegalArgumentException("unit " + i + " is " + s[i] + " but " + units + " units are "
                        + low + " or " + high);
            }
        }
        return idx;
    }

    /** {@code E(s) = -1/2 s^T W s - b^T s}, computed directly in O(n^2). */
    public double energy(double[] s) {
        double e = 0;
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int j = 0; j < n; j++) {
                acc += w[i * n + j] * s[j];
            }
            e -= 0.5 * s[i] * acc + b[i] * s[i];
        }
        return e;
    }

    /** Receives each state of an enumeration with its energy; the array is reused between calls. */
    @FunctionalInterface
    interface StateVisitor {
        void visit(double energy, double[] state, long index);
    }

    /**
     * Visits the {@code 2^(n-from)} states whose units {@code [0, from)} equal those of {@code s} (which is
     * used as the walking state), in Gray code order.
     */
    void enumerate(double[] s, int from, StateVisitor visitor) {
        for (int i = from; i < n; i++) {
            s[i] = low;
        }
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            double acc = b[i];
            for (int j = 0; j < n; j++) {
                acc += w[i * n + j] * s[j];
            }
            h[i] = acc;
        }
        double e = energy(s);
        long idx = 0;
        for (int i = 0; i < from; i++) {
            if (s[i] == high) {
                idx |= 1L << i;
            }
        }
        visitor.visit(e, s, idx);
        long count = 1L << (n - from);
        double delta = high - low;
        for (long k = 1; k < count; k++) {
            int u = from + Long.numberOfTrailingZeros(k);
            double d = s[u] == high ? -delta : delta;
            e -= d * h[u];
            s[u] += d;
            idx ^= 1L << u;
            int row = u * n;
            for (int j = 0; j < n; j++) {
                h[j] += w[row + j] * d;
            }
            visitor.visit(e, s, idx);
        }
    }

    /** {@code log Z = log sum_s exp(-E(s))} (cached). */
    public double logPartition() {
        if (Double.isNaN(logZ)) {
            LogSumExp lse = new LogSumExp();
            enumerate(new double[n], 0, (e, s, idx) -> lse.add(-e));
            logZ = lse.value();
        }
        return logZ;
    }

    /** {@code p(s)} for every state index, {@code 2^n} entries; needs {@code n <= MAX_UNITS_FOR_ARRAYS}. */
    public double[] stateProbabilities() {
        checkArraySize(n, "state distribution");
        double lz = logPartition();
        double[] p = new double[1 << n];
        enumerate(new double[n], 0, (e, s, idx) -> p[(int) idx] = Math.exp(-e - lz));
        return p;
    }

    /** {@code p(v)} for every visible index, {@code 2^visible} entries (hidden units summed out). */
    public double[] visibleProbabilities() {
        checkArraySize(visible, "visible distribution");
        double lz = logPartition();
        double[] p = new double[1 << visible];
        long mask = (1L << visible) - 1;
        enumerate(new double[n], 0, (e, s, idx) -> p[(int) (idx & mask)] += Math.exp(-e - lz));
        return p;
    }

    /** {@code log p(v)} of one visible vector ({@code visible} values, each low or high). */
    public double logProbabilityOfVisible(double[] v) {
        return logUnnormalizedVisible(v) - logPartition();
    }

    private double logUnnormalizedVisible(double[] v) {
        if (v.length != visible) {
            throw new IllegalArgumentException("a visible vector has " + visible + " values but this one has " + v.length);
        }
        index(v);
        double[] s = new double[n];
        System.arraycopy(v, 0, s, 0, visible);
        LogSumExp lse = new LogSumExp();
        enumerate(s, visible, (e, state, idx) -> lse.add(-e));
        return lse.value();
    }

    /**
     * The mean log-likelihood {@code (1/D) sum_d log p(v_d)} in nats of {@code D} visible vectors given
     * row-major ({@code data.length = D * visible}).
     */
    public double meanLogLikelihood(float[] data) {
        int rows = checkData(data);
        double lz = logPartition();
        double total = 0;
        double[] v = new double[visible];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < visible; i++) {
                v[i] = data[r * visible + i];
            }
            total += logUnnormalizedVisible(v) - lz;
        }
        return total / rows;
    }

    /** {@code <s_i s_j>} and {@code <s_i>} under the model distribution {@code p(s)}. */
    public Moments modelMoments() {
        double lz = logPartition();
        MomentAccumulator acc = new MomentAccumulator(n, lz);
        enumerate(new double[n], 0, acc);
        return acc.result(1.0);
    }

    /**
     * The data moments: {@code (1/D) sum_d E[s s^T | v_d]} and {@code (1/D) sum_d E[s | v_d]}, the
     * visible units fixed to each data vector and the hidden ones distributed as {@code p(h | v_d)}.
     */
    public Moments dataMoments(float[] data) {
        int rows = checkData(data);
        double[] pairs = new double[n * n];
        double[] means = new double[n];
        double[] s = new double[n];
        for (int r = 0; r < rows; r++) {
            double[] v = new double[visible];
            for (int i = 0; i < visible; i++) {
                v[i] = data[r * visible + i];
                s[i] = v[i];
            }
            double lzv = logUnnormalizedVisible(v);
            MomentAccumulator acc = new MomentAccumulator(n, lzv);
            enumerate(s, visible, acc);
            Moments m = acc.result(1.0);
            for (int k = 0; k < n * n; k++) {
                pairs[k] += m.pairs()[k] / rows;
            }
            for (int i = 0; i < n; i++) {
                means[i] += m.means()[i] / rows;
            }
        }
        return new Moments(n, pairs, means);
    }

    /** The exact log-likelihood gradient: {@code dataMoments(data) - modelMoments()} (zero diagonal). */
    public Moments gradient(float[] data) {
        return dataMoments(data).minus(modelMoments());
    }

    private int checkData(float[] data) {
        if (data == null || data.length == 0 || (visible > 0 && data.length % visible != 0) || visible == 0) {
            throw new IllegalArgumentException("data must hold a positive multiple of " + visible
                    + " values (one row per visible vector) but " + (data == null ? "is null" : "holds " + data.length));
        }
        for (int k = 0; k < data.length; k++) {
            if (data[k] != low && data[k] != high) {
                throw new IllegalArgumentException("data row " + (k / visible) + ", unit " + (k % visible) + " is "
                        + data[k] + " but " + units + " units are " + low + " or " + high);
            }
        }
        return data.length / visible;
    }

    private static void checkArraySize(int bits, String what) {
        if (bits > MAX_UNITS_FOR_ARRAYS) {
            throw new IllegalArgumentException("the " + what + " has 2^" + bits + " entries; at most 2^"
                    + MAX_UNITS_FOR_ARRAYS + " are returned as an array");
        }
    }

    /** Accumulates {@code p(s) s_i s_j} with {@code p(s) = exp(-E(s) - logNorm)}. */
    private static final class MomentAccumulator implements StateVisitor {
        private final int n;
        private final double logNorm;
        private final double[] pairs;
        private final double[] means;

        MomentAccumulator(int n, double logNorm) {
            this.n = n;
            this.logNorm = logNorm;
            this.pairs = new double[n * n];
            this.means = new double[n];
        }

        @Override
        public void visit(double energy, double[] s, long index) {
            double p = Math.exp(-energy - logNorm);
            for (int i = 0; i < n; i++) {
                double ps = p * s[i];
                if (ps == 0) {
                    continue;
                }
                means[i] += ps;
                int row = i * n;
                for (int j = i; j < n; j++) {
                    pairs[row + j] += ps * s[j];
                }
            }
        }

        Moments result(double scale) {
            for (int i = 0; i < n; i++) {
                means[i] *= scale;
                for (int j = i; j < n; j++) {
                    double v = pairs[i * n + j] * scale;
                    pairs[i * n + j] = v;
                    pairs[j * n + i] = v;
                }
            }
            return new Moments(n, pairs, means);
        }
    }

    /**
     * {@code KL(q || p) = sum_k q_k log(q_k / p_k)} in nats, terms with {@code q_k = 0} contributing 0;
     * infinite if {@code q} puts mass where {@code p} has none. Used with {@code q} an empirical
     * distribution of samples and {@code p} the exact one.
     */
    public static double klDivergence(double[] q, double[] p) {
        if (q.length != p.length) {
            throw new IllegalArgumentException("distributions over " + q.length + " and " + p.length
                    + " states cannot be compared");
        }
        double kl = 0;
        for (int k = 0; k < q.length; k++) {
            if (q[k] > 0) {
                kl += q[k] * Math.log(q[k] / p[k]);
            }
        }
        return kl;
    }
}
