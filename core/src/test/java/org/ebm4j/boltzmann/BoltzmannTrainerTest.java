package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;
import org.ebm4j.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.ebm4j.testing.EpochBatches;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
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
        float[] distinctRows = RandomNetworks.states(distinct, visible, units, 41);
        float[] dataHost = new float[batch * visible];
        int[] rows = new int[batch];
        for (int k = 0; k < batch; k++) {
            System.arraycopy(distinctRows, (k % distinct) * visible, dataHost, k * visible, visible);
            rows[k] = k;
        }
        BoltzmannOptions options = BoltzmannOptions.builder().hidden(hidden).units(units).learningRate(0.1).momentum(0)
                .batchSize(batch).dataSweeps(30).modelSweeps(60).modelChains(modelChains).seed(44).build();
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine m = new BoltzmannMachine(backend, visible, hidden, units);
             Tensor data = backend.fromArray(dataHost, batch, visible)) {
            m.couplings().setWeights(RandomNetworks.symmetricWeights(n, scale, 42));
            m.couplings().setBias(RandomNetworks.gaussianVector(n, scale, 43));
            Moments sampled;
            try (BoltzmannTrainer trainer = new BoltzmannTrainer(m, options, data)) {
                sampled = trainer.gradient(rows, 0, batch, true);
            }
            ExactBoltzmann exact = m.exact();
            Moments exactGrad = exact.gradient(distinctRows);
            Moments model = exact.modelMoments();
            double[] varPairs = new double[n * n];
            double[] varMeans = new double[n];
            for (int d = 0; d < distinct; d++) {
                float[] row = new float[visible];
                System.arraycopy(distinctRows, d * visible, row, 0, visible);
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
        Dataset bas = BarsAndStripes.dataset(side, units);
        BoltzmannOptions options = BoltzmannOptions.builder().hidden(3).learningRate(0.1).momentum(0.5)
                .batchSize(bas.rows()).dataSweeps(3).modelSweeps(3).modelChains(100).epochs(800).seed(2024)
                .evalEvery(0).samples(0).build();
        double[] reported = {Double.NaN};
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine m = BoltzmannMachine.fit(backend, bas, options, Checkpointing.none(), new TrainingListener() {
                 @Override
                 public void onReport(EpochReport r) {
                     if (r.metrics().containsKey("log_likelihood")) {
                         reported[0] = r.metrics().get("log_likelihood");
                     }
                 }
             })) {
            double after = m.logLikelihood(bas);
            assertEquals(after, reported[0], 0.0, "the last report holds the final exact log-likelihood");
            double optimum = -Math.log(bas.rows());
            assertTrue(after > optimum - 0.5, "log-likelihood " + after + " should be within 0.5 nat of " + optimum);
            float[] samples = m.sample(2000, TemperatureSchedule.constant(1.0, 50), 7).values();
            double valid = BarsAndStripes.validFraction(samples, side, units);
            assertTrue(valid > 0.6, "valid fraction " + valid);
        }
    }

    /**
     * Data whose units are on with very different frequencies must give a model whose visible
     * marginals match them: at a maximum of the likelihood {@code <v_i>_model = <v_i>_data} exactly
     * (the bias gradient is zero). Bars-and-stripes cannot check this: every pixel is on in half its
     * images, which a machine without bias updates reproduces too. Here one unit is on 90% of the time
     * and the others rarely: without a bias, that unit is on with probability 1/2 whenever the others
     * are off (about half the rows), so its marginal cannot pass 0.77; spin units without biases have
     * every marginal exactly 1/2 by symmetry. The machine has no hidden units, which could stand in for
     * biases (a binary hidden unit that is always on is one). The PCD estimate of each mean has standard
     * deviation about {@code sqrt(1/4/200) = 0.035} per update, averaged over the hundreds of updates of
     * the decaying rate; 0.05 is several times the remaining noise.
     */
    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void learnsAsymmetricMarginals(UnitValues units) {
        int visible = 5;
        int rows = 40;
        double[] p = {0.1, 0.15, 0.2, 0.25, 0.9};
        SplittableRandom r = new SplittableRandom(7);
        float[] v = new float[rows * visible];
        double[] dataMean = new double[visible];
        for (int k = 0; k < rows; k++) {
            for (int i = 0; i < visible; i++) {
                boolean on = r.nextDouble() < p[i];
                v[k * visible + i] = units.value(on);
                dataMean[i] += on ? 1.0 / rows : 0;
            }
        }
        assertTrue(dataMean[0] < 0.2 && dataMean[4] > 0.8, "the data must be asymmetric: " + java.util.Arrays.toString(dataMean));
        BoltzmannOptions options = BoltzmannOptions.builder().hidden(0).units(units).epochs(400).learningRate(0.05)
                .lrDecay(BoltzmannOptions.LearningRateDecay.LINEAR).batchSize(10).modelChains(200).seed(5)
                .evalEvery(0).samples(0).build();
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine m = BoltzmannMachine.fit(backend, Dataset.of("marginals", rows, visible, v), options,
                     Checkpointing.none())) {
            double[] modelMean = m.exact().modelMoments().means();
            for (int i = 0; i < visible; i++) {
                double onProbability = units == UnitValues.BINARY ? modelMean[i] : (modelMean[i] + 1) / 2;
                assertEquals(dataMean[i], onProbability, 0.05, units + ": marginal of unit " + i);
            }
        }
    }

    private static BoltzmannMachine initialized(Backend backend, BoltzmannOptions o, int visible) {
        return initialized(backend, o, visible, 0.3);
    }

    private static BoltzmannMachine initialized(Backend backend, BoltzmannOptions o, int visible, double stddev) {
        BoltzmannMachine m = new BoltzmannMachine(backend, visible, o.hidden(), o.units());
        m.initializeRandom(stddev, StreamId.BM_INIT.open(o.seed()));
        return m;
    }

    /**
     * Trains a machine started from weights of standard deviation 1.5 (or from {@code resume}'s
     * parameters and trainer state) until {@code epochs} epochs are done; returns its weights and
     * biases, and the trainer's state after each epoch in {@code states}.
     */
    private static float[][] persistentRun(Backend backend, BoltzmannOptions o, Tensor data, int epochs,
                                           float[][] resumeParameters, TrainingState resume, List<TrainingState> states) {
        try (BoltzmannMachine m = initialized(backend, o, data.cols(), 1.5);
             BoltzmannTrainer t = new BoltzmannTrainer(m, o, data)) {
            if (resume != null) {
                m.couplings().setWeights(resumeParameters[0]);
                m.couplings().setBias(resumeParameters[1]);
                t.restore(resume);
            }
            while (t.epochsDone() < epochs) {
                t.trainEpoch(List.of());
                states.add(t.state());
            }
            return new float[][] {m.couplings().weightsToHost(), m.couplings().biasToHost()};
        }
    }

    /**
     * A resume carries on the persistent model chains where they stopped. With small weights every
     * conditional is near its bias alone, so chains driven by the same uniforms coalesce within a sweep
     * and a resume that lost them would still match; with weights of standard deviation 1.5 on 7 units
     * the chains remember their start for longer than the two epochs here, which the counterfactual
     * shows: the same resume with the chains of an earlier epoch ends on other parameters.
     */
    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void aResumeContinuesThePersistentChains(UnitValues units) {
        int rows = 12;
        int visible = 5;
        BoltzmannOptions o = BoltzmannOptions.builder().hidden(2).units(units).batchSize(4).modelChains(6)
                .learningRate(0.05).momentum(0.5).epochs(4).seed(13).build();
        try (Backend backend = new ReferenceBackend();
             Tensor data = backend.fromArray(RandomNetworks.states(rows, visible, units, 19), rows, visible)) {
            List<TrainingState> straight = new java.util.ArrayList<>();
            float[][] end = persistentRun(backend, o, data, 4, null, null, straight);
            List<TrainingState> half = new java.util.ArrayList<>();
            float[][] mid = persistentRun(backend, o, data, 2, null, null, half);
            TrainingState stop = half.get(1);
            float[][] resumed = persistentRun(backend, o, data, 4, mid, stop, new java.util.ArrayList<>());
            assertArrayEquals(end[0], resumed[0], "weights after 2 epochs + resume");
            assertArrayEquals(end[1], resumed[1], "biases after 2 epochs + resume");
            Map<String, org.ebm4j.io.ModelFile.Entry> earlier = new java.util.HashMap<>(stop.arrays());
            earlier.put("chains", half.get(0).arrays().get("chains"));
            TrainingState lost = new TrainingState(stop.trainer(), stop.epochsDone(), stop.counters(), earlier);
            float[][] forgetful = persistentRun(backend, o, data, 4, mid, lost, new java.util.ArrayList<>());
            assertFalse(java.util.Arrays.equals(end[0], forgetful[0]),
                    "other chains at the resume must change the result, or this test could not see them restored");
        }
    }

    /**
     * One epoch is the rows of one {@link StreamId#BM_SHUFFLE} permutation, batch k being positions
     * {@code [k b, k b + b)} and the rest a last smaller batch, so every row is used exactly once: the
     * epoch must leave exactly the parameters that these updates made by hand leave, for two epochs
     * (each drawing its own permutation), with and without a last partial batch.
     */
    @ParameterizedTest
    @CsvSource({"12, 4", "14, 4", "9, 9"})
    void anEpochUsesEveryRowOnceInTheOrderOfItsPermutation(int rows, int batch) {
        int visible = 5;
        BoltzmannOptions o = BoltzmannOptions.builder().hidden(2).batchSize(batch).modelChains(20).epochs(2).seed(3)
                .build();
        float[] v = RandomNetworks.states(rows, visible, o.units(), 17);
        try (Backend backend = new ReferenceBackend();
             Tensor data = backend.fromArray(v, rows, visible);
             BoltzmannMachine byEpoch = initialized(backend, o, visible);
             BoltzmannMachine byHand = initialized(backend, o, visible);
             BoltzmannTrainer epochs = new BoltzmannTrainer(byEpoch, o, data);
             BoltzmannTrainer steps = new BoltzmannTrainer(byHand, o, data)) {
            assertEquals((rows + batch - 1) / batch, epochs.batchesPerEpoch());
            var shuffle = StreamId.BM_SHUFFLE.open(o.seed());
            for (int e = 0; e < 2; e++) {
                int[] order = shuffle.permutation(rows);
                EpochBatches.replay(order, batch, "epoch " + e, (offset, count) -> steps.step(order, offset, count));
                epochs.trainEpoch(List.of());
                assertArrayEquals(byHand.couplings().weightsToHost(), byEpoch.couplings().weightsToHost(), "epoch " + e);
                assertArrayEquals(byHand.couplings().biasToHost(), byEpoch.couplings().biasToHost(), "epoch " + e);
            }
        }
    }

    @Test
    void optionsRejectBadValuesByName() {
        assertEquals("learning_rate: must be finite and > 0, found 0.0", assertThrows(IllegalArgumentException.class,
                () -> BoltzmannOptions.builder().learningRate(0).build()).getMessage());
        assertEquals("momentum: must lie in [0, 1), found 1.0", assertThrows(IllegalArgumentException.class,
                () -> BoltzmannOptions.builder().momentum(1).build()).getMessage());
        assertEquals("model_chains: must be >= 1, found 0", assertThrows(IllegalArgumentException.class,
                () -> BoltzmannOptions.builder().modelChains(0).build()).getMessage());
        assertEquals("hidden: must be >= 0, found -1", assertThrows(IllegalArgumentException.class,
                () -> BoltzmannOptions.builder().hidden(-1).build()).getMessage());
        assertEquals("units: must be given, found none", assertThrows(IllegalArgumentException.class,
                () -> BoltzmannOptions.builder().units(null).build()).getMessage());
        assertEquals("sample_sweeps: must be >= 1, found 0", assertThrows(IllegalArgumentException.class,
                () -> BoltzmannOptions.builder().sampleSweeps(0).build()).getMessage());
        Map<String, String> typo = new java.util.HashMap<>(BoltzmannOptions.builder().build().toMap());
        typo.put("hiden", "3");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoltzmannOptions.fromMap(typo));
        assertTrue(e.getMessage().startsWith("Boltzmann machine options have unknown keys [hiden]"), e.getMessage());
        Map<String, String> malformed = new java.util.HashMap<>(BoltzmannOptions.builder().build().toMap());
        malformed.put("epochs", "many");
        e = assertThrows(IllegalArgumentException.class, () -> BoltzmannOptions.fromMap(malformed));
        assertEquals("Boltzmann machine options: 'epochs' must be an integer, found 'many'", e.getMessage());
        malformed.put("epochs", "3");
        malformed.put("units", "ternary");
        e = assertThrows(IllegalArgumentException.class, () -> BoltzmannOptions.fromMap(malformed));
        assertTrue(e.getMessage().startsWith("unit values must be 'binary'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BoltzmannOptions.fromMap(Map.of()));
        assertTrue(e.getMessage().startsWith("Boltzmann machine options lack 'visible'"), e.getMessage());
    }

    @Test
    void optionsRoundTripThroughTheirMap() {
        BoltzmannOptions o = BoltzmannOptions.builder().visible(9).hidden(4).units(UnitValues.SPIN).initStddev(0.125)
                .seed(-77).epochs(33).learningRate(0.1 + 0.2).lrDecay(BoltzmannOptions.LearningRateDecay.LINEAR)
                .momentum(0.9).weightDecay(1e-4).batchSize(7).dataSweeps(2).modelSweeps(5).modelChains(64)
                .persistent(false).evalEvery(0).samples(12).sampleSweeps(3).build();
        assertEquals(o, BoltzmannOptions.fromMap(o.toMap()));
        assertEquals(o, o.toBuilder().build());
        assertEquals(BoltzmannOptions.LearningRateDecay.NONE, BoltzmannOptions.builder().build().lrDecay(),
                "the library's default learning rate is constant");
        assertEquals(Double.toString(0.1 + 0.2), o.toMap().get("learning_rate"));
    }

    @Test
    void linearDecayHoldsTheRateForHalfTheEpochsThenFallsToZero() {
        BoltzmannOptions o = BoltzmannOptions.builder().epochs(10).learningRate(0.4)
                .lrDecay(BoltzmannOptions.LearningRateDecay.LINEAR).build();
        assertEquals(0.4, o.learningRate(0), 0.0);
        assertEquals(0.4, o.learningRate(5), 0.0);
        assertEquals(0.4 * 0.8, o.learningRate(6), 1e-15);
        assertEquals(0.4 * 0.2, o.learningRate(9), 1e-15);
        assertEquals(0.0, o.learningRate(12), 0.0);
        assertEquals(0.4, o.toBuilder().lrDecay(BoltzmannOptions.LearningRateDecay.NONE).build().learningRate(9), 0.0);
    }

    @Test
    void trainerRejectsDataAndOptionsThatDoNotFitTheMachine() {
        BoltzmannOptions o = BoltzmannOptions.builder().hidden(2).batchSize(2).build();
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine m = new BoltzmannMachine(backend, 4, 2, UnitValues.BINARY);
             Tensor wrong = backend.allocate(3, 5);
             Tensor right = backend.allocate(3, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BoltzmannTrainer(m, o, wrong));
            assertEquals("data has 5 columns but the machine has 4 visible units", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> new BoltzmannTrainer(m, o.toBuilder().hidden(3).build(), right));
            assertTrue(e.getMessage().startsWith("options describe a machine of 0 visible, 3 hidden binary units"),
                    e.getMessage());
            try (BoltzmannTrainer t = new BoltzmannTrainer(m, o, right)) {
                e = assertThrows(IllegalArgumentException.class, () -> t.step(new int[] {0, 1}, 1, 2));
                assertTrue(e.getMessage().contains("must lie inside the row list of 2 entries"), e.getMessage());
            }
        }
    }

    /**
     * Two updates against the documented rule worked out here in double: {@code vel = momentum vel +
     * lr (grad - weightDecay W)} and {@code W += vel} for the weights, the same without decay for the
     * biases. A twin trainer on an identical machine supplies each update's sampled gradient: it
     * draws from the same stream positions with the same parameters, so its gradient is the one the
     * update used. The twin is set to the trained machine's parameters between the updates, so only
     * the rounding of one update separates hand and trainer (float: 1e-6 on values of order 1).
     */
    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void twoUpdatesFollowTheMomentumAndDecayRuleForWeightsAndBiases(UnitValues units) {
        int visible = 4;
        int hidden = 2;
        int n = visible + hidden;
        int rows = 6;
        double lr = 0.3;
        double mom = 0.5;
        double wd = 0.05;
        BoltzmannOptions o = BoltzmannOptions.builder().hidden(hidden).units(units).learningRate(lr).momentum(mom)
                .weightDecay(wd).batchSize(rows).modelChains(5).seed(21).build();
        float[] v = RandomNetworks.states(rows, visible, units, 23);
        int[] order = {4, 1, 5, 0, 3, 2};
        try (Backend backend = new ReferenceBackend();
             Tensor data = backend.fromArray(v, rows, visible);
             BoltzmannMachine trained = initialized(backend, o, visible);
             BoltzmannMachine twin = initialized(backend, o, visible);
             BoltzmannTrainer stepper = new BoltzmannTrainer(trained, o, data);
             BoltzmannTrainer gradients = new BoltzmannTrainer(twin, o, data)) {
            double[] velW = new double[n * n];
            double[] velB = new double[n];
            for (int update = 0; update < 2; update++) {
                float[] w = trained.couplings().weightsToHost();
                float[] b = trained.couplings().biasToHost();
                twin.couplings().setWeights(w);
                twin.couplings().setBias(b);
                Moments g = gradients.gradient(order, 1, 4, true);
                stepper.step(order, 1, 4);
                float[] gotW = trained.couplings().weightsToHost();
                float[] gotB = trained.couplings().biasToHost();
                double moved = 0;
                for (int k = 0; k < n * n; k++) {
                    velW[k] = mom * velW[k] + lr * (g.pairs()[k] - wd * w[k]);
                    assertEquals(w[k] + velW[k], gotW[k], 1e-6, "update " + update + ": W[" + k + "]");
                }
                for (int i = 0; i < n; i++) {
                    velB[i] = mom * velB[i] + lr * g.means()[i];
                    assertEquals(b[i] + velB[i], gotB[i], 1e-6, "update " + update + ": b[" + i + "]");
                    moved = Math.max(moved, Math.abs(velB[i]));
                }
                assertTrue(moved > 0.01, "the biases must move for the test to see their update: " + moved);
            }
        }
    }
}
