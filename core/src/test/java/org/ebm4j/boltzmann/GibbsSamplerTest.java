package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sampler against exact enumeration. With {@code M} independent chains (one sample each, after a
 * burn-in) the empirical distribution {@code q} over {@code K} states satisfies, asymptotically,
 * {@code 2 M KL(q || p) ~ chi^2_(K-1)} (the G-test), with mean {@code K-1} and standard deviation
 * {@code sqrt(2(K-1))}. The bound is that mean plus 6 standard deviations, over {@code 2M}; a
 * sampler that draws from a different distribution (checked: the wrong temperature) lands far
 * beyond it.
 */
class GibbsSamplerTest {
    private static final int CHAINS = 10_000;
    private static final int BURN_IN = 40;

    static double klBound(int states, int samples) {
        double k1 = states - 1;
        return (k1 + 6 * Math.sqrt(2 * k1)) / (2.0 * samples);
    }

    private static BoltzmannMachine machine(Backend backend, int visible, int hidden, UnitValues units, long seed) {
        BoltzmannMachine m = new BoltzmannMachine(backend, visible, hidden, units);
        int n = visible + hidden;
        double scale = units == UnitValues.SPIN ? 0.35 : 0.9;
        m.couplings().setWeights(RandomNetworks.symmetricWeights(n, scale, seed));
        m.couplings().setBias(RandomNetworks.gaussianVector(n, scale, seed + 1));
        return m;
    }

    /** Empirical distribution of the states (or of their first {@code bits} units) over {@code 2^bits} indices. */
    static double[] histogram(float[] states, int n, int bits, float high) {
        double[] q = new double[1 << bits];
        int rows = states.length / n;
        for (int r = 0; r < rows; r++) {
            int idx = 0;
            for (int i = 0; i < bits; i++) {
                if (states[r * n + i] == high) {
                    idx |= 1 << i;
                }
            }
            q[idx] += 1.0 / rows;
        }
        return q;
    }

    private static double[] sampleAt(BoltzmannMachine m, double t, long seed) {
        GibbsSampler s = new GibbsSampler(m);
        RandomStream rng = new RandomStream(seed);
        try (NetworkChains c = s.newChains(CHAINS, rng)) {
            s.run(c, TemperatureSchedule.constant(t, BURN_IN), null, rng);
            return histogram(c.state().toArray(), m.size(), m.size(), m.unitValues().high());
        }
    }

    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void samplesConvergeToTheExactDistribution(UnitValues units) {
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine m = machine(backend, 5, 3, units, 101)) {
            double[] exact = m.exact().stateProbabilities();
            double bound = klBound(exact.length, CHAINS);
            double kl = ExactBoltzmann.klDivergence(sampleAt(m, 1.0, 7), exact);
            assertTrue(kl < bound, "KL " + kl + " above the bound " + bound);
            double wrong = ExactBoltzmann.klDivergence(sampleAt(m, 1.6, 7), exact);
            assertTrue(wrong > 3 * bound, "sampling at T=1.6 should be told apart: KL " + wrong + ", bound " + bound);
        }
    }

    /**
     * Long-run (ergodic) averages: {@code R} chains each average {@code <s_i s_j>} over {@code T} sweeps
     * after a burn-in, keeping every {@code k}-th sweep. Successive sweeps of one chain are correlated,
     * so the error of the overall mean is taken from the spread of the {@code R} per-chain averages
     * (independent replicates, whose variance already contains the autocorrelation). Every second
     * moment must lie within 5 such standard errors of the exact one (with 63 degrees of freedom,
     * P(|t| > 5) is about 5e-6 per entry).
     */
    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void longRunAveragesConvergeWithinTheirReplicateError(UnitValues units) {
        int replicas = 64;
        int kept = 400;
        int thin = 3;
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine m = machine(backend, 4, 3, units, 404)) {
            int n = m.size();
            GibbsSampler s = new GibbsSampler(m);
            RandomStream rng = new RandomStream(17);
            double[][] chainMeans = new double[replicas][n * n];
            try (NetworkChains c = s.newChains(replicas, rng)) {
                s.run(c, TemperatureSchedule.constant(1.0, BURN_IN), null, rng);
                for (int t = 0; t < kept; t++) {
                    s.run(c, TemperatureSchedule.constant(1.0, thin), null, rng);
                    float[] st = c.state().toArray();
                    for (int r = 0; r < replicas; r++) {
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < n; j++) {
                                chainMeans[r][i * n + j] += (double) st[r * n + i] * st[r * n + j] / kept;
                            }
                        }
                    }
                }
            }
            Moments exact = m.exact().modelMoments();
            double widest = 0;
            for (int k = 0; k < n * n; k++) {
                double mean = 0;
                for (double[] cm : chainMeans) {
                    mean += cm[k] / replicas;
                }
                double var = 0;
                for (double[] cm : chainMeans) {
                    var += (cm[k] - mean) * (cm[k] - mean) / (replicas - 1);
                }
                double se = Math.sqrt(var / replicas);
                widest = Math.max(widest, se);
                assertEquals(exact.pairs()[k], mean, 5 * se + 1e-12, "<s_" + (k / n) + " s_" + (k % n) + ">");
            }
            // The replicate error is a real constraint: far tighter than the range of a moment.
            assertTrue(widest < 0.02, "standard error " + widest);
        }
    }

    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void temperatureScalesTheEnergy(UnitValues units) {
        double t = 2.5;
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine m = machine(backend, 4, 3, units, 202)) {
            ExactBoltzmann cold = m.exact();
            int n = m.size();
            double[] w = m.couplings().weightsAsDoubles();
            double[] b = m.couplings().biasAsDoubles();
            for (int i = 0; i < w.length; i++) {
                w[i] /= t;
            }
            for (int i = 0; i < n; i++) {
                b[i] /= t;
            }
            double[] exactAtT = new ExactBoltzmann(w, b, m.visible(), units).stateProbabilities();
            double[] q = sampleAt(m, t, 9);
            double bound = klBound(exactAtT.length, CHAINS);
            double kl = ExactBoltzmann.klDivergence(q, exactAtT);
            assertTrue(kl < bound, "KL " + kl + " at T=" + t + " above the bound " + bound);
            assertTrue(ExactBoltzmann.klDivergence(q, cold.stateProbabilities()) > 3 * bound,
                    "samples at T=" + t + " should not match T=1");
        }
    }

    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void clampedVisiblesSampleTheHiddenPosterior(UnitValues units) {
        int visible = 4;
        int hidden = 4;
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine m = machine(backend, visible, hidden, units, 303)) {
            int n = m.size();
            float[] v = {units.high(), units.low(), units.high(), units.high()};
            float[] start = RandomNetworks.states(CHAINS, n, units, 5);
            for (int r = 0; r < CHAINS; r++) {
                System.arraycopy(v, 0, start, r * n, visible);
            }
            GibbsSampler s = new GibbsSampler(m);
            RandomStream rng = new RandomStream(13);
            float[] out;
            try (NetworkChains c = NetworkChains.allocate(m.couplings(), CHAINS);
                 Tensor clamp = ClampMask.range(backend, CHAINS, n, 0, visible)) {
                c.load(start);
                s.run(c, TemperatureSchedule.constant(1.0, BURN_IN), clamp, rng);
                out = c.state().toArray();
            }
            double[] q = new double[1 << hidden];
            for (int r = 0; r < CHAINS; r++) {
                int idx = 0;
                for (int i = 0; i < visible; i++) {
                    assertEquals(v[i], out[r * n + i], "clamped unit " + i + " of chain " + r + " moved");
                }
                for (int i = 0; i < hidden; i++) {
                    if (out[r * n + visible + i] == units.high()) {
                        idx |= 1 << i;
                    }
                }
                q[idx] += 1.0 / CHAINS;
            }
            // Exact p(h | v) from the joint.
            ExactBoltzmann exact = m.exact();
            double[] joint = exact.stateProbabilities();
            double[] post = new double[1 << hidden];
            int vIdx = 0;
            for (int i = 0; i < visible; i++) {
                if (v[i] == units.high()) {
                    vIdx |= 1 << i;
                }
            }
            double norm = 0;
            for (int h = 0; h < post.length; h++) {
                post[h] = joint[vIdx | (h << visible)];
                norm += post[h];
            }
            for (int h = 0; h < post.length; h++) {
                post[h] /= norm;
            }
            double bound = klBound(post.length, CHAINS);
            double kl = ExactBoltzmann.klDivergence(q, post);
            assertTrue(kl < bound, "KL of the clamped chains " + kl + " above the bound " + bound);
        }
    }
}
