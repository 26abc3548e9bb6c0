package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link EnergyModelFile}'s restore of parameters in place and the tidy failure of a load. */
@ExtendWith(NoLeakedTensors.class)
class EnergyModelFileRestoreTest {

    private static float[] energies(TrainableEnergy m) {
        Backend b = m.backend();
        try (Tensor x = b.fromArray(new float[] {0.1f, -0.7f, 1.3f, 0.4f, -2f, 0.9f}, 3, 2);
             Tensor e = b.allocate(3, 1)) {
            m.energy(x, e);
            return e.toArray();
        }
    }

    /** The experts derive their precisions from the parameters: a restore must recompute them. */
    @Test
    void restoredParametersGiveBackTheSavedEnergies() {
        Backend b = new ReferenceBackend();
        try (UniGaussExperts poe = new UniGaussExperts(b, 2, 4, 0.05)) {
            poe.initialize(new RandomStream(1), new float[] {0, 1}, 0.8f);
            ModelFile saved = EnergyModelFile.toModelFile(poe);
            float[] before = energies(poe);
            poe.initialize(new RandomStream(2), new float[] {1, 0}, 1.5f);
            assertFalse(Arrays.equals(before, energies(poe)), "another initialization moves the energies");
            EnergyModelFile.restoreParameters(poe, saved);
            assertArrayEquals(before, energies(poe));
        }
    }

    @Test
    void aLoadThatFailsOnATensorClosesWhatItAllocated() {
        Backend b = new ReferenceBackend();
        ModelFile f;
        try (EnergyNetwork net = new EnergyNetwork(b, 2, List.of(new EnergyNetwork.Layer(3, Activation.SOFTPLUS)), 0)) {
            f = EnergyModelFile.toModelFile(net);
        }
        f.putMetadata("energy.layers", "4:softplus");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> EnergyModelFile.embedded(b, f, "model", "wide.ebm"));
        assertEquals("wide.ebm: tensor 'W1' is 2x3 but the metadata asks for 2x4", e.getMessage());
    }
}
