package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exact evaluator and the empirical distribution on a three-unit network (two visible, one hidden),
 * against a brute-force sum over its eight states written out here: {@code E(s) = -sum_{i<j} w_ij s_i s_j
 * - sum_i b_i s_i}, {@code p(s) = exp(-E(s)) / Z}, marginals and conditional moments by direct summation.
 */
class ExactSmallNetworkTest {
    // w_01 = 0.7, w_02 = -1.2, w_12 = 0.4; the matrix given is asymmetric (0.6 and 0.8 average to 0.7) with a
    // non-zero diagonal, both of which the evaluator must ignore as documented.
    private static final double[] W = {5, 0.6, -1.2, 0.8, -3, 0.4, -1.2, 0.4, 2};
    private static final double[] B = {0.3, -0.5, 0.9};
    private static final double[][] PAIRS = {{0, 1, 0.7}, {0, 2, -1.2}, {1, 2, 0.4}};

    private static double[] state(int index, UnitValues u) {
        double[] s = new double[3];
        for (int i = 0; i < 3; i++) {
            s[i] = (index >> i & 1) == 1 ? u.high() : u.low();
        }
        return s;
    }

    private static double energy(double[] s) {
        double e = 0;
        for (double[] p : PAIRS) {
            e -= p[2] * s[(int) p[0]] * s[(int) p[1]];
        }
        for (int i = 0; i < 3; i++) {
            e -= B[i] * s[i];
        }
        return e;
    }

    /** Unnormalized weights {@code exp(-E)} of the eight states. */
    private static double[] boltzmannWeights(UnitValues u) {
        double[] q = new double[8];
        for (int k = 0; k < 8; k++) {
            q[k] = Math.exp(-energy(state(k, u)));
        }
        return q;
    }

    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void partitionFunctionDistributionsAndLikelihoodsMatchTheEightStateSum(UnitValues u) {
        ExactBoltzmann m = new ExactBoltzmann(W, B, 2, u);
        assertEquals(3, m.units());
        assertEquals(2, m.visible());
        assertEquals(1, m.hidden());
        double[] q = boltzmannWeights(u);
        double z = java.util.Arrays.stream(q).sum();
        assertEquals(Math.log(z), m.logPartition(), 1e-12);
        double[] p = m.stateProbabilities();
        double[] pv = new double[4];
        for (int k = 0; k < 8; k++) {
            assertEquals(q[k] / z, p[k], 1e-12, "state " + k);
            assertArrayEquals(state(k, u), m.state(k));
            assertEquals(k, m.index(state(k, u)));
            assertEquals(energy(state(k, u)), m.energy(state(k, u)), 1e-12);
            pv[k & 3] += q[k] / z;
        }
        assertArrayEquals(pv, m.visibleProbabilities(), 1e-12);
        float lo = u.low();
        float hi = u.high();
        for (int v = 0; v < 4; v++) {
            double[] vis = {(v & 1) == 1 ? hi : lo, (v & 2) == 2 ? hi : lo};
            assertEquals(Math.log(pv[v]), m.logProbabilityOfVisible(vis), 1e-12, "visible " + v);
        }
        // Rows (hi, lo), (lo, lo), (hi, lo): visible indices 1, 0, 1.
        float[] data = {hi, lo, lo, lo, hi, lo};
        assertEquals((2 * Math.log(pv[1]) + Math.log(pv[0])) / 3, m.meanLogLikelihood(data), 1e-12);
    }

    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void momentsAndTheGradientMatchTheEightStateSum(UnitValues u) {
        ExactBoltzmann m = new ExactBoltzmann(W, B, 2, u);
        double[] q = boltzmannWeights(u);
        double z = java.util.Arrays.stream(q).sum();
        double[] pairs = new double[9];
        double[] means = new double[3];
        for (int k = 0; k < 8; k++) {
            double[] s = state(k, u);
            for (int i = 0; i < 3; i++) {
                means[i] += q[k] / z * s[i];
                for (int j = 0; j < 3; j++) {
                    pairs[i * 3 + j] += q[k] / z * s[i] * s[j];
                }
            }
        }
        Moments model = m.modelMoments();
        assertArrayEquals(pairs, model.pairs(), 1e-12);
        assertArrayEquals(means, model.means(), 1e-12);
        // Data rows with visible indices 3 and 1: the hidden unit follows p(h | v), the rest is fixed.
        float[] data = {u.high(), u.high(), u.high(), u.low()};
        double[] dPairs = new double[9];
        double[] dMeans = new double[3];
        for (int v : new int[] {3, 1}) {
            double pv = q[v] + q[v | 4];
            for (int k : new int[] {v, v | 4}) {
                double[] s = state(k, u);
                double w = q[k] / pv / 2;
                for (int i = 0; i < 3; i++) {
                    dMeans[i] += w * s[i];
                    for (int j = 0; j < 3; j++) {
                        dPairs[i * 3 + j] += w * s[i] * s[j];
                    }
                }
            }
        }
        Moments d = m.dataMoments(data);
        assertArrayEquals(dPairs, d.pairs(), 1e-12);
        assertArrayEquals(dMeans, d.means(), 1e-12);
        Moments g = m.gradient(data);
        for (int i = 0; i < 3; i++) {
            assertEquals(dMeans[i] - means[i], g.means()[i], 1e-12);
            for (int j = 0; j < 3; j++) {
                assertEquals(i == j ? 0 : dPairs[i * 3 + j] - pairs[i * 3 + j], g.pairs()[i * 3 + j], 1e-12);
            }
        }
    }

    @Test
    void theEvaluatorRefusesWhatItCannotEnumerateOrRead() {
        assertEquals("biases must hold at least one value", assertThrows(IllegalArgumentException.class,
                () -> new ExactBoltzmann(new double[0], new double[0], 0, UnitValues.BINARY)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ExactBoltzmann(new double[0], null, 0, UnitValues.BINARY));
        assertEquals("weights must hold 2x2 values but hold 3", assertThrows(IllegalArgumentException.class,
                () -> new ExactBoltzmann(new double[3], new double[2], 1, UnitValues.BINARY)).getMessage());
        assertEquals("weights must hold 2x2 values but are null", assertThrows(IllegalArgumentException.class,
                () -> new ExactBoltzmann(null, new double[2], 1, UnitValues.BINARY)).getMessage());
        for (int v : new int[] {-1, 3}) {
            assertEquals("visible count must lie in [0, 2] but is " + v, assertThrows(IllegalArgumentException.class,
                    () -> new ExactBoltzmann(new double[4], new double[2], v, UnitValues.BINARY)).getMessage());
        }
        assertEquals("unit values are null", assertThrows(IllegalArgumentException.class,
                () -> new ExactBoltzmann(new double[4], new double[2], 1, null)).getMessage());
        // 24 units is the limit: built (not enumerated); 21 units is past the array limit.
        new ExactBoltzmann(new double[24 * 24], new double[24], 0, UnitValues.BINARY);
        ExactBoltzmann big = new ExactBoltzmann(new double[21 * 21], new double[21], 21, UnitValues.BINARY);
        assertEquals("the state distribution has 2^21 entries; at most 2^20 are returned as an array",
                assertThrows(IllegalArgumentException.class, big::stateProbabilities).getMessage());
        assertEquals("the visible distribution has 2^21 entries; at most 2^20 are returned as an array",
                assertThrows(IllegalArgumentException.class, big::visibleProbabilities).getMessage());

        ExactBoltzmann m = new ExactBoltzmann(W, B, 2, UnitValues.SPIN);
        assertEquals("unit 1 is 0.0 but spin units are -1.0 or 1.0", assertThrows(IllegalArgumentException.class,
                () -> m.index(new double[] {1, 0})).getMessage());
        assertEquals("a visible vector has 2 values but this one has 3", assertThrows(IllegalArgumentException.class,
                () -> m.logProbabilityOfVisible(new double[] {1, 1, 1})).getMessage());
        assertEquals("data must hold a positive multiple of 2 values (one row per visible vector) but holds 0",
                assertThrows(IllegalArgumentException.class, () -> m.meanLogLikelihood(new float[0])).getMessage());
        assertEquals("data must hold a positive multiple of 2 values (one row per visible vector) but is null",
                assertThrows(IllegalArgumentException.class, () -> m.dataMoments(null)).getMessage());
        assertEquals("data row 0, unit 1 is 0.0 but spin units are -1.0 or 1.0",
                assertThrows(IllegalArgumentException.class, () -> m.dataMoments(new float[] {1, 0})).getMessage());
        ExactBoltzmann hiddenOnly = new ExactBoltzmann(W, B, 0, UnitValues.SPIN);
        assertThrows(IllegalArgumentException.class, () -> hiddenOnly.meanLogLikelihood(new float[] {1}));
        assertEquals("distributions over 2 and 3 states cannot be compared", assertThrows(IllegalArgumentException.class,
                () -> ExactBoltzmann.klDivergence(new double[2], new double[3])).getMessage());
        // KL((1/2, 1/2, 0) || (1/4, 1/4, 1/2)) = log 2; the empty state contributes nothing.
        assertEquals(Math.log(2), ExactBoltzmann.klDivergence(new double[] {0.5, 0.5, 0}, new double[] {0.25, 0.25, 0.5}),
                1e-15);
    }

    @Test
    void theEmpiricalDistributionCountsRowsMassAndMatches() {
        // Rows 11, 00, 11, 10 (first unit first): three distinct, counts 2, 1, 1.
        Dataset d = Dataset.of("d", 4, 2, new float[] {1, 1, 0, 0, 1, 1, 1, 0});
        EmpiricalDistribution e = EmpiricalDistribution.of(d, UnitValues.BINARY);
        assertEquals(4, e.rows());
        assertEquals(2, e.cols());
        assertEquals(3, e.distinctRows());
        assertEquals(0.5 * Math.log(0.5) + 2 * 0.25 * Math.log(0.25), e.negativeEntropy(), 1e-15);
        ExactBoltzmann m = new ExactBoltzmann(W, B, 2, UnitValues.BINARY);
        double[] q = boltzmannWeights(UnitValues.BINARY);
        double z = java.util.Arrays.stream(q).sum();
        // Visible indices of 11, 00 and 10 (unit 0 is bit 0): 3, 0 and 1.
        double mass = (q[3] + q[7] + q[0] + q[4] + q[1] + q[5]) / z;
        assertEquals(mass, e.massUnder(m), 1e-12);
        float[] samples = {1, 1, 0, 1, 1, 1, 1, 0, 0, 1};
        assertEquals(3.0 / 5, e.matchFraction(samples), 1e-15);
        assertEquals(2, e.distinctMatches(samples));
        assertEquals("samples must hold a positive multiple of 2 values (one row per sample) but hold 3",
                assertThrows(IllegalArgumentException.class, () -> e.matchFraction(new float[3])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.distinctMatches(new float[0]));
        assertEquals("the machine has 1 visible units but the data rows have 2 values", assertThrows(
                IllegalArgumentException.class, () -> e.massUnder(new ExactBoltzmann(W, B, 1, UnitValues.BINARY)))
                .getMessage());
        // Spin rows read as binary: -1 is the low value.
        EmpiricalDistribution spins = EmpiricalDistribution.of(Dataset.of("s", 2, 2, new float[] {-1, 1, -1, 1}),
                UnitValues.BINARY);
        assertEquals(1, spins.distinctRows());
        assertEquals(1.0, spins.matchFraction(new float[] {0, 1}), 0.0);
        assertEquals(0.0, spins.negativeEntropy(), 0.0);
    }
}
