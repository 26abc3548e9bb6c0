package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.random.StreamId;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.testing.SafetyLog;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.SettingException;
import org.ebm4j.train.TrainingRun;
import org.ebm4j.train.TrainingSafety;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The optimizers and the training safety of {@link EnergyModel#fit}. */
@ExtendWith(NoLeakedTensors.class)
class EnergySafetyTest {

    /**
     * At a rate of 1e8 the first update moves the network's weights by up to 1e8 times an energy
     * derivative (of order 1 for these unit-scale inputs), past the 1000-fold growth that counts as an
     * explosion: refused before any epoch, naming the rate.
     */
    @Test
    void aRateThatExplodesTheFirstUpdateIsRefusedUpFront() {
        EnergyOptions o = EnergyModelTest.small(EnergyOptions.Model.NETWORK).toBuilder().learningRate(1e8).build();
        try (Backend b = new ReferenceBackend()) {
            SettingException e = assertThrows(SettingException.class,
                    () -> EnergyModel.fit(b, EnergyModelTest.SQUARES, o, Checkpointing.none()));
            assertEquals("learning_rate", e.setting());
            assertTrue(e.getMessage().contains("the first update at this learning rate explodes"), e.getMessage());
        }
    }

    /**
     * An epoch that blows the parameters up is rolled back with the rate halved and reported: with the
     * weights scaled by 1e18, the energy gradients of the biases (which start at 0) are of the order of
     * the scaled weights, so every first epoch grows a bias far past the 1000-fold limit; epoch 1 is rolled
     * back to the same start twice (rates x0.5, x0.25) and the third divergence ends the run, saying so.
     */
    @Test
    void anExplodingEpochIsRolledBackWithTheRateHalvedUntilTheRollbacksRunOut() {
        EnergyOptions o = EnergyModelTest.small(EnergyOptions.Model.NETWORK).toBuilder().maxRollbacks(2).build();
        try (Backend b = new ReferenceBackend();
             EnergyNetwork net = new EnergyNetwork(b, 2, o.layers(), o.visiblePrecision());
             Tensor x = EnergyModelTest.SQUARES.toTensor(b)) {
            net.initialize(StreamId.ENERGY_INIT.open(o.seed()), o.weightScale(), o.initialScale());
            for (Tensor p : net.parameters()) {
                b.scale(1e18f, p, p);
            }
            net.parametersChanged();
            SafetyLog log = new SafetyLog("loss");
            try (EnergyTrainer t = new EnergyTrainer(net, x, o)) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainingRun.run(t, null,
                        () -> EnergyModelFile.toModelFile(net), f -> { }, Checkpointing.none(), 1,
                        (epoch, epochs) -> t.epochMetrics(), new TrainingSafety("loss", false, 0, 2, Double.MAX_VALUE),
                        List.of(log)));
                assertEquals(List.of("1->0 x0.5", "1->0 x0.25"), log.rollbacks);
                assertTrue(e.getMessage().startsWith("training diverged in epoch 1 (the largest magnitude in b1 grew from "
                        + "0.0 to "), e.getMessage());
                assertTrue(e.getMessage().contains("after 2 rollback(s)"), e.getMessage());
            }
        }
    }

    /**
     * Adam's first step on a loss gradient {@code g} (with weight decay {@code wd} on the parameters that
     * take it, {@code g + wd * theta}) is {@code -lr * g / (|g| + 1e-8)}: the bias-corrected moments of one
     * step are {@code g} and {@code g^2}. The second parameter takes no decay.
     */
    @Test
    void adamsFirstStepDescendsByTheRateTimesTheSignOfTheGradient() {
        try (Backend b = new ReferenceBackend();
             Tensor w = b.fromArray(new float[] {1f, -2f, 0.5f}, 1, 3); Tensor c = b.fromArray(new float[] {3f}, 1, 1);
             Tensor gw = b.fromArray(new float[] {0.2f, 0f, -0.3f}, 1, 3); Tensor gc = b.fromArray(new float[] {-4f}, 1, 1);
             MomentumUpdate u = new MomentumUpdate(b, List.of(w, c), List.of("w", "c"), 0.9, false, Optimizer.ADAM)) {
            double wd = 0.1;
            double lr = 0.01;
            double[] g = {0.2 + wd * 1, 0 + wd * -2, -0.3 + wd * 0.5};
            u.apply(List.of(w, c), List.of(gw, gc), i -> i == 0, wd, lr, Double.POSITIVE_INFINITY);
            float[] expected = new float[3];
            double[] start = {1, -2, 0.5};
            for (int i = 0; i < 3; i++) {
                expected[i] = (float) (start[i] - lr * g[i] / (Math.abs(g[i]) + 1e-8));
            }
            assertArrayEquals(expected, w.toArray(), 1e-6f);
            assertEquals(3 + 0.01, c.toArray()[0], 1e-6);
        }
    }

    @Test
    void adamRefusesTheSignRuleAndEarlyStoppingWithoutHeldOutRowsIsRefused() {
        IllegalArgumentException sign = assertThrows(IllegalArgumentException.class, () -> EnergyOptions.builder()
                .optimizer(Optimizer.ADAM).update(EnergyOptions.Update.SIGN).build());
        assertTrue(sign.getMessage().contains("cannot take the sign update rule"), sign.getMessage());
        SettingException patience = assertThrows(SettingException.class,
                () -> EnergyOptions.builder().patience(3).build());
        assertEquals("patience", patience.setting());
        assertTrue(patience.getMessage().contains("needs held-out rows"), patience.getMessage());
    }

    /**
     * With 24 of the 72 rows held out (48 train rows in batches of 16: 3 updates an epoch) and patience 2, a
     * run planned for 100 epochs at a rate high enough for the held-out denoising score to stop improving stops
     * early and keeps the best epoch's parameters: those of a second run of the same seed planned to end at that
     * epoch (a constant rate, so the two agree update for update up to there), bit for bit; the score reported
     * at the best epoch is that of the model returned.
     */
    @Test
    void earlyStoppingOnTheHeldOutScoreKeepsTheBestEpoch() {
        EnergyOptions o = EnergyModelTest.small(EnergyOptions.Model.NETWORK).toBuilder().holdout(24).updates(300)
                .learningRate(0.2).patience(2).build();
        SafetyLog log = new SafetyLog(EnergyModel.HELDOUT_METRIC);
        try (Backend b = new ReferenceBackend();
             EnergyModel stopped = EnergyModel.fit(b, EnergyModelTest.SQUARES, o, Checkpointing.none(), log)) {
            assertTrue(log.stoppedAfter > 0 && log.stoppedAfter < 100, "stopped early: " + log.values);
            assertTrue(log.bestEpoch > 1, "a later epoch than the first was best: " + log.values);
            assertEquals(log.bestReported(false), log.bestEpoch);
            assertEquals(log.stoppedAfter - 2, log.bestEpoch, "two epochs without improvement");
            try (EnergyModel best = EnergyModel.fit(b, EnergyModelTest.SQUARES,
                    o.toBuilder().updates(3 * log.bestEpoch).patience(0).build(), Checkpointing.none())) {
                EnergyModelTest.assertSameParameters(best, stopped);
            }
        }
    }

    /** Adam trains the network: the run ends with finite parameters and reports a finite loss. */
    @Test
    void adamTrainsTheNetwork() {
        EnergyOptions o = EnergyModelTest.small(EnergyOptions.Model.NETWORK).toBuilder().optimizer(Optimizer.ADAM)
                .learningRate(0.01).build();
        try (Backend b = new ReferenceBackend(); EnergyModel m = EnergyModel.fit(b, EnergyModelTest.SQUARES, o,
                Checkpointing.none())) {
            for (float[] p : EnergyModelTest.parameters(m)) {
                for (float x : p) {
                    assertTrue(Float.isFinite(x));
                }
            }
            assertEquals(Optimizer.ADAM, EnergyOptions.fromMap(m.provenance().options()).optimizer());
        }
    }
}
