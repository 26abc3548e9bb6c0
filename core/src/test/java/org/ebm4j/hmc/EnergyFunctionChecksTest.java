package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class EnergyFunctionChecksTest {

    @Test
    void outputsOfTheWrongShapeAreRefusedByName() {
        Backend b = new ReferenceBackend();
        try (GaussianEnergy energy = new GaussianEnergy(b, DenseGaussian.autoregressive(2, 0.3));
             Tensor q = b.allocate(3, 2);
             Tensor e = b.allocate(3, 1);
             Tensor g = b.allocate(3, 2);
             Tensor wrongE = b.allocate(2, 1);
             Tensor wrongG = b.allocate(3, 1)) {
            energy.checkOutputs("op", q, e, g);
            energy.checkOutputs("op", q, null, null);
            assertEquals("op: energy must be 3x1 but is 2x1", assertThrows(IllegalArgumentException.class,
                    () -> energy.checkOutputs("op", q, wrongE, g)).getMessage());
            assertEquals("op: positions is 3x2 but gradient is 3x1; they must have the same shape",
                    assertThrows(IllegalArgumentException.class,
                            () -> energy.checkOutputs("op", q, e, wrongG)).getMessage());
            assertEquals("op: positions are null", assertThrows(IllegalArgumentException.class,
                    () -> energy.checkOutputs("op", null, e, g)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> energy.energyAndGradient(q, wrongE, null));
            assertThrows(IllegalArgumentException.class, () -> energy.energyAndGradient(q, null, wrongG));
        }
    }
}
