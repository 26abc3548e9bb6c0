package org.ebm4j.dbn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.data.Dataset;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.SafetyLog;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;

/** The optimizers and the training safety of both phases of {@link Dbn#fit}. */
class DbnSafetyTest {
    private final Dataset train = DbnFitTest.blocks("train", 120, 1);
    private final Dataset test = DbnFitTest.blocks("test", 60, 2);

    /**
     * A rate of 1e8 moves a weight by up to 1e8 times a gradient entry (of order 0.1 for these binary
     * rows) in one update, far past the 1000-fold growth that counts as an explosion: each phase refuses
     * it before its first epoch, naming its own rate.
     */
    @Test
    void aRateThatExplodesTheFirstUpdateIsRefusedNamingThePhasesRate() {
        try (Backend b = new ReferenceBackend()) {
            SettingException pretrain = assertThrows(SettingException.class, () -> Dbn.fit(b, train, test,
                    DbnFitTest.small().pretrainLearningRate(1e8).build(), Checkpointing.none()));
            assertEquals("pretrain_lr", pretrain.setting());
            assertTrue(pretrain.getMessage().contains("the first update at this learning rate explodes"),
                    pretrain.getMessage());
            SettingException finetune = assertThrows(SettingException.class, () -> Dbn.fit(b, train, test,
                    DbnFitTest.small().pretrainEpochs(1).finetuneLearningRate(1e8).build(), Checkpointing.none()));
            assertEquals("finetune_lr", finetune.setting());
        }
    }

    /**
     * Fine-tuning with patience 2 on separable classes reaches its least held-out error within a few epochs
     * and then stops improving: the run stops early and keeps the classifier of the best epoch, which a
     * run of the same seed planned to end at that epoch has too (constant rates, so the two agree update
     * for update up to there).
     */
    @Test
    void earlyStoppingOfFineTuningKeepsTheBestEpochsClassifier() {
        DbnOptions o = DbnFitTest.small().pretrainEpochs(2).finetuneEpochs(60).patience(2).build();
        SafetyLog log = new SafetyLog(DbnTraining.HELDOUT_ERROR);
        try (Backend b = new ReferenceBackend(); Dbn stopped = Dbn.fit(b, train, test, o, Checkpointing.none(), log)) {
            assertTrue(log.stoppedAfter > 0 && log.stoppedAfter < 60, "stopped early: " + log.values);
            assertEquals(log.bestReported(false), log.bestEpoch);
            try (Dbn best = Dbn.fit(b, train, test, o.toBuilder().finetuneEpochs(log.bestEpoch).patience(0).build(),
                    Checkpointing.none())) {
                DbnFitTest.assertSameParameters(best, stopped);
            }
            assertEquals(log.values.get(log.bestEpoch), stopped.evaluate(test).errorRate(), 0.0);
        }
    }

    /** Adam reaches every layer's pretraining and the fine-tuning, and trains a classifier well above chance. */
    @Test
    void adamTrainsBothPhases() {
        DbnOptions o = DbnFitTest.small().optimizer(Optimizer.ADAM).pretrainLearningRate(0.01)
                .finetuneLearningRate(0.01).build();
        assertEquals(Optimizer.ADAM, o.layerOptions(1).optimizer());
        assertEquals(o.maxRollbacks(), o.layerOptions(0).maxRollbacks());
        try (Backend b = new ReferenceBackend(); Dbn dbn = Dbn.fit(b, train, test, o, Checkpointing.none())) {
            // Chance is 75% error on the four classes.
            assertTrue(dbn.evaluate(test).errorRate() < 0.1, "test error " + dbn.evaluate(test).errorRate());
        }
    }
}
