package org.ebm4j.tempering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link RowBetas} scales row {@code r * chains + i} by {@code betas[r]}, for every layer width. */
@ExtendWith(NoLeakedTensors.class)
class RowBetasTest {
    private final Backend backend = new ReferenceBackend();

    @Test
    void scalesEachRowByItsReplicasBeta() {
        double[] betas = {1, 0.5, 0.25};
        // Two layers of width 2 share one tensor; the width-3 layer has its own.
        try (RowBetas rb = new RowBetas(backend, betas, 2, new int[] {2, 3, 2});
             Tensor x2 = backend.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 6, 2);
             Tensor x3 = backend.allocate(6, 3)) {
            rb.scale(x2);
            assertArrayEquals(new float[] {1, 2, 3, 4, 2.5f, 3, 3.5f, 4, 2.25f, 2.5f, 2.75f, 3}, x2.toArray());
            float[] ones = new float[18];
            java.util.Arrays.fill(ones, 1f);
            x3.copyFrom(ones);
            rb.scale(x3);
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f,
                    0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f}, x3.toArray());
        }
    }

    @Test
    void refusesTensorsOfNoLayer() {
        try (RowBetas rb = new RowBetas(backend, new double[] {1, 0.5}, 2, new int[] {3});
             Tensor wide = backend.allocate(4, 5); Tensor tall = backend.allocate(5, 3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rb.scale(wide));
            assertEquals("pre-activations 4x5 match no layer of the 4 tempered rows (widths [3])", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> rb.scale(tall));
            assertEquals("pre-activations 5x3 match no layer of the 4 tempered rows (widths [3])", e.getMessage());
        }
    }
}
