package org.ebm4j.hopfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/** The small-n shape of the capacity curve; the N = 1000 table is measured by `ebm hopfield capacity`. */
class CapacityExperimentTest {

    @Test
    void lowLoadRecallsEverythingAndOverloadRecallsLittle() {
        try (Backend backend = new ReferenceBackend()) {
            CapacityExperiment exp = new CapacityExperiment(backend, 100, 0.1, 50, CapacityExperiment.Dynamics.ASYNCHRONOUS);
            CapacityExperiment.Row low = exp.measure(LearningRule.HEBB, 4, 3, new RandomStream(1));
            assertEquals(12, low.cues());
            assertEquals(1.0, low.exactFraction(), 0.0, low.toString());
            assertEquals(1.0, low.meanOverlap(), 0.0);
            assertEquals(1.0, low.settledFraction(), 0.0);
            // Load 0.4, far past Hebb's 0.138: retrieval collapses into spurious states.
            CapacityExperiment.Row high = exp.measure(LearningRule.HEBB, 40, 1, new RandomStream(2));
            assertTrue(high.exactFraction() < 0.2, high.toString());
            assertTrue(high.meanOverlap() < 0.9, high.toString());
        }
    }

    @Test
    void oneSynchronousStepRestoresASinglePatternAndBadArgumentsAreRejected() {
        try (Backend backend = new ReferenceBackend()) {
            // One step of synchronous recall on a network whose weights see one pattern: the cue (10 of 50
            // bits flipped) has overlap 0.6 with the pattern, and one step restores it.
            CapacityExperiment exp = new CapacityExperiment(backend, 50, 0.2, 1, CapacityExperiment.Dynamics.SYNCHRONOUS);
            CapacityExperiment.Row r = exp.measure(LearningRule.STORKEY, 1, 5, new RandomStream(3));
            assertEquals(1.0, r.exactFraction(), 0.0, r.toString());
            CapacityExperiment none = new CapacityExperiment(backend, 50, 0.2, 1, CapacityExperiment.Dynamics.SYNCHRONOUS);
            assertThrows(IllegalArgumentException.class, () -> none.measure(LearningRule.HEBB, 0, 1, new RandomStream(3)));
            assertThrows(IllegalArgumentException.class,
                    () -> new CapacityExperiment(backend, 50, 0.7, 1, CapacityExperiment.Dynamics.SYNCHRONOUS));
        }
    }
}
