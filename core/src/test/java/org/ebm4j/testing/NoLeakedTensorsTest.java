package org.ebm4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class NoLeakedTensorsTest {

    @Test
    void backendsCreatedWhileWatchedAreCollectedAndOthersAreNot() {
        try (ReferenceBackend before = new ReferenceBackend()) {
            List<ReferenceBackend> watched = ReferenceBackend.watchCreated();
            try (ReferenceBackend during = new ReferenceBackend()) {
                ReferenceBackend.stopWatching();
                try (ReferenceBackend after = new ReferenceBackend()) {
                    assertEquals(List.of(during), watched);
                }
            }
        } finally {
            ReferenceBackend.stopWatching();
        }
    }

    /**
     * An open tensor fails the check with its shape, in allocation order; closing it (or closing
     * many in a loop, which prunes the backend's list) leaves nothing to report.
     */
    @Test
    void anOpenTensorFailsTheCheckAndClosedOnesDoNot() {
        try (ReferenceBackend b = new ReferenceBackend()) {
            Tensor kept = b.allocate(2, 3);
            Tensor other = b.fromArray(new float[] {1, 2}, 1, 2);
            for (int i = 0; i < 500; i++) {
                b.allocate(4, 4).close();
            }
            assertEquals(List.of("2x3", "1x2"), b.openTensors());
            AssertionError e = assertThrows(AssertionError.class, () -> NoLeakedTensors.check("leaky()", List.of(b)));
            assertEquals("leaky() left 2 reference-backend tensors open (expected none): [2x3, 1x2]", e.getMessage());
            kept.close();
            other.close();
            assertEquals(List.of(), b.openTensors());
            NoLeakedTensors.check("tidy()", List.of(b));
        }
    }
}
