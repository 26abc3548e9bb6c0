package org.ebm4j.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ebm4j.conditional.ConditionalModel;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.SafetyLog;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;

/** The training safety of {@link SegmentationModel#fit}: rollbacks, held-out strings and early stopping. */
class SegmentationSafetyTest {

    private static void assertSameParameters(SegmentationModel expected, SegmentationModel actual) {
        List<Tensor> e = expected.energy().segment().joint().parameters();
        List<Tensor> a = actual.energy().segment().joint().parameters();
        assertEquals(e.size(), a.size());
        for (int i = 0; i < e.size(); i++) {
            assertArrayEquals(e.get(i).toArray(), a.get(i).toArray(), 0f, "parameter " + i);
        }
    }

    /**
     * At a rate of 3000 the first epoch's one update (two strings) moves the segment network's weights by
     * the rate times a perceptron gradient of order 1 (pixel inputs in [0, 1]), past the 1000-fold growth
     * that counts as an explosion: epoch 1 is rolled back to the start with the rate halved until it holds, and the run
     * that follows is bit for bit a fresh run at the halved rate (halving is exact in binary floating point).
     */
    @Test
    void aDivergedEpochIsRolledBackToTheStartWithTheRateHalved() throws Exception {
        List<DigitString> xs = DigitStrings.generate(SegmentationModelTest.digits(), 2, DigitStrings.Recipe.standard(), 4);
        ConditionalOptions o = SegmentationModelTest.training("perceptron", 1, 1).toBuilder().learningRate(3e3)
                .maxRollbacks(40).build();
        SafetyLog log = new SafetyLog("loss");
        try (Backend b = new ReferenceBackend();
             SegmentationModel rolled = SegmentationModel.fit(b, xs, SegmentationModelTest.GRAPH, o,
                     Checkpointing.none(), log);
             SegmentationModel fresh = SegmentationModel.fit(b, xs, SegmentationModelTest.GRAPH, o.toBuilder()
                     .learningRate(Math.scalb(3e3, -log.rollbacksToTheStart())).maxRollbacks(0).build(),
                     Checkpointing.none())) {
            assertArrayEquals(fresh.energy().factors(xs.get(0)), rolled.energy().factors(xs.get(0)), 0);
        }
    }

    /**
     * The held-out strings are the last ones and are not trained on: a run holding 4 of 12 out is bit for bit
     * a run on the first 8 alone (the shuffles draw over the 8 either way), and it reports the held-out
     * metrics every epoch.
     */
    @Test
    void heldOutStringsAreTheLastAndAreNotTrainedOn() throws Exception {
        List<DigitString> xs = DigitStrings.generate(SegmentationModelTest.digits(), 12, DigitStrings.Recipe.standard(), 4);
        ConditionalOptions o = SegmentationModelTest.training("perceptron", 1, 2).toBuilder().batchSize(4).holdout(4)
                .build();
        SafetyLog log = new SafetyLog(ConditionalModel.HELDOUT_ERROR);
        try (Backend b = new ReferenceBackend();
             SegmentationModel held = SegmentationModel.fit(b, xs, SegmentationModelTest.GRAPH, o,
                     Checkpointing.none(), log);
             SegmentationModel first = SegmentationModel.fit(b, xs.subList(0, 8), SegmentationModelTest.GRAPH,
                     o.toBuilder().holdout(0).build(), Checkpointing.none())) {
            assertSameParameters(first, held);
            assertEquals(2, log.values.size(), "a held-out error per epoch: " + log.values);
            List<DigitString> heldOut = xs.subList(8, 12);
            assertEquals(1 - held.accuracy(heldOut).wholeString(), log.values.get(2), 1e-12);
        }
    }

    @Test
    void aHoldOutOfEveryStringIsRefused() throws Exception {
        List<DigitString> xs = DigitStrings.generate(SegmentationModelTest.digits(), 3, DigitStrings.Recipe.standard(), 4);
        ConditionalOptions o = SegmentationModelTest.training("perceptron", 1, 1).toBuilder().holdout(3).build();
        try (Backend b = new ReferenceBackend()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SegmentationModel.fit(b,
                    xs, SegmentationModelTest.GRAPH, o, Checkpointing.none()));
            assertTrue(e.getMessage().contains("a hold-out of 3 strings leaves no training strings"), e.getMessage());
        }
    }

    /**
     * With 4 of 12 strings held out and patience 2, a run planned for 40 epochs at a high rate stops once the
     * held-out loss has not improved for two epochs and keeps the best epoch's parameters: those of a second
     * run of the same seed planned to end at that epoch (a constant rate, so the two agree update for update up
     * to there), bit for bit. The reported value is the held-out strings' mean perceptron loss, recomputed here
     * from the kept recognizer's factors with {@link SegmentationLoss} directly.
     */
    @Test
    void earlyStoppingOnTheHeldOutLossKeepsTheBestEpoch() throws Exception {
        List<DigitString> xs = DigitStrings.generate(SegmentationModelTest.digits(), 12, DigitStrings.Recipe.standard(), 4);
        ConditionalOptions o = SegmentationModelTest.training("perceptron", 1, 40).toBuilder().batchSize(4)
                .learningRate(0.5).holdout(4).patience(2).build();
        SafetyLog log = new SafetyLog(ConditionalModel.HELDOUT_METRIC);
        try (Backend b = new ReferenceBackend();
             SegmentationModel stopped = SegmentationModel.fit(b, xs, SegmentationModelTest.GRAPH, o,
                     Checkpointing.none(), log)) {
            log.stoppedEarlyAtTheLowest(40, 2);
            try (SegmentationModel best = SegmentationModel.fit(b, xs, SegmentationModelTest.GRAPH,
                    o.toBuilder().epochs(log.bestEpoch).patience(0).build(), Checkpointing.none())) {
                assertSameParameters(best, stopped);
            }
            SegmentationLoss loss = SegmentationLoss.of(o);
            double total = 0;
            for (DigitString x : xs.subList(8, 12)) {
                double[] f = stopped.energy().factors(x);
                total += loss.evaluate(stopped.energy().graph(x), f, x.digits(), 10, 1, new double[f.length]);
            }
            assertEquals(log.values.get(log.bestEpoch), total / 4, 1e-12);
        }
    }
}
