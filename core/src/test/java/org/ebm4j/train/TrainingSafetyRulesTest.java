package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link TrainingSafety}'s two rules, improvement and explosion, at their edges and in both directions. */
class TrainingSafetyRulesTest {
    private final TrainingSafety lower = new TrainingSafety("loss", false, 2, 1, 10);
    private final TrainingSafety higher = new TrainingSafety("accuracy", true, 2, 1, 10);

    @Test
    void betterIsStrictInTheMetricsDirectionAndAnythingBeatsNoBest() {
        assertTrue(lower.better(0.9, 1.0));
        assertFalse(lower.better(1.0, 1.0));
        assertFalse(lower.better(1.1, 1.0));
        assertTrue(higher.better(1.1, 1.0));
        assertFalse(higher.better(1.0, 1.0));
        assertFalse(higher.better(0.9, 1.0));
        assertTrue(lower.better(5.0, Double.NaN));
        assertTrue(higher.better(-5.0, Double.NaN));
    }

    /**
     * Exploded means worse than the best by more than {@code explosion * max(|best|, 1)}: with
     * explosion 10, a loss best of 4 allows up to 44 and a best of 0.5 up to 10.5 (the floor of 1).
     */
    @Test
    void explodedIsWorseByMoreThanTheFactorOfTheBestMagnitude() {
        assertFalse(lower.exploded(44.0, 4.0));
        assertTrue(lower.exploded(Math.nextUp(44.0), 4.0));
        assertFalse(lower.exploded(10.5, 0.5));
        assertTrue(lower.exploded(10.5 + 1e-9, 0.5));
        assertFalse(lower.exploded(-100.0, 4.0), "a better value never explodes");
        // Higher is better: a best of -4 allows down to -44; a best of 20 allows down to -180.
        assertFalse(higher.exploded(-44.0, -4.0));
        assertTrue(higher.exploded(Math.nextDown(-44.0), -4.0));
        assertFalse(higher.exploded(-180.0, 20.0));
        assertTrue(higher.exploded(-180.5, 20.0));
        assertFalse(higher.exploded(1e9, 20.0));
        // Without a best only a non-finite value has exploded.
        assertFalse(lower.exploded(1e300, Double.NaN));
        assertTrue(lower.exploded(Double.NaN, Double.NaN));
        assertTrue(lower.exploded(Double.POSITIVE_INFINITY, 4.0));
        assertTrue(higher.exploded(Double.NEGATIVE_INFINITY, 4.0));
    }

    @Test
    void noneWatchesNothingAndEarlyStoppingNeedsAMetric() {
        TrainingSafety none = TrainingSafety.none();
        assertEquals(null, none.metric());
        assertEquals(0, none.patience());
        assertEquals(0, none.maxRollbacks());
        assertEquals(TrainingSafety.DEFAULT_EXPLOSION, none.explosion());
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new TrainingSafety(null, false, 1, 0, 10));
        assertEquals("early stopping needs a metric to watch", e.getMessage());
        // Without early stopping no metric is needed.
        assertEquals(0, new TrainingSafety(null, false, 0, 2, 10).patience());
        assertThrows(IllegalArgumentException.class, () -> new TrainingSafety("loss", false, -1, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new TrainingSafety("loss", false, 0, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> new TrainingSafety("loss", false, 0, 0, 0));
    }
}
