package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ClampedEnergy} on {@code E(x) = 0.25 |x|^2}, whose clamped energy and force are known by hand. */
@ExtendWith(NoLeakedTensors.class)
class ClampedEnergyTest {

    private static EnergyNetwork quadratic(Backend b) {
        return new EnergyNetwork(b, 2, List.of(new EnergyNetwork.Layer(1, Activation.SOFTPLUS)), 0.5);
    }

    @Test
    void theEnergyIsThatOfTheHeldRowsWithTheFreeEntriesTakenFromThePosition() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork e = quadratic(b);
             ClampedEnergy clamped = new ClampedEnergy(e, 2);
             Tensor x = b.fromArray(new float[] {1, 9, 9, 2}, 2, 2);
             Tensor observed = b.fromArray(new float[] {1, 0, 0, 1}, 2, 2);
             Tensor q = b.fromArray(new float[] {5, 3, 4, 6}, 2, 2);
             Tensor energy = b.allocate(2, 1);
             Tensor gradient = b.allocate(2, 2);
             Tensor rows = b.allocate(2, 2)) {
            clamped.hold(x, observed);
            b.fill(energy, Float.NaN);
            b.fill(gradient, Float.NaN);
            clamped.energyAndGradient(q, energy, gradient);
            // The rows are (1, 3) and (4, 2): energies 0.25 (1 + 9) and 0.25 (16 + 4); the force 0.5 x on the free
            // entries only.
            assertArrayEquals(new float[] {2.5f, 5f}, energy.toArray());
            assertArrayEquals(new float[] {0f, 1.5f, 2f, 0f}, gradient.toArray());
            clamped.fullRows(q, rows);
            assertArrayEquals(new float[] {1, 3, 4, 2}, rows.toArray());
        }
    }

    @Test
    void misshapedRowsMasksAndOutputsAreRefusedNamingTheOperation() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork e = quadratic(b);
             ClampedEnergy clamped = new ClampedEnergy(e, 2);
             Tensor x = b.allocate(2, 2);
             Tensor tall = b.allocate(3, 2);
             Tensor shortMask = b.allocate(1, 2);
             Tensor energy = b.allocate(2, 1);
             Tensor tallEnergy = b.allocate(3, 1)) {
            assertEquals("ClampedEnergy.hold: x is 3x2 but held rows is 2x2; they must have the same shape",
                    assertThrows(IllegalArgumentException.class, () -> clamped.hold(tall, tall)).getMessage());
            assertEquals("ClampedEnergy.hold: x is 2x2 but observed is 1x2; they must have the same shape",
                    assertThrows(IllegalArgumentException.class, () -> clamped.hold(x, shortMask)).getMessage());
            assertEquals("ClampedEnergy: energy must be 2x1 but is 3x1",
                    assertThrows(IllegalArgumentException.class, () -> clamped.energy(x, tallEnergy)).getMessage());
            assertEquals("ClampedEnergy: positions is 3x2 but held rows is 2x2; they must have the same shape",
                    assertThrows(IllegalArgumentException.class, () -> clamped.energy(tall, tallEnergy)).getMessage());
            clamped.energy(x, energy);
        }
    }
}
