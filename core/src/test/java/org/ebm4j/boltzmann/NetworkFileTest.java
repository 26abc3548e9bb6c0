package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ebm4j.data.InvalidDataFileException;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsExactly() throws Exception {
        int n = 9;
        float[] w = RandomNetworks.symmetricWeights(n, 0.77, 1);
        float[] b = RandomNetworks.gaussianVector(n, 0.3, 2);
        Path f = dir.resolve("net.csv");
        try (Backend backend = new ReferenceBackend(); Couplings c = new Couplings(backend, n);
             Couplings back = new Couplings(backend, n)) {
            c.setWeights(w);
            c.setBias(b);
            NetworkFile.write(f, Map.of("kind", "bm"), c);
            NetworkFile read = NetworkFile.read(f);
            assertEquals("bm", read.value(f, "kind"));
            assertEquals(n, read.intValue(f, "units"));
            read.applyTo(back);
            assertArrayEquals(w, back.weightsToHost());
            assertArrayEquals(b, back.biasToHost());
        }
    }

    @Test
    void explainsWhatIsWrongWithAFile() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "1,2\n3,4\n");
        assertTrue(assertThrows(InvalidDataFileException.class, () -> NetworkFile.read(f)).getMessage()
                .contains("expected the first line to start with '# ebm4j network'"));
        Files.writeString(f, "# ebm4j network units=2\n0,1\n1,0\n");
        assertTrue(assertThrows(InvalidDataFileException.class, () -> NetworkFile.read(f)).getMessage()
                .contains("needs 3 rows of 2 values (weights, then biases) but the file has 2 rows of 2"));
        Files.writeString(f, "# ebm4j network units=two\n");
        assertTrue(assertThrows(InvalidDataFileException.class, () -> NetworkFile.read(f)).getMessage()
                .contains("units=two is not a non-negative integer"));
        Files.writeString(f, "# ebm4j network units=2\n0,1\n2,0\n0,0\n");
        NetworkFile asym = NetworkFile.read(f);
        try (Backend backend = new ReferenceBackend(); Couplings c = new Couplings(backend, 2)) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> asym.applyTo(c)).getMessage()
                    .contains("weights must be symmetric"));
        }
    }
}
