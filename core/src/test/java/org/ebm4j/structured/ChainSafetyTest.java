package org.ebm4j.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.conditional.ConditionalModel;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.testing.SafetyLog;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The training safety of {@link ChainModel#fit}: rollbacks, held-out sequences and early stopping. */
@ExtendWith(NoLeakedTensors.class)
class ChainSafetyTest {

    private static void assertSameParameters(ChainModel expected, ChainModel actual) {
        assertEquals(expected.chain().parameters().size(), actual.chain().parameters().size());
        for (int i = 0; i < expected.chain().parameters().size(); i++) {
            assertArrayEquals(expected.chain().parameters().get(i).toArray(),
                    actual.chain().parameters().get(i).toArray(), expected.chain().parameterNames().get(i));
        }
    }

    /**
     * At a rate of 1e4 the first epoch's 3 updates move the pairwise table (which starts at 0) by the rate
     * times a hinge gradient of order 1 per differing position, far past the 1000-fold growth that counts
     * as an explosion: epoch 1 is rolled back to the start with the rate halved until it holds, and the run
     * that follows is bit for bit a fresh run at the halved rate (halving is exact in binary floating point).
     */
    @Test
    void aDivergedEpochIsRolledBackToTheStartWithTheRateHalved() {
        Sequences train = ChainTrainerTest.grammar(30, 1);
        ConditionalOptions o = ChainModelTest.small("hinge").toBuilder().learningRate(1e4).epochs(1).maxRollbacks(40)
                .build();
        SafetyLog log = new SafetyLog("loss");
        try (Backend b = new ReferenceBackend();
             ChainModel rolled = ChainModel.fit(b, train, ChainTrainerTest.K, o, Checkpointing.none(), log);
             ChainModel fresh = ChainModel.fit(b, train, ChainTrainerTest.K, o.toBuilder()
                     .learningRate(Math.scalb(1e4, -log.rollbacksToTheStart())).maxRollbacks(0).build(),
                     Checkpointing.none())) {
            assertSameParameters(fresh, rolled);
        }
    }

    /**
     * The held-out sequences are the last ones and are not trained on: a run holding 10 of 40 out is bit for
     * bit a run on the first 30 alone (the shuffles draw over the 30 either way), and it reports the held-out
     * metrics every epoch.
     */
    @Test
    void heldOutSequencesAreTheLastAndAreNotTrainedOn() {
        Sequences all = ChainTrainerTest.grammar(40, 1);
        ConditionalOptions o = ChainModelTest.small("hinge").toBuilder().holdout(10).build();
        SafetyLog log = new SafetyLog(ConditionalModel.HELDOUT_METRIC);
        try (Backend b = new ReferenceBackend();
             ChainModel held = ChainModel.fit(b, all, ChainTrainerTest.K, o, Checkpointing.none(), log);
             ChainModel first = ChainModel.fit(b, all.slice(0, 30), ChainTrainerTest.K,
                     o.toBuilder().holdout(0).build(), Checkpointing.none())) {
            assertSameParameters(first, held);
            assertEquals(2, log.values.size(), "a held-out loss per epoch: " + log.values);
        }
    }

    @Test
    void aHoldOutOfEverySequenceIsRefused() {
        ConditionalOptions o = ChainModelTest.small("hinge").toBuilder().holdout(30).build();
        try (Backend b = new ReferenceBackend()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChainModel.fit(b,
                    ChainTrainerTest.grammar(30, 1), ChainTrainerTest.K, o, Checkpointing.none()));
            assertTrue(e.getMessage().contains("a hold-out of 30 sequences leaves no training sequences"),
                    e.getMessage());
        }
    }

    /**
     * With 10 of 40 sequences held out and patience 2, a run planned for 60 epochs at a high rate stops once
     * the held-out loss has not improved for two epochs and keeps the best epoch's parameters: those of a
     * second run of the same seed planned to end at that epoch (a constant rate, so the two agree update for
     * update up to there), bit for bit. The reported value is the held-out sequences' hinge loss per position,
     * recomputed here from the kept chain's factors with {@link ChainLoss} directly.
     */
    @Test
    void earlyStoppingOnTheHeldOutLossKeepsTheBestEpoch() {
        Sequences all = ChainTrainerTest.grammar(40, 1);
        ConditionalOptions o = ChainModelTest.small("hinge").toBuilder().holdout(10).epochs(60).learningRate(0.5)
                .patience(2).build();
        SafetyLog log = new SafetyLog(ConditionalModel.HELDOUT_METRIC);
        try (Backend b = new ReferenceBackend();
             ChainModel stopped = ChainModel.fit(b, all, ChainTrainerTest.K, o, Checkpointing.none(), log)) {
            log.stoppedEarlyAtTheLowest(60, 2);
            try (ChainModel best = ChainModel.fit(b, all, ChainTrainerTest.K,
                    o.toBuilder().epochs(log.bestEpoch).patience(0).build(), Checkpointing.none())) {
                assertSameParameters(best, stopped);
            }
            Sequences heldOut = all.slice(30, 40);
            assertEquals(log.values.get(log.bestEpoch), hingePerPosition(stopped, heldOut, o.margin()), 1e-12);
        }
    }

    private static double hingePerPosition(ChainModel m, Sequences data, double margin) {
        int k = m.chain().labels();
        double[] u;
        try (Tensor x = data.positions().toTensor(m.chain().pair().backend())) {
            u = m.chain().unary().energies(x);
        }
        double[] p = m.chain().pairFactors();
        int[] o = data.offsets();
        double total = 0;
        for (int s = 0; s < data.count(); s++) {
            total += ChainLoss.HINGE.evaluate(java.util.Arrays.copyOfRange(u, o[s] * k, o[s + 1] * k), p, k,
                    data.labels(s), margin, 1, new double[data.lengths()[s] * k], new double[k * k]);
        }
        return total / data.positions().rows();
    }
}
