package org.ebm4j.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class ChainInferenceTest {
    static final int K = 3;
    static final int T = 5;

    static double[] gaussian(Random r, int n, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = sd * r.nextGaussian();
        }
        return v;
    }

    /** Random unary potentials u (T x K) and pairwise potentials p (K x K), each entry normal with this sd. */
    record Potentials(double[] u, double[] p) {
        static Potentials random(Random r, double sd) {
            double[] u = gaussian(r, T * K, sd);
            return new Potentials(u, gaussian(r, K * K, sd));
        }
    }

    /** The first of the K^T sequences with the lowest {@code score}, found by trying them all. */
    static int[] argminByEnumeration(ToDoubleFunction<int[]> score) {
        double best = Double.POSITIVE_INFINITY;
        int[] argmin = null;
        for (int[] y : allSequences(K, T)) {
            double v = score.applyAsDouble(y);
            if (v < best) {
                best = v;
                argmin = y;
            }
        }
        return argmin;
    }

    // Every one of the K^T sequences, as label arrays.
    static int[][] allSequences(int k, int t) {
        int total = (int) Math.pow(k, t);
        int[][] out = new int[total][t];
        for (int s = 0; s < total; s++) {
            int c = s;
            for (int i = t - 1; i >= 0; i--) {
                out[s][i] = c % k;
                c /= k;
            }
        }
        return out;
    }

    @Test
    void viterbiAndTheForwardAlgorithmEqualEnumerationOverAllSequences() {
        Random r = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            Potentials chain = Potentials.random(r, 1.5);
            double beta = 0.3 + trial * 0.2;
            int[] argmin = argminByEnumeration(y -> ChainInference.energy(chain.u(), chain.p(), y, K));
            double[] node = new double[T * K];
            double[] edge = new double[K * K];
            double z = 0;
            for (int[] y : allSequences(K, T)) {
                double w = Math.exp(-beta * ChainInference.energy(chain.u(), chain.p(), y, K));
                z += w;
                for (int i = 0; i < T; i++) {
                    node[i * K + y[i]] += w;
                    if (i > 0) {
                        edge[y[i - 1] * K + y[i]] += w;
                    }
                }
            }
            assertArrayEquals(argmin, ChainInference.viterbi(chain.u(), chain.p(), K), "trial " + trial);
            double free = -Math.log(z) / beta;
            assertEquals(free, ChainInference.freeEnergy(chain.u(), chain.p(), K, beta), 1e-10, "trial " + trial);
            ChainInference.Marginals m = ChainInference.marginals(chain.u(), chain.p(), K, beta);
            assertEquals(free, m.freeEnergy(), 1e-10);
            for (int i = 0; i < node.length; i++) {
                assertEquals(node[i] / z, m.node()[i], 1e-10, "node marginal " + i);
            }
            for (int i = 0; i < edge.length; i++) {
                assertEquals(edge[i] / z, m.edge()[i], 1e-10, "edge marginal " + i);
            }
        }
    }

    @Test
    void lossAugmentedViterbiEqualsTheMostOffendingSequenceByEnumeration() {
        Random r = new Random(8);
        for (int trial = 0; trial < 20; trial++) {
            Potentials chain = Potentials.random(r, 1);
            int[] truth = new int[T];
            for (int i = 0; i < T; i++) {
                truth[i] = r.nextInt(K);
            }
            double m = 0.5 * (trial % 4);
            int[] argmin = argminByEnumeration(
                    y -> ChainInference.energy(chain.u(), chain.p(), y, K) - m * ChainInference.hamming(truth, y));
            assertArrayEquals(argmin, ChainInference.lossAugmentedViterbi(chain.u(), chain.p(), K, truth, m),
                    "trial " + trial);
        }
    }

    @Test
    void theForwardAlgorithmIsStableForHugeEnergies() {
        // Every sequence's energy is near 1e4: exp(-E) underflows, a naive sum would give log(0).
        double[] u = new double[T * K];
        java.util.Arrays.fill(u, 2000);
        double[] p = new double[K * K];
        double f = ChainInference.freeEnergy(u, p, K, 1);
        // K^T sequences of energy exactly 1e4.
        assertEquals(1e4 - T * Math.log(K), f, 1e-8);
    }

    @Test
    void everyLossGradientMatchesFiniteDifferences() {
        Potentials chain = Potentials.random(new Random(13), 1);
        double[] u = chain.u();
        double[] p = chain.p();
        int[] truth = {0, 2, 1, 1, 0};
        for (ChainLoss loss : ChainLoss.values()) {
            double[] du = new double[T * K];
            double[] dp = new double[K * K];
            double value = loss.evaluate(u, p, K, truth, 1.0, 0.7, du, dp);
            assertTrue(value >= 0, loss + " is non-negative, found " + value);
            // The perceptron and hinge are piecewise linear: the random factors keep the point off a kink
            // (a kink within h would show as a mismatch of order 1, not of order h).
            assertFiniteDifferences(loss, u, u, p, truth, du, "dL/dU");
            assertFiniteDifferences(loss, p, u, p, truth, dp, "dL/dP");
        }
    }

    // Central differences (h = 1e-6, in double) of the loss in every entry of `varied` (u or p itself).
    static void assertFiniteDifferences(ChainLoss loss, double[] varied, double[] u, double[] p, int[] truth,
                                        double[] gradient, String what) {
        double h = 1e-6;
        for (int i = 0; i < varied.length; i++) {
            double keep = varied[i];
            varied[i] = keep + h;
            double up = loss.evaluate(u, p, K, truth, 1.0, 0.7, new double[T * K], new double[K * K]);
            varied[i] = keep - h;
            double dn = loss.evaluate(u, p, K, truth, 1.0, 0.7, new double[T * K], new double[K * K]);
            varied[i] = keep;
            assertEquals((up - dn) / (2 * h), gradient[i], 1e-6, loss + " " + what + "[" + i + "]");
        }
    }

    @Test
    void lossesAgreeWithTheirDefinitionsByEnumeration() {
        Potentials chain = Potentials.random(new Random(21), 1);
        int[] truth = {1, 1, 0, 2, 2};
        double e = ChainInference.energy(chain.u(), chain.p(), truth, K);
        double low = Double.POSITIVE_INFINITY;
        double augmented = Double.POSITIVE_INFINITY;
        double z = 0;
        double beta = 0.7;
        for (int[] y : allSequences(K, T)) {
            double v = ChainInference.energy(chain.u(), chain.p(), y, K);
            low = Math.min(low, v);
            augmented = Math.min(augmented, v - 0.8 * ChainInference.hamming(truth, y));
            z += Math.exp(-beta * v);
        }
        double[] du = new double[T * K];
        double[] dp = new double[K * K];
        assertEquals(e - low, ChainLoss.PERCEPTRON.evaluate(chain.u(), chain.p(), K, truth, 0.8, beta, du, dp),
                1e-10);
        assertEquals(Math.max(0, e - augmented),
                ChainLoss.HINGE.evaluate(chain.u(), chain.p(), K, truth, 0.8, beta, du, dp), 1e-10);
        assertEquals(e + Math.log(z) / beta,
                ChainLoss.NLL.evaluate(chain.u(), chain.p(), K, truth, 0.8, beta, du, dp), 1e-10);
    }

    @Test
    void badShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChainInference.viterbi(new double[6], new double[4], 3));
        assertTrue(e.getMessage().contains("3 x 3 = 9") && e.getMessage().contains("found 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ChainLoss.byName("crf"));
        assertTrue(e.getMessage().contains("'crf'"), e.getMessage());
    }
    @Test
    void theSoftMinShiftsByTheTrueMinimumWhereverItIs() {
        // The minimum last: shifting by the first value instead would overflow exp(1000) to infinity.
        assertEquals(-Math.log1p(Math.exp(-1000)), ChainInference.softMin(new double[] {1000, 0}, 2, 1), 1e-12);
        assertEquals(-Math.log(2) / 4, ChainInference.softMin(new double[] {0, 0}, 2, 4), 1e-15);
    }

    @Test
    void viterbiBreaksTiesTowardTheLowerLabel() {
        // Every sequence has energy 0: the documented tie rule gives all zeros.
        assertArrayEquals(new int[] {0, 0, 0}, ChainInference.viterbi(new double[9], new double[9], 3));
        // Ties only at the last position (labels 1 and 2 at 0, label 0 at 1) and inside the back-pointers.
        double[] u = {0, 0, 0, 1, 0, 0};
        double[] p = {0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertArrayEquals(new int[] {0, 1}, ChainInference.viterbi(u, p, 3));
    }

    @Test
    void aOneLabelChainHasOneSequence() {
        double[] u = {1.5, -0.5, 2};
        double[] p = {0.25};
        assertArrayEquals(new int[] {0, 0, 0}, ChainInference.viterbi(u, p, 1));
        assertEquals(3 + 2 * 0.25, ChainInference.energy(u, p, new int[] {0, 0, 0}, 1), 1e-15);
        assertEquals(3.5, ChainInference.freeEnergy(u, p, 1, 2), 1e-12);
        ChainInference.Marginals m = ChainInference.marginals(u, p, 1, 2);
        assertArrayEquals(new double[] {1, 1, 1}, m.node(), 1e-12);
        assertArrayEquals(new double[] {2}, m.edge(), 1e-12);
    }

    @Test
    void badLabelsLabelCountsAndTemperaturesAreRefused() {
        double[] u = new double[6];
        double[] p = new double[9];
        for (int bad : new int[] {-1, 3}) {
            assertEquals("label " + bad + " at position 1 is outside 0..2", assertThrows(IllegalArgumentException.class,
                    () -> ChainInference.energy(u, p, new int[] {2, bad}, 3)).getMessage());
        }
        assertEquals("expected 2 labels, found 1", assertThrows(IllegalArgumentException.class,
                () -> ChainInference.energy(u, p, new int[] {0}, 3)).getMessage());
        assertEquals("a chain needs >= 1 labels, found 0", assertThrows(IllegalArgumentException.class,
                () -> ChainInference.viterbi(new double[0], new double[0], 0)).getMessage());
        assertEquals("unary factors must be T x 3 values with T >= 1, found 0", assertThrows(IllegalArgumentException.class,
                () -> ChainInference.viterbi(new double[0], p, 3)).getMessage());
        assertEquals("unary factors must be T x 3 values with T >= 1, found 4", assertThrows(IllegalArgumentException.class,
                () -> ChainInference.viterbi(new double[4], p, 3)).getMessage());
        for (double beta : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            String message = "inverse temperature beta must be finite and > 0, found " + beta;
            assertEquals(message, assertThrows(IllegalArgumentException.class,
                    () -> ChainInference.freeEnergy(u, p, 3, beta)).getMessage());
            assertEquals(message, assertThrows(IllegalArgumentException.class,
                    () -> ChainInference.marginals(u, p, 3, beta)).getMessage());
        }
    }
}
