package org.ebm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.data.Dataset;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.testing.SafetyLog;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The optimizers and the training safety of {@link Dbm#fit}; {@link NoLeakedTensors} fails a refused run
 * that leaves its model or workspaces open.
 */
@ExtendWith(NoLeakedTensors.class)
class DbmSafetyTest {
    private final Dataset data = DbmFitTest.modes("modes", 200, 1);

    /**
     * At a rate of 1e8 one update moves a weight by up to 1e8 times a gradient entry (a difference of
     * means of unit products, of order 0.1 here), far past the 1000-fold growth that counts as an
     * explosion: each stage refuses it before its first epoch, naming its rate.
     */
    @Test
    void aRateThatExplodesTheFirstUpdateIsRefusedNamingTheStagesRate() {
        try (Backend b = new ReferenceBackend()) {
            SettingException pretrain = assertThrows(SettingException.class, () -> Dbm.fit(b, data,
                    DbmFitTest.small().pretrainLearningRate(1e8).build(), Checkpointing.none()));
            assertEquals("pretrain_lr", pretrain.setting());
            assertTrue(pretrain.getMessage().contains("the first update at this learning rate explodes"),
                    pretrain.getMessage());
            SettingException joint = assertThrows(SettingException.class, () -> Dbm.fit(b, data,
                    DbmFitTest.small().learningRate(1e8).build(), Checkpointing.none()));
            assertEquals("lr", joint.setting());
        }
    }

    /**
     * Adam reaches both stages and trains a DBM that beats independent pixels (at most -4.16 nats on these
     * data, whose pixel means are near 1/2; see {@link DbmFitTest}); early stopping without held-out rows
     * is refused, as it would have no metric to watch.
     */
    @Test
    void adamTrainsAndEarlyStoppingWithoutHeldOutRowsIsRefused() {
        DbmOptions o = DbmFitTest.small().optimizer(Optimizer.ADAM).pretrainLearningRate(0.02).learningRate(0.01)
                .pretrainEpochs(10).epochs(20).build();
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.fit(b, data, o, Checkpointing.none())) {
            assertEquals(Optimizer.ADAM, DbmOptions.fromMap(dbm.provenance().options()).optimizer());
            double ll = dbm.exactLogLikelihood(data);
            assertTrue(ll > -4.16, "exact log-likelihood " + ll);
        }
        SettingException e = assertThrows(SettingException.class, () -> DbmFitTest.small().patience(2).build());
        assertEquals("patience", e.setting());
        assertTrue(e.getMessage().contains("needs held-out rows"), e.getMessage());
    }

    /**
     * With 50 of the 200 rows held out and patience 2, joint training at a rate high enough for the held-out
     * log-likelihood to stop improving (0.5, momentum 0.9; 0.2 with centering, which diverges sooner) stops
     * early and keeps the best evaluation's parameters: those of a second run of the same seed planned to end
     * at that epoch (the rate is constant,
     * so the two agree update for update up to there), bit for bit; the reported metric at the best epoch is
     * the exact held-out log-likelihood of the model returned. With centering the model also keeps the
     * best epoch's offsets, not those of the last epoch trained.
     */
    @ParameterizedTest
    @CsvSource({"false, 0.5", "true, 0.2"})
    void earlyStoppingOnTheHeldOutLogLikelihoodKeepsTheBestEpoch(boolean centering, double rate) {
        DbmOptions o = DbmFitTest.small().holdout(50).learningRate(rate).momentum(0.9).epochs(60).patience(2)
                .centering(centering).build();
        SafetyLog log = new SafetyLog(Dbm.HELDOUT_METRIC);
        try (Backend b = new ReferenceBackend(); Dbm stopped = Dbm.fit(b, data, o, Checkpointing.none(), log)) {
            int pretrainReports = 2 * o.pretrainEpochs();
            assertTrue(log.stoppedAfter > 0 && log.stoppedAfter < o.epochs(), "stopped early: " + log.values);
            assertTrue(log.bestEpoch > 1, "a later epoch than the first was best: " + log.values);
            assertEquals(log.bestReported(true), log.bestEpoch);
            assertEquals(log.stoppedAfter - 2, log.bestEpoch, "two evaluations without improvement");
            assertEquals(log.stoppedAfter, log.values.size(), "pretraining reports no held-out metric ("
                    + pretrainReports + " reports)");
            try (Dbm best = Dbm.fit(b, data, o.toBuilder().epochs(log.bestEpoch).patience(0).build(),
                    Checkpointing.none())) {
                assertSameParameters(best.parameters(), stopped.parameters());
                assertEquals(centering, stopped.centeredParameters().isPresent());
                if (centering) {
                    for (int l = 0; l < 3; l++) {
                        assertArrayEquals(best.centeredParameters().orElseThrow().offsets().get(l),
                                stopped.centeredParameters().orElseThrow().offsets().get(l), "offset " + l);
                    }
                }
            }
            Dataset heldOut = data.slice(data.rows() - 50, data.rows());
            assertEquals(log.values.get(log.bestEpoch), stopped.exactLogLikelihood(heldOut), 1e-12);
        }
    }

    static void assertSameParameters(DbmParameters expected, DbmParameters actual) {
        for (int l = 0; l < expected.biases().size(); l++) {
            assertArrayEquals(expected.biases().get(l), actual.biases().get(l), "b" + l);
        }
        for (int l = 0; l < expected.weights().size(); l++) {
            assertArrayEquals(expected.weights().get(l), actual.weights().get(l), "W" + (l + 1));
        }
    }
}
