package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.data.Dataset;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.testing.SafetyLog;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The optimizers and the training safety of {@link BoltzmannMachine#fit}. */
@ExtendWith(NoLeakedTensors.class)
class BoltzmannSafetyTest {
    private static final Dataset BAS = BarsAndStripes.dataset(3, UnitValues.BINARY);

    private static BoltzmannOptions.Builder small() {
        return BoltzmannOptions.builder().hidden(2).batchSize(4).modelChains(30).evalEvery(1).samples(0).seed(5);
    }

    /**
     * At a rate of 1e8 the first update moves the weights by up to 1e8 times a gradient entry (a difference
     * of two means of unit products, of order 0.1 for bars and stripes), past the 1000-fold growth that
     * counts as an explosion: refused before any epoch, naming the rate, with nothing reported.
     */
    @Test
    void aRateThatExplodesTheFirstUpdateIsRefusedUpFront() {
        SafetyLog log = new SafetyLog(BoltzmannMachine.WATCHED_METRIC);
        try (Backend backend = new ReferenceBackend()) {
            SettingException e = assertThrows(SettingException.class, () -> BoltzmannMachine.fit(backend, BAS,
                    small().learningRate(1e8).epochs(3).build(), Checkpointing.none(), log));
            assertEquals("learning_rate", e.setting());
            assertTrue(e.getMessage().startsWith("learning_rate: the first update at this learning rate explodes (the "
                    + "largest magnitude in W grew from "), e.getMessage());
        }
        assertTrue(log.values.isEmpty(), "no epoch ran");
    }

    /**
     * With patience 2 and an evaluation every epoch, a run at a rate high enough for the exact
     * log-likelihood to stop improving (0.5, momentum 0.9) stops early and keeps the best epoch's
     * parameters: those of a second run of the same seed planned to end at that epoch (the rate is
     * constant, so the two runs agree update for update up to there).
     */
    @Test
    void earlyStoppingKeepsTheParametersOfTheBestEpoch() {
        BoltzmannOptions o = small().learningRate(0.5).momentum(0.9).epochs(200).patience(2).build();
        SafetyLog log = new SafetyLog(BoltzmannMachine.WATCHED_METRIC);
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine stopped = BoltzmannMachine.fit(backend, BAS, o, Checkpointing.none(), log)) {
            assertTrue(log.stoppedAfter > 0 && log.stoppedAfter < 200, "the run stopped early: " + log.values);
            assertEquals(log.bestReported(true), log.bestEpoch);
            assertEquals(log.stoppedAfter - 2, log.bestEpoch, "two evaluations without improvement");
            try (BoltzmannMachine best = BoltzmannMachine.fit(backend, BAS,
                    o.toBuilder().epochs(log.bestEpoch).patience(0).build(), Checkpointing.none())) {
                assertArrayEquals(best.couplings().weightsToHost(), stopped.couplings().weightsToHost());
                assertArrayEquals(best.couplings().biasToHost(), stopped.couplings().biasToHost());
            }
            assertEquals(log.values.get(log.bestEpoch), stopped.logLikelihood(BAS), 1e-12);
        }
    }

    /**
     * Adam's first step is {@code lr * m1 / (sqrt(s1) + eps)} with the bias-corrected moments
     * {@code m1 = g} and {@code s1 = g^2}: {@code lr * g / (|g| + eps)}, {@code lr * sign(g)} but where
     * {@code |g|} is as small as {@code eps = 1e-8} (a bias whose data and model means cancel up to float
     * rounding) and 0 where {@code g = 0}, as on the diagonal. Two trainers of one seed on one machine see the same first gradient, so the one that
     * steps must move each parameter by {@code lr * sign} of the other's gradient.
     */
    @Test
    void adamsFirstStepIsTheRateTimesTheSignOfTheGradient() {
        BoltzmannOptions o = small().optimizer(Optimizer.ADAM).learningRate(0.01).visible(9).build();
        int[] rows = {0, 1, 2, 3};
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine a = machine(backend, o); BoltzmannMachine b = machine(backend, o);
             Tensor data = BAS.toTensor(backend);
             BoltzmannTrainer ta = new BoltzmannTrainer(a, o, data); BoltzmannTrainer tb = new BoltzmannTrainer(b, o, data)) {
            Moments g = ta.gradient(rows, 0, rows.length, true);
            float[] w0 = b.couplings().weightsToHost();
            float[] b0 = b.couplings().biasToHost();
            tb.step(rows, 0, rows.length);
            float[] w1 = b.couplings().weightsToHost();
            float[] b1 = b.couplings().biasToHost();
            int n = a.size();
            for (int i = 0; i < n * n; i++) {
                assertEquals(w0[i] + adamFirstStep(0.01, g.pairs()[i]), w1[i], 1e-6, "weight " + i);
            }
            for (int i = 0; i < n; i++) {
                assertEquals(b0[i] + adamFirstStep(0.01, g.means()[i]), b1[i], 1e-6, "bias " + i);
            }
        }
    }

    private static double adamFirstStep(double lr, double g) {
        return lr * g / (Math.abs(g) + 1e-8);
    }

    private static BoltzmannMachine machine(Backend backend, BoltzmannOptions o) {
        BoltzmannMachine m = new BoltzmannMachine(backend, 9, o.hidden(), o.units());
        m.initializeRandom(0.1, org.ebm4j.random.StreamId.BM_INIT.open(o.seed()));
        return m;
    }
}
