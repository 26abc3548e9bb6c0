package org.ebm4j.hopfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/** The small-n shape of the capacity curve; the N = 1000 table is measured by `ebm hopfield capacity`. */
class CapacityExperimentTest {

    @Test
    void lowLoadRecallsEverythingAndOverloadRecallsLittle() {
        try (Backend backend = new ReferenceBackend()) {
            RecallOptions async = RecallOptions.builder().maxSweeps(50).seed(1).build();
            CapacityExperiment exp = new CapacityExperiment(backend, 100, 0.1, async);
            CapacityExperiment.Row low = exp.measure(LearningRule.HEBB, 4, 3);
            assertEquals(12, low.cues());
            assertEquals(1.0, low.exactFraction(), 0.0, low.toString());
            assertEquals(1.0, low.meanOverlap(), 0.0);
            assertEquals(1.0, low.settledFraction(), 0.0);
            // Load 0.4, far past Hebb's 0.138: retrieval collapses into spurious states.
            CapacityExperiment.Row high = new CapacityExperiment(backend, 100, 0.1, async.toBuilder().seed(2).build())
                    .measure(LearningRule.HEBB, 40, 1);
            assertTrue(high.exactFraction() < 0.2, high.toString());
            assertTrue(high.meanOverlap() < 0.9, high.toString());
        }
    }

    @Test
    void oneSynchronousStepRestoresASinglePatternAndBadArgumentsAreRejected() {
        try (Backend backend = new ReferenceBackend()) {
            // One step of synchronous recall on a network whose weights see one pattern: the cue (10 of 50
            // bits flipped) has overlap 0.6 with the pattern, and one step restores it.
            RecallOptions oneStep = RecallOptions.builder().dynamics(RecallOptions.Dynamics.SYNC).maxSweeps(1).seed(3).build();
            CapacityExperiment exp = new CapacityExperiment(backend, 50, 0.2, oneStep);
            CapacityExperiment.Row r = exp.measure(LearningRule.STORKEY, 1, 5);
            assertEquals(1.0, r.exactFraction(), 0.0, r.toString());
            assertEquals(RecallOptions.Dynamics.SYNC, r.dynamics());
            assertThrows(IllegalArgumentException.class, () -> exp.measure(LearningRule.HEBB, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> new CapacityExperiment(backend, 50, 0.7, oneStep));
        }
    }

    /**
     * A measurement depends on the seed and the pattern count alone: measuring another load first, or
     * with another rule, changes nothing, and every rule is measured on the same patterns and cues (a
     * rule that recalls perfectly and one that does not differ only in the recall).
     */
    @Test
    void aMeasurementDependsOnTheSeedAndThePatternCountAlone() {
        try (Backend backend = new ReferenceBackend()) {
            RecallOptions async = RecallOptions.builder().maxSweeps(30).seed(9).build();
            CapacityExperiment.Row alone = new CapacityExperiment(backend, 60, 0.1, async).measure(LearningRule.HEBB, 9, 2);
            CapacityExperiment exp = new CapacityExperiment(backend, 60, 0.1, async);
            exp.measure(LearningRule.STORKEY, 5, 2);
            exp.measure(LearningRule.HEBB, 12, 1);
            CapacityExperiment.Row after = exp.measure(LearningRule.HEBB, 9, 2);
            assertEquals(alone.meanOverlap(), after.meanOverlap(), 0.0);
            assertEquals(alone.exactFraction(), after.exactFraction(), 0.0);
            assertEquals(alone.meanIterations(), after.meanIterations(), 0.0);
        }
    }
}
