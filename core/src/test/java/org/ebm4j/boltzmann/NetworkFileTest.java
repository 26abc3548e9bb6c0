package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ebm4j.data.InvalidDataFileException;
import org.ebm4j.io.ModelFile;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkFileTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFilesEarlierVersionsWroteAndTellsThemFromModelFiles() throws Exception {
        Path f = dir.resolve("net.csv");
        Files.writeString(f, "# ebm4j network kind=bm visible=1 hidden=1 units=2\n0.0,-0.3\n-0.3,0.0\n1.5,2.5E-4\n");
        NetworkFile read = NetworkFile.read(f);
        assertEquals("bm", read.value(f, "kind"));
        assertEquals(2, read.intValue(f, "units"));
        assertTrue(NetworkFile.isNetworkFile(f));
        try (Backend backend = new ReferenceBackend(); Couplings c = new Couplings(backend, 2)) {
            read.applyTo(c);
            assertArrayEquals(new float[] {0f, -0.3f, -0.3f, 0f}, c.weightsToHost());
            assertArrayEquals(new float[] {1.5f, 2.5e-4f}, c.biasToHost());
        }
        Path model = dir.resolve("m.ebm");
        new ModelFile().putMetadata("model", "bm").write(model);
        assertFalse(NetworkFile.isNetworkFile(model));
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "");
        assertFalse(NetworkFile.isNetworkFile(empty));
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
