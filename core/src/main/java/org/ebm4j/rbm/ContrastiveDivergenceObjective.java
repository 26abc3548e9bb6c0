package org.ebm4j.rbm;

import org.ebm4j.data.Dataset;

/**
 * The objective contrastive divergence follows (Hinton's lecture): with {@code P} the data
 * distribution, {@code Q_inf} the model's equilibrium distribution over the visibles and {@code Q_1} the
 * distribution after one full Gibbs step {@code v -> h -> v'} started at the data,
 * <pre>
 *   CD_1 = KL(P || Q_inf) - KL(Q_1 || Q_inf)
 * </pre>
 * computed exactly, in double, by enumerating every visible and hidden state of a tiny Bernoulli RBM.
 * Both divergences are non-negative and the second never exceeds the first (a Markov chain whose
 * stationary distribution is {@code Q_inf} cannot move away from it), so {@code CD_1 >= 0}, with
 * equality when the data distribution is the model's.
 *
 * @param klData    {@code KL(P || Q_inf)}, in nats
 * @param klOneStep {@code KL(Q_1 || Q_inf)}, in nats
 * @param oneStep   {@code Q_1} over the {@code 2^nv} visible states (state {@code s}: unit {@code i} is bit {@code i})
 * @param model     {@code Q_inf} over the same states
 */
public record ContrastiveDivergenceObjective(double klData, double klOneStep, double[] oneStep, double[] model) {
    /** Largest {@code nv + nh} enumerated (the one-step distribution costs {@code 4^nv 2^nh nv}). */
    public static final int MAX_UNITS = 20;

    /** {@code KL(P || Q_inf) - KL(Q_1 || Q_inf)}. */
    public double value() {
        return klData - klOneStep;
    }

    /** The objective for the empirical distribution of binary {@code data} rows. */
    public static ContrastiveDivergenceObjective exact(Rbm rbm, Dataset data) {
        if (data.cols() != rbm.visible()) {
            throw new IllegalArgumentException(data.name() + " has " + data.cols() + " columns but the RBM has "
                    + rbm.visible() + " visible units");
        }
        double[] p = new double[1 << rbm.visible()];
        float[] v = data.values();
        for (int r = 0; r < data.rows(); r++) {
            int s = 0;
            for (int i = 0; i < data.cols(); i++) {
                float x = v[r * data.cols() + i];
                if (x != 0f && x != 1f) {
                    throw new IllegalArgumentException(data.name() + " row " + r + " column " + i + " is " + x
                            + "; the exact CD objective needs binary data (0 or 1)");
                }
                s |= x == 1f ? 1 << i : 0;
            }
            p[s] += 1.0 / data.rows();
        }
        return exact(rbm, p);
    }

    /**
     * The objective for a data distribution {@code p} over the {@code 2^nv} visible states (state
     * {@code s} sets unit {@code i} when bit {@code i} of {@code s} is set); {@code p} must sum to 1.
     */
    public static ContrastiveDivergenceObjective exact(Rbm rbm, double[] p) {
        if (rbm.visibleType() != VisibleType.BERNOULLI) {
            throw new IllegalArgumentException("the exact CD objective enumerates binary visibles; this RBM has "
                    + rbm.visibleType() + " visibles");
        }
        int nv = rbm.visible();
        int nh = rbm.hidden();
        if (nv + nh > MAX_UNITS) {
            throw new IllegalArgumentException("the exact CD objective enumerates every state: " + nv + " + " + nh
                    + " units is more than the " + MAX_UNITS + " it allows");
        }
        int states = 1 << nv;
        if (p.length != states) {
            throw new IllegalArgumentException("expected a distribution over " + states + " visible states, found "
                    + p.length + " probabilities");
        }
        double sum = 0;
        for (double x : p) {
            if (!(x >= 0)) {
                throw new IllegalArgumentException("probabilities must be >= 0, found " + x);
            }
            sum += x;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("the data distribution must sum to 1, found " + sum);
        }
        double[] w = toDouble(rbm.weights().toArray());
        double[] b = toDouble(rbm.visibleBias().toArray());
        double[] c = toDouble(rbm.hiddenBias().toArray());
        // log Q_inf(v) = -F(v) - log Z with F(v) = -b.v - sum_j softplus(c_j + (v W)_j).
        double[] logQ = new double[states];
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < states; s++) {
            double neg = 0;
            for (int i = 0; i < nv; i++) {
                neg += bit(s, i) * b[i];
            }
            for (int j = 0; j < nh; j++) {
                double x = c[j];
                for (int i = 0; i < nv; i++) {
                    x += bit(s, i) * w[i * nh + j];
                }
                neg += softplus(x);
            }
            logQ[s] = neg;
            max = Math.max(max, neg);
        }
        double z = 0;
        for (int s = 0; s < states; s++) {
            z += Math.exp(logQ[s] - max);
        }
        double logZ = max + Math.log(z);
        double[] model = new double[states];
        for (int s = 0; s < states; s++) {
            logQ[s] -= logZ;
            model[s] = Math.exp(logQ[s]);
        }
        // Q_1(v') = sum_v P(v) sum_h p(h | v) p(v' | h), enumerating h.
        double[] one = new double[states];
        double[] upOn = new double[nh];
        double[] downOn = new double[nv];
        for (int s = 0; s < states; s++) {
            if (p[s] == 0) {
                continue;
            }
            for (int j = 0; j < nh; j++) {
                double x = c[j];
                for (int i = 0; i < nv; i++) {
                    x += bit(s, i) * w[i * nh + j];
                }
                upOn[j] = sigmoid(x);
            }
            for (int h = 0; h < 1 << nh; h++) {
                double ph = p[s];
                for (int j = 0; j < nh; j++) {
                    ph *= bit(h, j) == 1 ? upOn[j] : 1 - upOn[j];
                }
                for (int i = 0; i < nv; i++) {
                    double x = b[i];
                    for (int j = 0; j < nh; j++) {
                        x += bit(h, j) * w[i * nh + j];
                    }
                    downOn[i] = sigmoid(x);
                }
                for (int t = 0; t < states; t++) {
                    double pv = ph;
                    for (int i = 0; i < nv; i++) {
                        pv *= bit(t, i) == 1 ? downOn[i] : 1 - downOn[i];
                    }
                    one[t] += pv;
                }
            }
        }
        return new ContrastiveDivergenceObjective(kl(p, logQ), kl(one, logQ), one, model);
    }

    // KL(a || Q) with log Q given; terms with a = 0 contribute nothing.
    private static double kl(double[] a, double[] logQ) {
        double d = 0;
        for (int s = 0; s < a.length; s++) {
            if (a[s] > 0) {
                d += a[s] * (Math.log(a[s]) - logQ[s]);
            }
        }
        return Math.max(0, d);
    }

    private static int bit(int s, int i) {
        return s >>> i & 1;
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
