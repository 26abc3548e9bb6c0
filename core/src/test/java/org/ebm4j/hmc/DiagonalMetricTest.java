package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class DiagonalMetricTest {
    private final Backend b = new ReferenceBackend();

    @Test
    void theIdentityHoldsNoTensors() {
        try (DiagonalMetric m = new DiagonalMetric(b, 2, 3)) {
            assertNull(m.inverseMass());
            assertNull(m.inverseMassRow());
            assertNull(m.sqrtMassTiled());
        }
    }

    @Test
    void setInverseMassFillsTheRowAndTheTiledSquareRootOfTheMass() {
        try (DiagonalMetric m = new DiagonalMetric(b, 2, 3)) {
            double[] inv = {4, 0.25, 1};
            m.setInverseMass(inv);
            inv[0] = 9;
            assertArrayEquals(new double[] {4, 0.25, 1}, m.inverseMass(), 0.0);
            m.inverseMass()[1] = 9;
            assertArrayEquals(new double[] {4, 0.25, 1}, m.inverseMass(), 0.0);
            assertArrayEquals(new float[] {4, 0.25f, 1}, m.inverseMassRow().toArray(), 0f);
            // sqrt(M) = 1 / sqrt(M^-1): 1/2, 2, 1, once per chain.
            assertArrayEquals(new float[] {0.5f, 2, 1, 0.5f, 2, 1}, m.sqrtMassTiled().toArray(), 0f);
            assertEquals(1, m.inverseMassRow().rows());
            assertEquals(2, m.sqrtMassTiled().rows());
            // A second call rewrites the same tensors.
            Tensor row = m.inverseMassRow();
            Tensor tiled = m.sqrtMassTiled();
            m.setInverseMass(new double[] {1, 16, 100});
            assertSame(row, m.inverseMassRow());
            assertSame(tiled, m.sqrtMassTiled());
            assertArrayEquals(new float[] {1, 16, 100}, row.toArray(), 0f);
            assertArrayEquals(new float[] {1, 0.25f, 0.1f, 1, 0.25f, 0.1f}, tiled.toArray(), 1e-7f);
        }
    }

    @Test
    void badInverseMassesAreRefused() {
        try (DiagonalMetric m = new DiagonalMetric(b, 1, 2)) {
            assertEquals("inverse mass needs 2 entries, found 3", assertThrows(IllegalArgumentException.class,
                    () -> m.setInverseMass(new double[] {1, 1, 1})).getMessage());
            assertEquals("inverse mass entry 1 must be finite and > 0, found 0.0",
                    assertThrows(IllegalArgumentException.class,
                            () -> m.setInverseMass(new double[] {1, 0})).getMessage());
            assertThrows(IllegalArgumentException.class, () -> m.setInverseMass(new double[] {-1, 1}));
            assertThrows(IllegalArgumentException.class, () -> m.setInverseMass(new double[] {Double.NaN, 1}));
            assertThrows(IllegalArgumentException.class,
                    () -> m.setInverseMass(new double[] {1, Double.POSITIVE_INFINITY}));
            // Nothing was set by the refused calls.
            assertNull(m.inverseMass());
            m.setInverseMass(new double[] {Double.MIN_VALUE, 1});
        }
    }
}
