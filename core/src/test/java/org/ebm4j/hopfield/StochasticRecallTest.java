package org.ebm4j.hopfield;

import static org.ebm4j.testing.HostArrays.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.boltzmann.ExactBoltzmann;
import org.ebm4j.boltzmann.RandomNetworks;
import org.ebm4j.boltzmann.TemperatureSchedule;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StochasticRecallTest {

    /**
     * A lone unit with bias b: p(s = +1) = sigmoid(dE / T) with dE = 2b. The observed fraction over
     * M chains lies within 5 binomial standard deviations.
     */
    @ParameterizedTest
    @CsvSource({"0.3, 1.0", "0.3, 0.25", "-1.0, 2.0", "0.0, 1.0"})
    void stochasticUnitFollowsTheSigmoidOfItsEnergyGap(double bias, double t) {
        int chains = 40_000;
        try (Backend backend = new ReferenceBackend(); HopfieldNetwork net = new HopfieldNetwork(backend, 1)) {
            net.couplings().setBias(new float[] {(float) bias});
            float[] minus = new float[chains];
            java.util.Arrays.fill(minus, -1f);
            try (Tensor s = backend.fromArray(minus, chains, 1)) {
                new StochasticRecall(net, TemperatureSchedule.constant(t, 1), 0).run(s, null, new RandomStream(5));
                double up = 0;
                for (float x : s.toArray()) {
                    up += x > 0 ? 1 : 0;
                }
                double p = 1 / (1 + Math.exp(-2 * bias / t));
                double sd = Math.sqrt(p * (1 - p) / chains);
                assertEquals(p, up / chains, 5 * sd, "p(+1) with b=" + bias + ", T=" + t);
            }
        }
    }

    /** Stochastic units at temperature T sample exp(-E/T): KL to the exact distribution within the G-test bound. */
    @Test
    void stochasticRecallSamplesTheBoltzmannDistribution() {
        int n = 7;
        int chains = 20_000;
        double t = 1.5;
        float[] w = RandomNetworks.symmetricWeights(n, 0.5, 21);
        float[] b = RandomNetworks.gaussianVector(n, 0.3, 22);
        double[] wt = toDouble(w);
        double[] bt = toDouble(b);
        for (int k = 0; k < wt.length; k++) {
            wt[k] /= t;
        }
        for (int k = 0; k < n; k++) {
            bt[k] /= t;
        }
        double[] exact = new ExactBoltzmann(wt, bt, n, UnitValues.SPIN).stateProbabilities();
        try (Backend backend = new ReferenceBackend(); HopfieldNetwork net = new HopfieldNetwork(backend, n);
             Tensor s = backend.fromArray(RandomNetworks.states(chains, n, UnitValues.SPIN, 23), chains, n)) {
            net.couplings().setWeights(w);
            net.couplings().setBias(b);
            RecallResult r = new StochasticRecall(net, TemperatureSchedule.constant(t, 40), 0)
                    .run(s, null, new RandomStream(24));
            assertEquals(40, r.iterations());
            assertEquals(chains, r.count(RecallStatus.UNSETTLED));
            float[] out = s.toArray();
            double[] q = new double[1 << n];
            for (int c = 0; c < chains; c++) {
                int idx = 0;
                for (int i = 0; i < n; i++) {
                    if (out[c * n + i] > 0) {
                        idx |= 1 << i;
                    }
                }
                q[idx] += 1.0 / chains;
            }
            double k1 = q.length - 1;
            double bound = (k1 + 6 * Math.sqrt(2 * k1)) / (2.0 * chains);
            double kl = ExactBoltzmann.klDivergence(q, exact);
            assertTrue(kl < bound, "KL " + kl + " above the bound " + bound);
        }
    }

    /**
     * Simulated annealing on a small Sherrington-Kirkpatrick spin glass: the annealed chains reach the
     * exact ground state (found by enumeration), and end lower on average than a plain deterministic
     * descent from the same starts.
     */
    @Test
    void annealingFindsTheGroundStateOfASmallSpinGlass() {
        int n = 16;
        int chains = 32;
        float[] w = RandomNetworks.symmetricWeights(n, 1 / Math.sqrt(n), 31);
        float[] b = new float[n];
        double ground = Double.POSITIVE_INFINITY;
        float[] s1 = new float[n];
        for (int k = 0; k < (1 << n); k++) {
            for (int i = 0; i < n; i++) {
                s1[i] = ((k >> i) & 1) != 0 ? 1f : -1f;
            }
            ground = Math.min(ground, RandomNetworks.energy(w, b, s1, 0));
        }
        float[] starts = RandomNetworks.states(chains, n, UnitValues.SPIN, 32);
        try (Backend backend = new ReferenceBackend(); HopfieldNetwork net = new HopfieldNetwork(backend, n)) {
            net.couplings().setWeights(w);
            float[] annealed;
            float[] descended;
            try (Tensor s = backend.fromArray(starts, chains, n)) {
                RecallResult r = new StochasticRecall(net, TemperatureSchedule.geometric(2.0, 0.05, 150), 20)
                        .run(s, null, new RandomStream(33));
                assertTrue(r.allSettled(), r.toString());
                annealed = net.energies(s.toArray());
            }
            try (Tensor s = backend.fromArray(starts, chains, n)) {
                new AsynchronousRecall(net, 20).run(s, null, new RandomStream(33));
                descended = net.energies(s.toArray());
            }
            double bestAnnealed = Double.POSITIVE_INFINITY;
            double meanAnnealed = 0;
            double meanDescended = 0;
            for (int c = 0; c < chains; c++) {
                assertTrue(annealed[c] >= ground - 1e-4, "below the exact ground state?");
                bestAnnealed = Math.min(bestAnnealed, annealed[c]);
                meanAnnealed += annealed[c] / chains;
                meanDescended += descended[c] / chains;
            }
            assertEquals(ground, bestAnnealed, 1e-4, "annealing should reach the ground state");
            assertTrue(meanAnnealed < meanDescended, "annealed mean " + meanAnnealed + " vs descent " + meanDescended);
        }
    }

    @Test
    void schedulesHaveTheirShapes() {
        TemperatureSchedule lin = TemperatureSchedule.linear(2.0, 0.5, 4);
        assertEquals(2.0, lin.temperature(0), 1e-15);
        assertEquals(1.5, lin.temperature(1), 1e-15);
        assertEquals(0.5, lin.temperature(3), 1e-15);
        TemperatureSchedule geo = TemperatureSchedule.geometric(8.0, 1.0, 4);
        assertEquals(8.0, geo.temperature(0), 1e-12);
        assertEquals(4.0, geo.temperature(1), 1e-12);
        assertEquals(2.0, geo.temperature(2), 1e-12);
        assertEquals(1.0, geo.temperature(3), 0.0);
        TemperatureSchedule custom = TemperatureSchedule.of(3, 2, 1);
        assertEquals(3, custom.sweeps());
        assertEquals(2.0, custom.temperature(1));
        assertEquals(0.5, TemperatureSchedule.of(2, k -> 1.0 / (k + 1)).temperature(1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.linear(1, 0, 5))
                .getMessage().contains("end temperature must be finite and > 0 but is 0.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.of(1, -1))
                .getMessage().contains("temperature 1"));
        assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.of(2, k -> k - 1.0).temperature(0));
        assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.constant(1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> lin.temperature(4));
    }
}
