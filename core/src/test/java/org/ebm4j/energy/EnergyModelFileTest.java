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
import org.ebm4j.io.ModelFile;
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
            try (TrainableEnergy back = read(b, bytes(net), "net.ebm")) {
                assertTrue(back instanceof EnergyNetwork);
                assertEquals(net.config(), ((EnergyNetwork) back).config());
                assertSameEnergies(net, back);
            }
        }
        try (UniGaussExperts poe = new UniGaussExperts(b, 2, 5, 0.02)) {
            poe.initialize(new RandomStream(2), new float[] {0, 1}, 0.8f);
            try (TrainableEnergy back = read(b, bytes(poe), "poe.ebm")) {
                assertTrue(back instanceof UniGaussExperts);
                assertSameEnergies(poe, back);
            }
        }
    }

    static TrainableEnergy read(Backend b, byte[] bytes, String source) throws IOException {
        return EnergyModelFile.read(b, new ByteArrayInputStream(bytes), bytes.length, source);
    }

    @Test
    void damagedOrForeignFilesAreRejectedWithTheReason() throws IOException {
        Backend b = new ReferenceBackend();
        IOException e = assertThrows(IOException.class, () -> read(b, "hello world, not a model".getBytes(), "x.ebm"));
        assertTrue(e.getMessage().startsWith("x.ebm: not an ebm4j model file"), e.getMessage());
        try (UniGaussExperts poe = new UniGaussExperts(b, 2, 5, 0.02)) {
            byte[] all = bytes(poe);
            e = assertThrows(IOException.class, () -> read(b, Arrays.copyOf(all, all.length - 3), "cut.ebm"));
            assertTrue(e.getMessage().startsWith("cut.ebm:"), e.getMessage());
            byte[] flipped = all.clone();
            flipped[flipped.length - 20] ^= 1; // inside the last tensor's data
            e = assertThrows(IOException.class, () -> read(b, flipped, "flip.ebm"));
            assertTrue(e.getMessage().contains("CRC mismatch in tensor 'rho'"), e.getMessage());
        }
        ModelFile rbm = new ModelFile().putMetadata("model", "rbm").putTensor("W", 1, 1, new float[] {1});
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        rbm.writeTo(out);
        e = assertThrows(IOException.class, () -> read(b, out.toByteArray(), "rbm.ebm"));
        assertEquals("rbm.ebm: holds a 'rbm' model, expected an energy model ('energy-network' or 'energy-unigauss')",
                e.getMessage());
        ModelFile wrong;
        try (UniGaussExperts three = new UniGaussExperts(b, 2, 3, 0.0)) {
            wrong = EnergyModelFile.toModelFile(three);
        }
        wrong.putMetadata("energy.experts", "4");
        java.io.ByteArrayOutputStream out2 = new java.io.ByteArrayOutputStream();
        wrong.writeTo(out2);
        e = assertThrows(IOException.class, () -> read(b, out2.toByteArray(), "shape.ebm"));
        assertEquals("shape.ebm: tensor 'c' is 1x3 but the metadata asks for 1x4", e.getMessage());
    }
}
