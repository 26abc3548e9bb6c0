package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BoltzmannTrainerTest {

    /**
     * The sampled gradient is an average over independent chains (one per data row, and
     * {@code modelChains} free ones, each sampled once after a burn-in), so each entry has variance
     * {@code (1/B^2) sum_r Var(x | v_r) + Var_model(x) / M}, computed here exactly from the enumerated
     * distributions. Every entry must lie within 5 of its standard deviations of the exact gradient
     * (a two-sided 5-sigma miss has probability 6e-7 per entry).
     */
    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void sampledGradientMatchesTheExactGradient(UnitValues units) {
        int visible = 6;
        int hidden = 3;
        int n = visible + hidden;
        int distinct = 8;
        int replicas = 1000;
        int batch = distinct * replicas;
        int modelChains = 16_000;
        double scale = units == UnitValues.SPIN ? 0.35 : 0.9;
        float[] dataHost = RandomNetworks.states(distinct, visible, units, 41);
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine m = new BoltzmannMachine(backend, visible, hidden, units);
             Tensor data = backend.fromArray(dataHost, distinct, visible)) {
            m.couplings().setWeights(RandomNetworks.symmetricWeights(n, scale, 42));
            m.couplings().setBias(RandomNetworks.gaussianVector(n, scale, 43));
            TrainingConfig cfg = new TrainingConfig(0.1, 0, 0, batch, 30, 60, modelChains, true);
            int[] rows = new int[batch];
            for (int k = 0; k < batch; k++) {
                rows[k] = k % distinct;
            }
            Moments sampled;
            try (BoltzmannTrainer trainer = new BoltzmannTrainer(m, cfg)) {
                sampled = trainer.gradient(data, rows, 0, new RandomStream(44), true);
            }
            ExactBoltzmann exact = m.exact();
            Moments exactGrad = exact.gradient(dataHost);
            Moments model = exact.modelMoments();
            double[] varPairs = new double[n * n];
            double[] varMeans = new double[n];
            for (int d = 0; d < distinct; d++) {
                float[] row = new float[visible];
                System.arraycopy(dataHost, d * visible, row, 0, visible);
                Moments cond = exact.dataMoments(row);
                for (int k = 0; k < n * n; k++) {
                    varPairs[k] += replicas * variance(cond.pairs()[k], units) / ((double) batch * batch);
                }
                for (int i = 0; i < n; i++) {
                    varMeans[i] += replicas * variance(cond.means()[i], units) / ((double) batch * batch);
                }
            }
            double largest = 0;
            double widest = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int k = i * n + j;
                    if (i == j) {
                        assertEquals(0.0, sampled.pairs()[k], 0.0, "diagonal " + i);
                        continue;
                    }
                    double sd = Math.sqrt(varPairs[k] + variance(model.pairs()[k], units) / modelChains);
                    assertEquals(exactGrad.pairs()[k], sampled.pairs()[k], 5 * sd + 1e-6, "dW[" + i + "][" + j + "]");
                    largest = Math.max(largest, Math.abs(exactGrad.pairs()[k]));
                    widest = Math.max(widest, sd);
                }
                double sd = Math.sqrt(varMeans[i] + variance(model.means()[i], units) / modelChains);
                assertEquals(exactGrad.means()[i], sampled.means()[i], 5 * sd + 1e-6, "db[" + i + "]");
            }
            assertTrue(largest > 20 * widest, "the test must be able to see the gradient: largest entry " + largest
                    + ", widest standard deviation " + widest);
        }
    }

    /** Variance of a product or unit value {@code x} with mean {@code mean}: binary x has x^2 = x, spin x^2 = 1. */
    private static double variance(double mean, UnitValues units) {
        return units == UnitValues.BINARY ? mean * (1 - mean) : 1 - mean * mean;
    }

    /**
     * Learning: a machine with hidden units fit to 3x3 bars-and-stripes by persistent chains must
     * climb from the uniform log-likelihood (-9 ln 2 = -6.24) to within half a nat of the optimum
     * (-ln 14 = -2.64) and put most of its samples on valid images (a machine that had learnt nothing
     * would put 14/512 = 2.7% there).
     */
    @Test
    void learnsThreeByThreeBarsAndStripes() {
        int side = 3;
        UnitValues units = UnitValues.BINARY;
        float[] bas = BarsAndStripes.patterns(side, units);
        int count = BarsAndStripes.count(side);
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine m = new BoltzmannMachine(backend, side * side, 3, units);
             Tensor data = backend.fromArray(bas, count, side * side)) {
            RandomStream rng = new RandomStream(2024);
            m.initializeRandom(0.01, rng);
            double before = m.exact().meanLogLikelihood(bas);
            assertEquals(-9 * Math.log(2), before, 0.05);
            TrainingConfig cfg = new TrainingConfig(0.1, 0.5, 0.0, count, 3, 3, 100, true);
            try (BoltzmannTrainer trainer = new BoltzmannTrainer(m, cfg)) {
                for (int epoch = 0; epoch < 800; epoch++) {
                    trainer.epoch(data, rng);
                }
            }
            double after = m.exact().meanLogLikelihood(bas);
            double optimum = -Math.log(count);
            assertTrue(after > optimum - 0.5, "log-likelihood " + after + " should be within 0.5 nat of " + optimum);
            float[] samples = new GibbsSampler(m).sampleVisible(2000, TemperatureSchedule.constant(1.0, 50), rng);
            double valid = BarsAndStripes.validFraction(samples, side, units);
            assertTrue(valid > 0.6, "valid fraction " + valid);
        }
    }

    @Test
    void configRejectsBadValuesByName() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.defaults().withLearningRate(0)).getMessage().contains("learning rate"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.defaults().withMomentum(1)).getMessage().contains("momentum"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.defaults().withModelChains(0)).getMessage().contains("model chains"));
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine m = new BoltzmannMachine(backend, 4, 2, UnitValues.BINARY);
             BoltzmannTrainer t = new BoltzmannTrainer(m, TrainingConfig.defaults().withBatchSize(2));
             Tensor wrong = backend.allocate(3, 5)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> t.epoch(wrong, new RandomStream(1)));
            assertTrue(e.getMessage().contains("data has 5 columns but the machine has 4 visible units"), e.getMessage());
        }
    }
}
