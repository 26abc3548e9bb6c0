package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class EnergyModelFileTest {

    static byte[] bytes(TrainableEnergy m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EnergyModelFile.write(m, out);
        return out.toByteArray();
    }

    static void assertSameEnergies(TrainableEnergy a, TrainableEnergy b) {
        Backend be = a.backend();
        try (Tensor x = be.fromArray(new float[] {0.1f, -0.7f, 1.3f, 0.4f, -2f, 0.9f}, 3, 2);
             Tensor ea = be.allocate(3, 1);
             Tensor eb = be.allocate(3, 1)) {
            a.energy(x, ea);
            b.energy(x, eb);
            assertArrayEquals(ea.toArray(), eb.toArray());
        }
    }

    @Test
    void networksAndExpertsRoundTrip() throws IOException {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = new EnergyNetwork(b, 2, List.of(new EnergyNetwork.Layer(4, Activation.LOG1P_SQUARE),
                new EnergyNetwork.Layer(3, Activation.SOFTPLUS)), 0.25)) {
            net.initialize(new RandomStream(1), 1, 0.3);
            try (TrainableEnergy back = EnergyModelFile.read(b, new ByteArrayInputStream(bytes(net)), "net.ebm")) {
                assertTrue(back instanceof EnergyNetwork);
                assertEquals(net.config(), ((EnergyNetwork) back).config());
                assertSameEnergies(net, back);
            }
        }
        try (UniGaussExperts poe = new UniGaussExperts(b, 2, 5, 0.02)) {
            poe.initialize(new RandomStream(2), new float[] {0, 1}, 0.8f);
            try (TrainableEnergy back = EnergyModelFile.read(b, new ByteArrayInputStream(bytes(poe)), "poe.ebm")) {
                assertTrue(back instanceof UniGaussExperts);
                assertSameEnergies(poe, back);
            }
        }
    }

    @Test
    void damagedFilesAreRejectedWithTheReason() throws IOException {
        Backend b = new ReferenceBackend();
        IOException e = assertThrows(IOException.class,
                () -> EnergyModelFile.read(b, new ByteArrayInputStream("hello world".getBytes()), "x.ebm"));
        assertTrue(e.getMessage().contains("x.ebm is not an ebm4j energy model"), e.getMessage());
        try (UniGaussExperts poe = new UniGaussExperts(b, 2, 5, 0.02)) {
            byte[] all = bytes(poe);
            e = assertThrows(IOException.class, () -> EnergyModelFile.read(b,
                    new ByteArrayInputStream(Arrays.copyOf(all, all.length - 3)), "cut.ebm"));
            assertEquals("cut.ebm ends early: the model file is truncated", e.getMessage());
        }
    }
}
