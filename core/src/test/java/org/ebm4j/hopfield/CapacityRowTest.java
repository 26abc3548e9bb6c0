package org.ebm4j.hopfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every field of a capacity row on a network whose outcome is known in closed form: two units storing
 * one pattern {@code xi} by Hebb's rule ({@code w_12 = xi_1 xi_2 / 2}, no bias), each cue with one of the
 * two units flipped. Asynchronously, the unit updated first aligns with the other one: if it is the
 * flipped unit the pattern comes back (overlap +1), else the state becomes {@code -xi} (overlap -1); the
 * second sweep changes nothing, so every recall settles at sweep 2. Synchronously both units swap their
 * disagreement and the cue returns after two steps: a 2-cycle of overlap 0.
 */
@ExtendWith(NoLeakedTensors.class)
class CapacityRowTest {

    @Test
    void asynchronousRowsAreTheMeanAndStandardErrorOfTheKnownOverlaps() {
        long seed = 5;
        int trials = 12;
        // The flipped unit of trial t is the first entry of the t-th cue permutation, the unit updated first
        // the first entry of the recall's first permutation of that trial (two per trial, one per sweep).
        RandomStream cues = StreamId.HOPFIELD_CUES.openBlock(seed, 1);
        RandomStream orders = StreamId.HOPFIELD_RECALL.openBlock(seed, 1);
        int restored = 0;
        for (int t = 0; t < trials; t++) {
            int flipped = cues.permutation(2)[0];
            int first = orders.permutation(2)[0];
            orders.permutation(2);
            restored += flipped == first ? 1 : 0;
        }
        assertTrue(restored > 0 && restored < trials, "both outcomes must occur, found " + restored + " of " + trials);
        double mean = (2.0 * restored - trials) / trials;
        // Sample variance of values +1 and -1 with that mean: (sum m^2 - T mean^2) / (T - 1), sum m^2 = T.
        double stdErr = Math.sqrt((trials - trials * mean * mean) / (trials - 1) / trials);
        try (ReferenceBackend backend = new ReferenceBackend()) {
            CapacityExperiment.Row row = new CapacityExperiment(backend, 2, 0.5, RecallOptions.builder().seed(seed).build())
                    .measure(LearningRule.HEBB, 1, trials);
            assertEquals(LearningRule.HEBB, row.rule());
            assertEquals(RecallOptions.Dynamics.ASYNC, row.dynamics());
            assertEquals(2, row.units());
            assertEquals(1, row.patterns());
            assertEquals(0.5, row.load(), 0.0);
            assertEquals(trials, row.trials());
            assertEquals(trials, row.cues());
            assertEquals((double) restored / trials, row.exactFraction(), 1e-15);
            assertEquals(mean, row.meanOverlap(), 1e-15);
            assertEquals(stdErr, row.overlapStdErr(), 1e-12);
            assertEquals(2.0, row.meanIterations(), 0.0);
            assertEquals(1.0, row.settledFraction(), 0.0);
            assertTrue(row.seconds() >= 0 && row.seconds() < 60, row.toString());
        }
    }

    @Test
    void oneTrialHasNoSpreadAndSynchronousRecallEndsInTwoCycles() {
        try (ReferenceBackend backend = new ReferenceBackend()) {
            RecallOptions sync = RecallOptions.builder().dynamics(RecallOptions.Dynamics.SYNC).seed(9).build();
            CapacityExperiment.Row row = new CapacityExperiment(backend, 2, 0.5, sync).measure(LearningRule.HEBB, 1, 4);
            assertEquals(0.0, row.exactFraction(), 0.0);
            assertEquals(0.0, row.meanOverlap(), 0.0);
            assertEquals(0.0, row.overlapStdErr(), 0.0);
            assertEquals(2.0, row.meanIterations(), 0.0);
            assertEquals(1.0, row.settledFraction(), 0.0, "a 2-cycle is settled");
            // One cue: its overlap is +1 or -1 and the standard error is 0, not a division by zero.
            CapacityExperiment.Row one = new CapacityExperiment(backend, 2, 0.5, RecallOptions.builder().seed(9).build())
                    .measure(LearningRule.HEBB, 1, 1);
            assertEquals(1.0, Math.abs(one.meanOverlap()), 0.0);
            assertEquals(0.0, one.overlapStdErr(), 0.0);
            assertEquals(1, one.cues());
            // One sweep: it moves the flipped pair (one unit changes), so no cue has settled yet.
            CapacityExperiment.Row cut = new CapacityExperiment(backend, 2, 0.5, RecallOptions.builder().seed(9).maxSweeps(1)
                    .build()).measure(LearningRule.HEBB, 1, 3);
            assertEquals(0.0, cut.settledFraction(), 0.0);
            assertEquals(1.0, cut.meanIterations(), 0.0);
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        try (ReferenceBackend backend = new ReferenceBackend()) {
            RecallOptions r = RecallOptions.builder().build();
            assertEquals("backend is null", assertThrows(IllegalArgumentException.class,
                    () -> new CapacityExperiment(null, 4, 0.1, r)).getMessage());
            assertEquals("units must be >= 2 but was 1", assertThrows(IllegalArgumentException.class,
                    () -> new CapacityExperiment(backend, 1, 0.1, r)).getMessage());
            for (double f : new double[] {-0.1, 0.51, Double.NaN}) {
                assertEquals("flip fraction must lie in [0, 0.5] but was " + f, assertThrows(IllegalArgumentException.class,
                        () -> new CapacityExperiment(backend, 4, f, r)).getMessage());
            }
            assertEquals(1.0, new CapacityExperiment(backend, 2, 0.0, r).measure(LearningRule.HEBB, 1, 1).exactFraction(),
                    0.0, "an uncorrupted cue of one stored pattern is that pattern");
            CapacityExperiment exp = new CapacityExperiment(backend, 2, 0.5, r);
            assertEquals("patterns must lie in [1, 65535] but was 65536", assertThrows(IllegalArgumentException.class,
                    () -> exp.measure(LearningRule.HEBB, 65536, 1)).getMessage());
            assertEquals("trials must be >= 1 but was 0", assertThrows(IllegalArgumentException.class,
                    () -> exp.measure(LearningRule.HEBB, 1, 0)).getMessage());
            SettingException units = assertThrows(SettingException.class,
                    () -> CapacityExperiment.requireMemory(1L << 20, 1));
            assertEquals("units", units.setting());
            SettingException loads = assertThrows(SettingException.class,
                    () -> CapacityExperiment.requireMemory(2, 1L << 40));
            assertEquals("loads", loads.setting());
            CapacityExperiment.requireMemory(100, 100);
        }
    }
}
