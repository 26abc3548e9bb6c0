package org.ebm4j.hopfield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.ebm4j.boltzmann.RandomNetworks;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/** Storage rules and energies against plain double-precision transcriptions of their definitions. */
class HopfieldNetworkTest {

    /** Hebb: w_ij = (1/n) sum_k xi_i xi_j, w_ii = 0. */
    static double[] hebbReference(float[] patterns, int n) {
        double[] w = new double[n * n];
        for (int k = 0; k < patterns.length / n; k++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i != j) {
                        w[i * n + j] += (double) patterns[k * n + i] * patterns[k * n + j] / n;
                    }
                }
            }
        }
        return w;
    }

    /** Storkey, literally: w_ij += (1/n)(xi_i xi_j - xi_i h_ji - h_ij xi_j), h_ij = sum_{k != i,j} w_ik xi_k. */
    static double[] storkeyReference(float[] patterns, int n) {
        double[] w = new double[n * n];
        for (int p = 0; p < patterns.length / n; p++) {
            double[] xi = new double[n];
            for (int i = 0; i < n; i++) {
                xi[i] = patterns[p * n + i];
            }
            double[] h = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int k = 0; k < n; k++) {
                        if (k != i && k != j) {
                            acc += w[i * n + k] * xi[k];
                        }
                    }
                    h[i * n + j] = acc;
                }
            }
            double[] next = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    next[i * n + j] = i == j ? 0 : w[i * n + j]
                            + (xi[i] * xi[j] - xi[i] * h[j * n + i] - h[i * n + j] * xi[j]) / n;
                }
            }
            w = next;
        }
        return w;
    }

    /** The projector Xi^T (Xi Xi^T)^-1 Xi by Gauss-Jordan in double, diagonal then zeroed. */
    static double[] projectionReference(float[] patterns, int n) {
        int p = patterns.length / n;
        double[] a = new double[p * 2 * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                double g = 0;
                for (int k = 0; k < n; k++) {
                    g += (double) patterns[i * n + k] * patterns[j * n + k];
                }
                a[i * 2 * p + j] = g;
            }
            a[i * 2 * p + p + i] = 1;
        }
        for (int c = 0; c < p; c++) {
            int piv = c;
            for (int r = c + 1; r < p; r++) {
                if (Math.abs(a[r * 2 * p + c]) > Math.abs(a[piv * 2 * p + c])) {
                    piv = r;
                }
            }
            for (int k = 0; k < 2 * p; k++) {
                double t = a[c * 2 * p + k];
                a[c * 2 * p + k] = a[piv * 2 * p + k];
                a[piv * 2 * p + k] = t;
            }
            double d = a[c * 2 * p + c];
            for (int k = 0; k < 2 * p; k++) {
                a[c * 2 * p + k] /= d;
            }
            for (int r = 0; r < p; r++) {
                if (r != c) {
                    double f = a[r * 2 * p + c];
                    for (int k = 0; k < 2 * p; k++) {
                        a[r * 2 * p + k] -= f * a[c * 2 * p + k];
                    }
                }
            }
        }
        double[] w = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                double acc = 0;
                for (int r = 0; r < p; r++) {
                    for (int c = 0; c < p; c++) {
                        acc += patterns[r * n + i] * a[r * 2 * p + p + c] * patterns[c * n + j];
                    }
                }
                w[i * n + j] = acc;
            }
        }
        return w;
    }

    private static void assertClose(double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], tol, "entry " + k);
        }
    }

    @Test
    void hebbStoresTheScaledOuterProductsIncrementally() {
        int n = 20;
        float[] p = RandomNetworks.states(5, n, UnitValues.SPIN, 1);
        try (Backend backend = new ReferenceBackend(); HopfieldNetwork net = new HopfieldNetwork(backend, n)) {
            net.store(Arrays.copyOfRange(p, 0, 2 * n), LearningRule.HEBB);
            net.store(Arrays.copyOfRange(p, 2 * n, 5 * n), LearningRule.HEBB);
            assertEquals(5, net.storedPatterns());
            assertClose(hebbReference(p, n), net.couplings().weightsToHost(), 1e-6);
        }
    }

    @Test
    void storkeyMatchesTheRuleAsWrittenOnePatternAtATime() {
        int n = 16;
        float[] p = RandomNetworks.states(7, n, UnitValues.SPIN, 2);
        double[] expected = storkeyReference(p, n);
        try (Backend backend = new ReferenceBackend();
             HopfieldNetwork all = new HopfieldNetwork(backend, n);
             HopfieldNetwork split = new HopfieldNetwork(backend, n)) {
            all.store(p, LearningRule.STORKEY);
            split.store(Arrays.copyOfRange(p, 0, 3 * n), LearningRule.STORKEY);
            split.store(Arrays.copyOfRange(p, 3 * n, 7 * n), LearningRule.STORKEY);
            assertClose(expected, all.couplings().weightsToHost(), 1e-5);
            assertArrayEquals(all.couplings().weightsToHost(), split.couplings().weightsToHost());
            float[] w = all.couplings().weightsToHost();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(w[i * n + j], w[j * n + i], 0f, "W must stay exactly symmetric");
                }
            }
        }
    }

    @Test
    void pseudoInverseIsTheProjectorOntoThePatternsAndSkipsDependentOnes() {
        int n = 24;
        float[] p = RandomNetworks.states(6, n, UnitValues.SPIN, 6);
        float[] withRepeat = Arrays.copyOf(p, 7 * n);
        System.arraycopy(p, 2 * n, withRepeat, 6 * n, n);
        try (Backend backend = new ReferenceBackend(); HopfieldNetwork net = new HopfieldNetwork(backend, n)) {
            net.store(Arrays.copyOfRange(withRepeat, 0, 4 * n), LearningRule.PSEUDO_INVERSE);
            net.store(Arrays.copyOfRange(withRepeat, 4 * n, 7 * n), LearningRule.PSEUDO_INVERSE);
            assertClose(projectionReference(p, n), net.couplings().weightsToHost(), 1e-5);
        }
    }

    @Test
    void energiesAndGapsFollowTheDefinition() {
        int n = 12;
        float[] w = RandomNetworks.symmetricWeights(n, 0.7, 3);
        float[] b = RandomNetworks.gaussianVector(n, 0.4, 4);
        float[] s = RandomNetworks.states(5, n, UnitValues.SPIN, 5);
        try (Backend backend = new ReferenceBackend(); HopfieldNetwork net = new HopfieldNetwork(backend, n)) {
            net.couplings().setWeights(w);
            net.couplings().setBias(b);
            float[] e = net.energies(s);
            float[] gaps;
            try (Tensor st = backend.fromArray(s, 5, n); Tensor g = backend.allocate(5, n)) {
                net.energyGaps(st, g);
                gaps = g.toArray();
            }
            for (int r = 0; r < 5; r++) {
                assertEquals(RandomNetworks.energy(w, b, s, r), e[r], 1e-4);
                for (int i = 0; i < n; i++) {
                    float[] down = Arrays.copyOfRange(s, r * n, r * n + n);
                    float[] up = down.clone();
                    down[i] = -1f;
                    up[i] = 1f;
                    double gap = RandomNetworks.energy(w, b, down, 0) - RandomNetworks.energy(w, b, up, 0);
                    assertEquals(gap, gaps[r * n + i], 1e-4, "gap of unit " + i + " in state " + r);
                }
            }
        }
    }

    @Test
    void rejectsPatternsThatAreNotSpinsAndWeightsThatAreNotSymmetric() {
        try (Backend backend = new ReferenceBackend(); HopfieldNetwork net = new HopfieldNetwork(backend, 3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.store(new float[] {1, -1, 1, 1, 0, -1}, LearningRule.HEBB));
            assertEquals("pattern 1, unit 1 is 0.0; Hopfield states must be -1 or +1", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> net.store(new float[] {1, -1}, LearningRule.HEBB));
            assertTrue(e.getMessage().contains("positive multiple of 3"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> net.couplings().setWeights(new float[] {0, 1, 0, 2, 0, 0, 0, 0, 0}));
            assertEquals("weights must be symmetric but w[0][1] = 1.0 and w[1][0] = 2.0", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> net.couplings().setWeights(new float[] {0, 0, 0, 0, 0.5f, 0, 0, 0, 0}));
            assertEquals("weights must have a zero diagonal but w[1][1] = 0.5", e.getMessage());
            assertEquals(0, net.storedPatterns());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> LearningRule.parse("oja")).getMessage()
                    .contains("'hebb', 'storkey' or 'pseudo-inverse'"));
            assertEquals(LearningRule.PSEUDO_INVERSE, LearningRule.parse("projection"));
            assertEquals(LearningRule.STORKEY, LearningRule.parse(" Storkey "));
        }
    }
}
