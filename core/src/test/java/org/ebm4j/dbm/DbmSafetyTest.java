package org.ebm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.data.Dataset;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;

/** The optimizers and the training safety of {@link Dbm#fit}. */
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
     * data, whose pixel means are near 1/2; see {@link DbmFitTest}); early stopping is refused, as DBM
     * training has no held-out metric.
     */
    @Test
    void adamTrainsAndEarlyStoppingIsRefused() {
        DbmOptions o = DbmFitTest.small().optimizer(Optimizer.ADAM).pretrainLearningRate(0.02).learningRate(0.01)
                .pretrainEpochs(10).epochs(20).build();
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.fit(b, data, o, Checkpointing.none())) {
            assertEquals(Optimizer.ADAM, DbmOptions.fromMap(dbm.provenance().options()).optimizer());
            double ll = dbm.exactLogLikelihood(data);
            assertTrue(ll > -4.16, "exact log-likelihood " + ll);
        }
        SettingException e = assertThrows(SettingException.class, () -> DbmFitTest.small().patience(2).build());
        assertEquals("patience", e.setting());
    }
}
