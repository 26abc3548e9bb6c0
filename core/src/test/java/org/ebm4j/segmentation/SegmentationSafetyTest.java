package org.ebm4j.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.SafetyLog;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;

/** The training safety of {@link SegmentationModel#fit}: rollbacks; no held-out strings. */
class SegmentationSafetyTest {

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

    @Test
    void heldOutStringsAreRefusedRatherThanIgnored() throws Exception {
        List<DigitString> xs = DigitStrings.generate(SegmentationModelTest.digits(), 8, DigitStrings.Recipe.standard(), 4);
        ConditionalOptions o = SegmentationModelTest.training("perceptron", 1, 1).toBuilder().holdout(2).build();
        try (Backend b = new ReferenceBackend()) {
            SettingException e = assertThrows(SettingException.class, () -> SegmentationModel.fit(b, xs,
                    SegmentationModelTest.GRAPH, o, Checkpointing.none()));
            assertEquals("holdout", e.setting());
        }
    }
}
