package org.ebm4j.hopfield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ebm4j.boltzmann.ClampMask;
import org.ebm4j.boltzmann.RandomNetworks;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecallTest {

    /**
     * The Lyapunov property: with symmetric W and zero diagonal, setting a unit to the sign of its
     * field changes the energy by {@code -(s_new - s_old) h_i <= 0}. Checked in double after every single
     * update, on random networks with biases, then the end state checked to be a fixed point.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void asynchronousRecallNeverIncreasesTheEnergy(long seed) {
        int n = 24;
        int chains = 6;
        float[] w = RandomNetworks.symmetricWeights(n, 1.0, seed);
        float[] b = RandomNetworks.gaussianVector(n, 0.5, seed + 100);
        float[] cues = RandomNetworks.states(chains, n, UnitValues.SPIN, seed + 200);
        try (Backend backend = new ReferenceBackend();
             HopfieldNetwork net = new HopfieldNetwork(backend, n);
             Tensor states = backend.fromArray(cues, chains, n)) {
            net.couplings().setWeights(w);
            net.couplings().setBias(b);
            double[] last = new double[chains];
            for (int r = 0; r < chains; r++) {
                last[r] = RandomNetworks.energy(w, b, cues, r);
            }
            int[] updates = {0};
            int[] decreases = {0};
            RecallResult result = new AsynchronousRecall(net, 100).observer((sweep, unit, c) -> {
                float[] s = c.state().toArray();
                for (int r = 0; r < chains; r++) {
                    double e = RandomNetworks.energy(w, b, s, r);
                    assertTrue(e <= last[r] + 1e-5, "energy rose from " + last[r] + " to " + e + " in chain " + r
                            + " at sweep " + sweep + ", unit " + unit);
                    if (e < last[r] - 1e-9) {
                        decreases[0]++;
                    }
                    last[r] = e;
                }
                updates[0]++;
            }).run(states, null, new RandomStream(seed));
            assertTrue(result.allSettled(), result.toString());
            assertEquals(result.iterations() * n, updates[0]);
            assertTrue(decreases[0] > 0, "random cues on a random network should move");
            assertFixedPoints(w, b, states.toArray(), n);
        }
    }

    static void assertFixedPoints(float[] w, float[] b, float[] s, int n) {
        for (int r = 0; r < s.length / n; r++) {
            for (int i = 0; i < n; i++) {
                double h = b[i];
                for (int j = 0; j < n; j++) {
                    h += w[i * n + j] * s[r * n + j];
                }
                if (Math.abs(h) > 1e-5) {
                    assertEquals(h >= 0 ? 1f : -1f, s[r * n + i], "chain " + r + " unit " + i + " is not aligned with its field " + h);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LearningRule.class)
    void storedPatternsAreFixedPointsAtLowLoad(LearningRule rule) {
        RecallResult[] r = recallBothWays(rule, 7, 0, 10);
        assertEquals(1, r[0].iterations(), "the first sweep must change nothing");
        assertEquals(LOW_LOAD_PATTERNS, r[0].count(RecallStatus.FIXED_POINT));
        assertEquals(1, r[1].iterations());
        assertEquals(LOW_LOAD_PATTERNS, r[1].count(RecallStatus.FIXED_POINT));
    }

    /** Units and patterns of the low-load tests: a load of 0.05, far below the capacity of every rule. */
    private static final int LOW_LOAD_UNITS = 200;
    private static final int LOW_LOAD_PATTERNS = 10;

    /**
     * Stores random spin patterns (drawn from {@code seed}) at low load with {@code rule}, recalls them
     * from cues with a fraction {@code noise} of their bits flipped (drawn from {@code seed + 1}; none for
     * 0), asynchronously (unit orders from {@code seed + 1}) and synchronously, at most {@code sweeps}
     * sweeps each, and asserts that both end at the stored patterns.
     *
     * @return the asynchronous result, then the synchronous one
     */
    private static RecallResult[] recallBothWays(LearningRule rule, long seed, double noise, int sweeps) {
        int n = LOW_LOAD_UNITS;
        int p = LOW_LOAD_PATTERNS;
        float[] patterns = RandomNetworks.states(p, n, UnitValues.SPIN, seed);
        float[] cues = noise == 0 ? patterns : flip(patterns, noise, seed + 1);
        RecallResult[] results = new RecallResult[2];
        try (Backend backend = new ReferenceBackend(); HopfieldNetwork net = new HopfieldNetwork(backend, n)) {
            net.store(patterns, rule);
            try (Tensor s = backend.fromArray(cues, p, n)) {
                results[0] = new AsynchronousRecall(net, sweeps).run(s, null, new RandomStream(seed + 1));
                assertArrayEquals(patterns, s.toArray(), "asynchronous recall");
            }
            try (Tensor s = backend.fromArray(cues, p, n)) {
                results[1] = new SynchronousRecall(net, sweeps).run(s, null);
                assertArrayEquals(patterns, s.toArray(), "synchronous recall");
            }
        }
        return results;
    }

    static float[] flip(float[] patterns, double fraction, long seed) {
        float[] c = patterns.clone();
        SplittableRandom r = new SplittableRandom(seed);
        for (int k = 0; k < c.length; k++) {
            if (r.nextDouble() < fraction) {
                c[k] = -c[k];
            }
        }
        return c;
    }

    @ParameterizedTest
    @EnumSource(LearningRule.class)
    void noisyCuesAreRecalledBothWays(LearningRule rule) {
        RecallResult[] r = recallBothWays(rule, 9, 0.1, 20);
        assertTrue(r[0].allSettled(), r[0].toString());
        assertEquals(LOW_LOAD_PATTERNS, r[1].count(RecallStatus.FIXED_POINT), r[1].toString());
    }

    /**
     * Correlated patterns (a shared template with 15% of each pattern's bits changed, like digits on a
     * common background): Hebb's rule merges them into one attractor, the pseudo-inverse rule keeps
     * every one a fixed point and recalls it from a 5%-flipped cue.
     */
    @Test
    void pseudoInverseKeepsCorrelatedPatternsApartWhereHebbMergesThem() {
        int n = 200;
        int p = 12;
        float[] template = RandomNetworks.states(1, n, UnitValues.SPIN, 15);
        float[] patterns = new float[p * n];
        for (int r = 0; r < p; r++) {
            System.arraycopy(template, 0, patterns, r * n, n);
        }
        patterns = flip(patterns, 0.15, 16);
        float[] cues = flip(patterns, 0.05, 17);
        try (Backend backend = new ReferenceBackend();
             HopfieldNetwork hebb = new HopfieldNetwork(backend, n);
             HopfieldNetwork pinv = new HopfieldNetwork(backend, n)) {
            hebb.store(patterns, LearningRule.HEBB);
            pinv.store(patterns, LearningRule.PSEUDO_INVERSE);
            try (Tensor s = backend.fromArray(cues, p, n)) {
                new AsynchronousRecall(pinv, 20).run(s, null, new RandomStream(18));
                assertArrayEquals(patterns, s.toArray());
            }
            try (Tensor s = backend.fromArray(patterns, p, n)) {
                RecallResult r = new AsynchronousRecall(hebb, 20).run(s, null, new RandomStream(18));
                assertTrue(r.iterations() > 1, "Hebb should move correlated patterns: " + r);
                float[] out = s.toArray();
                int exact = 0;
                for (int c = 0; c < p; c++) {
                    exact += Arrays.equals(Arrays.copyOfRange(out, c * n, c * n + n),
                            Arrays.copyOfRange(patterns, c * n, c * n + n)) ? 1 : 0;
                }
                assertTrue(exact < p / 2, exact + " of " + p + " correlated patterns survived Hebb's rule");
            }
        }
    }

    @Test
    void synchronousRecallDetectsTwoCyclesThatAsynchronousRecallAvoids() {
        try (Backend backend = new ReferenceBackend(); HopfieldNetwork net = new HopfieldNetwork(backend, 2)) {
            net.couplings().setWeights(new float[] {0, 1, 1, 0});
            float[] cues = {1, -1, 1, 1};
            try (Tensor s = backend.fromArray(cues, 2, 2)) {
                RecallResult r = new SynchronousRecall(net, 50).run(s, null);
                assertArrayEquals(new RecallStatus[] {RecallStatus.TWO_CYCLE, RecallStatus.FIXED_POINT}, r.status());
                assertArrayEquals(new int[] {2, 1}, r.settledAt());
                assertEquals(2, r.iterations());
            }
            try (Tensor s = backend.fromArray(cues, 2, 2)) {
                RecallResult r = new AsynchronousRecall(net, 50).run(s, null, new RandomStream(3));
                assertEquals(2, r.count(RecallStatus.FIXED_POINT));
                float[] out = s.toArray();
                assertEquals(out[0], out[1], "a ferromagnetic pair settles aligned");
            }
        }
    }

    @Test
    void clampedUnitsHoldTheirValuesAndTheRestIsCompleted() {
        int n = 200;
        int p = 8;
        float[] patterns = RandomNetworks.states(p, n, UnitValues.SPIN, 12);
        float[] cues = patterns.clone();
        float[] noise = RandomNetworks.states(p, n, UnitValues.SPIN, 13);
        for (int r = 0; r < p; r++) {
            System.arraycopy(noise, r * n + n / 2, cues, r * n + n / 2, n / 2);
            cues[r * n] = -cues[r * n];
        }
        boolean[] mask = new boolean[n];
        Arrays.fill(mask, 0, n / 2, true);
        try (Backend backend = new ReferenceBackend();
             HopfieldNetwork net = new HopfieldNetwork(backend, n);
             Tensor clamp = ClampMask.sameForAllChains(backend, p, mask)) {
            net.store(patterns, LearningRule.STORKEY);
            float[] expected = patterns.clone();
            for (int r = 0; r < p; r++) {
                expected[r * n] = -expected[r * n];
            }
            try (Tensor s = backend.fromArray(cues, p, n)) {
                new AsynchronousRecall(net, 20).run(s, clamp, new RandomStream(14));
                assertArrayEquals(expected, s.toArray(), "async: clamped half kept (unit 0 flipped), free half completed");
            }
            try (Tensor s = backend.fromArray(cues, p, n)) {
                new SynchronousRecall(net, 20).run(s, clamp);
                assertArrayEquals(expected, s.toArray(), "sync: clamped half kept (unit 0 flipped), free half completed");
            }
        }
    }
}
