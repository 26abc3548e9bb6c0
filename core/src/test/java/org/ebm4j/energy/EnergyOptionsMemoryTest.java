package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;

/** {@link EnergyOptions#requireMemory}: the batch's rows count every negative of every example. */
class EnergyOptionsMemoryTest {

    @Test
    void theRowsOfABatchAndItsNegativesMustFitTheHeap() {
        long heap = Runtime.getRuntime().maxMemory();
        // With the default 64 units on 10 columns a row takes 4 x (2 x 10 + 3 x 64) = 848 bytes; a batch with
        // 1,000 negatives per example is 1,001 rows per example: twice the heap for this many examples, while
        // the same examples without their negatives would take a thousandth of that.
        int batch = (int) (2 * heap / (1001L * 848) + 1);
        EnergyOptions many = EnergyOptions.builder().negativesPerExample(1000).batchSize(batch).build();
        SettingException e = assertThrows(SettingException.class, () -> many.requireMemory(10));
        assertTrue(e.getMessage().startsWith("batch_size: the activations of the " + batch + " rows and their "
                + "negatives need about "), e.getMessage());
        EnergyOptions trajectories = EnergyOptions.builder().trajectories(1000).batchSize(batch).build();
        assertThrows(SettingException.class, () -> trajectories.requireMemory(10));
        EnergyOptions.builder().negativesPerExample(1000).batchSize(batch / 4).build().requireMemory(10);
    }
}
