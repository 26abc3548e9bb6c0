package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link LossErrorTally}'s means over single examples and batches, and its reset. */
class LossErrorTallyTest {

    @Test
    void meansAreOverEveryExampleSinceTheReset() {
        LossErrorTally t = new LossErrorTally();
        Map<String, Double> empty = t.metrics();
        assertEquals(List.of("loss", "train_error"), List.copyOf(empty.keySet()));
        assertTrue(empty.get("loss").isNaN());
        assertTrue(empty.get("train_error").isNaN());
        t.add(1.5, true);
        t.add(0.5, false);
        // 2 + 6 = 8 loss over 2 + 4 = 6 examples, 1 + 2 = 3 wrong.
        t.addBatch(6.0, 2, 4);
        assertEquals(8.0 / 6, t.metrics().get("loss"), 1e-15);
        assertEquals(0.5, t.metrics().get("train_error"), 0.0);
        t.reset();
        assertTrue(t.metrics().get("loss").isNaN());
        t.add(2.0, false);
        assertEquals(2.0, t.metrics().get("loss"), 0.0);
        assertEquals(0.0, t.metrics().get("train_error"), 0.0);
    }
}
