package org.ebm4j.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.testing.SafetyLog;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The training safety of {@link ChainModel#fit}: rollbacks; no held-out rows. */
@ExtendWith(NoLeakedTensors.class)
class ChainSafetyTest {

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
            for (int i = 0; i < fresh.chain().parameters().size(); i++) {
                assertArrayEquals(fresh.chain().parameters().get(i).toArray(),
                        rolled.chain().parameters().get(i).toArray(), fresh.chain().parameterNames().get(i));
            }
        }
    }

    @Test
    void heldOutRowsAreRefusedRatherThanIgnored() {
        ConditionalOptions o = ChainModelTest.small("hinge").toBuilder().holdout(5).build();
        try (Backend b = new ReferenceBackend()) {
            SettingException e = assertThrows(SettingException.class, () -> ChainModel.fit(b,
                    ChainTrainerTest.grammar(30, 1), ChainTrainerTest.K, o, Checkpointing.none()));
            assertEquals("holdout", e.setting());
        }
    }
}
