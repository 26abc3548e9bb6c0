package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RbmTest {
    private final Backend backend = new ReferenceBackend();

    /**
     * A small random RBM beside its host (double) reference and every binary state of its visible and
     * hidden layers, so that picked states can be fed to the backend and checked by enumeration.
     */
    private record Enumerated(RbmParameters p, HostRbm host, double[][] vs, double[][] hs) {
        static Enumerated random(VisibleType type, int visible, int hidden, double weightScale, double biasScale,
                                 long seed) {
            RbmParameters p = HostRbm.random(type, visible, hidden, weightScale, biasScale, seed);
            return new Enumerated(p, new HostRbm(p), HostRbm.allStates(visible), HostRbm.allStates(hidden));
        }

        /** The visible states {@code vs[pick[r]]} as the rows of a tensor. */
        Tensor visibleRows(Backend backend, int... pick) {
            return backend.fromArray(rows(vs, pick), pick.length, vs[0].length);
        }

        /** The hidden states {@code hs[pick[r]]} as the rows of a tensor. */
        Tensor hiddenRows(Backend backend, int... pick) {
            return backend.fromArray(rows(hs, pick), pick.length, hs[0].length);
        }

        private static float[] rows(double[][] states, int[] pick) {
            int n = states[0].length;
            float[] out = new float[pick.length * n];
            for (int r = 0; r < pick.length; r++) {
                for (int i = 0; i < n; i++) {
                    out[r * n + i] = (float) states[pick[r]][i];
                }
            }
            return out;
        }
    }

    @ParameterizedTest
    @EnumSource(VisibleType.class)
    void freeEnergyAndEnergyMatchBruteForce(VisibleType type) {
        Enumerated c = Enumerated.random(type, 6, 4, 0.8, 0.5, 11);
        if (type == VisibleType.GAUSSIAN) {
            for (double[] v : c.vs()) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = v[i] * 1.7 - 0.6 + 0.1 * i;
                }
            }
        }
        int[] pick = {0, 5, 17, 42, 63};
        int[] hp = {0, 3, 9, 15, 6};
        try (Rbm rbm = Rbm.of(backend, c.p());
             Tensor v = c.visibleRows(backend, pick);
             Tensor h = c.hiddenRows(backend, hp);
             Tensor pre = backend.allocate(pick.length, 4);
             Tensor scratch = backend.allocate(pick.length, 1);
             Tensor out = backend.allocate(pick.length, 1)) {
            rbm.freeEnergy(v, pre, scratch, out);
            float[] f = out.toArray();
            for (int r = 0; r < pick.length; r++) {
                double want = c.host().freeEnergyByEnumeration(c.vs()[pick[r]]);
                assertEquals(want, f[r], 1e-5 * (1 + Math.abs(want)), "F(v) row " + r);
            }
            rbm.energy(v, h, pre, scratch, out);
            float[] e = out.toArray();
            for (int r = 0; r < pick.length; r++) {
                double want = c.host().energy(c.vs()[pick[r]], c.hs()[hp[r]]);
                assertEquals(want, e[r], 1e-5 * (1 + Math.abs(want)), "E(v,h) row " + r);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(VisibleType.class)
    void conditionalsMatchBruteForce(VisibleType type) {
        Enumerated c = Enumerated.random(type, 5, 3, 1.0, 0.5, 5);
        try (Rbm rbm = Rbm.of(backend, c.p());
             Tensor v = c.visibleRows(backend, 1, 30);
             Tensor h = c.hiddenRows(backend, 2, 7);
             Tensor hp = backend.allocate(2, 3);
             Tensor vm = backend.allocate(2, 5)) {
            rbm.hiddenProbabilities(v, hp, hp);
            rbm.visibleMean(h, vm);
            float[] a = hp.toArray();
            float[] b = vm.toArray();
            for (int j = 0; j < 3; j++) {
                assertEquals(c.host().hiddenProb(c.vs()[1], j), a[j], 1e-6);
                assertEquals(c.host().hiddenProb(c.vs()[30], j), a[3 + j], 1e-6);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(c.host().visibleMean(c.hs()[2], i), b[i], 1e-6);
                assertEquals(c.host().visibleMean(c.hs()[7], i), b[5 + i], 1e-6);
            }
        }
    }

    /** Gibbs sampling a tiny Bernoulli RBM for long reproduces p(v) from enumeration (chi-square-free check). */
    @Test
    void blockGibbsSamplesTheModelDistribution() {
        RbmParameters p = HostRbm.random(VisibleType.BERNOULLI, 4, 3, 1.0, 0.5, 21);
        double[] exact = new HostRbm(p).visibleDistribution();
        int chains = 4000;
        int steps = 30;
        RandomStream rng = new RandomStream(99, 0);
        try (Rbm rbm = Rbm.of(backend, p);
             Tensor v = backend.allocate(chains, 4);
             Tensor pre = backend.allocate(chains, 3);
             Tensor h = backend.allocate(chains, 3)) {
            for (int s = 0; s < steps; s++) {
                rbm.sampleHidden(v, pre, null, h, rng);
                rbm.sampleVisible(h, v, rng);
            }
            float[] x = v.toArray();
            int[] counts = new int[16];
            for (int r = 0; r < chains; r++) {
                int k = 0;
                for (int i = 0; i < 4; i++) {
                    k |= (x[r * 4 + i] != 0f ? 1 : 0) << i;
                }
                counts[k]++;
            }
            for (int k = 0; k < 16; k++) {
                double q = exact[k];
                double se = Math.sqrt(q * (1 - q) / chains);
                // 4.5 standard errors per state: a false alarm over 16 states has probability below 1e-4.
                assertEquals(q, counts[k] / (double) chains, 4.5 * se + 1e-12, "state " + k);
            }
        }
    }

    @Test
    void initializationUsesLogOddsOfTheMeans() {
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 3, 2)) {
            rbm.initialize(0.01f, new RandomStream(1), new float[] {0.5f, 0f, 0.9f});
            RbmParameters p = rbm.parameters();
            assertEquals(0f, p.visibleBias()[0], 1e-7);
            assertEquals(Math.log(1e-3 / (1 - 1e-3)), p.visibleBias()[1], 1e-4);
            assertEquals(Math.log(9), p.visibleBias()[2], 1e-5);
            assertEquals(0f, p.hiddenBias()[1]);
        }
        assertThrows(IllegalArgumentException.class, () -> Rbm.zeros(backend, VisibleType.BERNOULLI, 0, 2));
    }

    /**
     * An evaluation says what its log-likelihood is: a log probability of binary rows for Bernoulli visibles, a
     * log density (not comparable with a probability) for Gaussian ones, on the same rows.
     */
    @Test
    void anEvaluationSaysWhetherItsLikelihoodIsAProbabilityOrADensity() {
        org.ebm4j.data.Dataset rows = org.ebm4j.data.Dataset.of("rows", 2, 3, new float[] {0, 1, 1, 1, 0, 0});
        try (Rbm bernoulli = Rbm.zeros(backend, VisibleType.BERNOULLI, 3, 2);
             Rbm gaussian = Rbm.zeros(backend, VisibleType.GAUSSIAN, 3, 2)) {
            assertEquals("probability", bernoulli.evaluate(rows, 0).likelihoodKind());
            assertEquals("density", gaussian.evaluate(rows, 0).likelihoodKind());
        }
    }
}
