package org.ebm4j.hopfield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.InvalidDataFileException;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a Hopfield network's model file and imported CSV file hold, edge cases included, and the checks before work. */
@ExtendWith(NoLeakedTensors.class)
class HopfieldFilesTest {
    @TempDir
    Path dir;

    private static final HopfieldOptions HEBB = HopfieldOptions.builder().rule(LearningRule.HEBB).build();
    private static final HopfieldOptions PSEUDO = HopfieldOptions.builder().rule(LearningRule.PSEUDO_INVERSE).build();

    @Test
    void anEmptyNetworkSavesNoPatternTensorAndAOneUnitNetworkLoads() throws Exception {
        Path file = dir.resolve("one.ebm");
        try (ReferenceBackend backend = new ReferenceBackend(); HopfieldNetwork net = new HopfieldNetwork(backend, 1)) {
            ModelFile f = net.toModelFile();
            assertEquals(Set.of("W", "bias"), f.tensors().keySet());
            assertEquals("0", f.metadata().get("hopfield.patterns"));
            assertEquals("1", f.metadata().get("hopfield.units"));
            net.save(file);
            try (HopfieldNetwork back = HopfieldNetwork.load(file, backend)) {
                assertEquals(1, back.units());
                assertEquals(0, back.storedPatterns());
                assertTrue(back.patterns().isEmpty());
            }
        }
    }

    /** A saved network's file with one metadata entry replaced. */
    private Path edited(String key, String value) throws Exception {
        Path file = dir.resolve(key + "=" + value + ".ebm");
        try (ReferenceBackend backend = new ReferenceBackend();
             HopfieldNetwork net = HopfieldNetwork.fit(backend, Dataset.of("p", 1, 2, new float[] {1, -1}), HEBB)) {
            net.toModelFile().putMetadata(key, value).write(file);
        }
        return file;
    }

    @Test
    void aFileWithNoUnitsOrNegativePatternsIsRefused() throws Exception {
        for (String[] bad : new String[][] {{"hopfield.units", "0"}, {"hopfield.patterns", "-1"}}) {
            Path file = edited(bad[0], bad[1]);
            try (ReferenceBackend backend = new ReferenceBackend()) {
                ModelFormatException e = assertThrows(ModelFormatException.class, () -> HopfieldNetwork.load(file, backend));
                String found = bad[0].endsWith("units") ? "0 and 1" : "2 and -1";
                assertEquals(file + ": a Hopfield network needs >= 1 unit and >= 0 patterns, found " + found, e.getMessage());
            }
        }
    }

    @Test
    void additionsAreCountedOnFromTheLoadedProvenance() throws Exception {
        Path file = dir.resolve("added.ebm");
        try (ReferenceBackend backend = new ReferenceBackend()) {
            try (HopfieldNetwork net = HopfieldNetwork.fit(backend, Dataset.of("a", 1, 4, new float[] {1, 1, -1, -1}), HEBB)) {
                net.add(Dataset.of("b", 1, 4, new float[] {1, -1, 1, -1}), HEBB);
                net.add(Dataset.of("c", 1, 4, new float[] {0, 1, 1, 0}), HEBB);
                net.save(file);
            }
            try (HopfieldNetwork net = HopfieldNetwork.load(file, backend)) {
                assertEquals(3, net.storedPatterns());
                net.add(Dataset.of("d", 1, 4, new float[] {1, 1, 1, -1}), HEBB);
                assertEquals("d", net.provenance().get("added.3.data.source"));
                assertEquals("c", net.provenance().get("added.2.data.source"));
                assertEquals(4, net.patterns().orElseThrow().rows());
                assertArrayEquals(new float[] {1, 1, -1, -1, 1, -1, 1, -1, -1, 1, 1, -1, 1, 1, 1, -1},
                        net.patterns().orElseThrow().values());
            }
        }
    }

    @Test
    void theCsvImportTakesAMissingKindAndKnowsNoPatternsItWasNotGiven() throws Exception {
        Path noKind = dir.resolve("nokind.csv");
        Files.writeString(noKind, "# ebm4j network values=spin units=2\n0.0,0.5\n0.5,0.0\n0.25,-0.25\n");
        Path counted = dir.resolve("counted.csv");
        Files.writeString(counted, "# ebm4j network kind=hopfield patterns=2 units=2\n0.0,0.5\n0.5,0.0\n0.0,0.0\n");
        Path bm = dir.resolve("bm.csv");
        Files.writeString(bm, "# ebm4j network kind=bm units=2\n0.0,0.5\n0.5,0.0\n0.0,0.0\n");
        try (ReferenceBackend backend = new ReferenceBackend()) {
            try (HopfieldNetwork net = HopfieldNetwork.load(noKind, backend)) {
                assertEquals(0, net.storedPatterns());
                assertEquals("unknown", net.rules());
                assertArrayEquals(new float[] {0.25f, -0.25f}, net.couplings().biasToHost());
                assertTrue(net.patterns().isEmpty());
            }
            try (HopfieldNetwork net = HopfieldNetwork.load(counted, backend)) {
                assertEquals(2, net.storedPatterns());
                assertTrue(net.patterns().isEmpty(), "the CSV file keeps no patterns");
                assertEquals(Set.of("W", "bias"), net.toModelFile().tensors().keySet());
            }
            InvalidDataFileException e = assertThrows(InvalidDataFileException.class, () -> HopfieldNetwork.load(bm, backend));
            assertEquals(bm + ": holds a 'bm' network, not a Hopfield network (kind=hopfield)", e.getMessage());
            // An asymmetric matrix is refused after the network was built: it is closed (the leak check sees it).
            Path asymmetric = dir.resolve("asymmetric.csv");
            Files.writeString(asymmetric, "# ebm4j network kind=hopfield units=2\n0.0,0.5\n0.25,0.0\n0.0,0.0\n");
            e = assertThrows(InvalidDataFileException.class, () -> HopfieldNetwork.load(asymmetric, backend));
            assertEquals(asymmetric + ": weights must be symmetric but w[0][1] = 0.5 and w[1][0] = 0.25", e.getMessage());
        }
    }

    @Test
    void aNetworkWithNothingStoredTakesPatternsByThePseudoInverseRule() {
        try (ReferenceBackend backend = new ReferenceBackend(); HopfieldNetwork net = new HopfieldNetwork(backend, 4)) {
            net.add(Dataset.of("x", 1, 4, new float[] {1, -1, -1, 1}), PSEUDO);
            assertEquals(1, net.storedPatterns());
            assertEquals("pseudo-inverse", net.rules());
            // One pattern: the projector xi xi^T / n, diagonal removed.
            assertEquals(-0.25f, net.couplings().weightsToHost()[1], 1e-7);
            assertEquals(0.25f, net.couplings().weightsToHost()[3], 1e-7);
        }
    }

    @Test
    void fitRefusesWeightsBeyondTheHeapBeforeAllocating() {
        // 2^20 units: 3 weight matrices of 2^40 floats, far beyond any test heap.
        Dataset wide = Dataset.of("wide", 1, 1 << 20, new float[1 << 20]);
        try (ReferenceBackend backend = new ReferenceBackend()) {
            SettingException e = assertThrows(SettingException.class, () -> HopfieldNetwork.fit(backend, wide, HEBB));
            assertEquals("units", e.setting());
            try (HopfieldNetwork net = HopfieldNetwork.fit(backend, Dataset.of("p", 2, 3, new float[] {1, 0, 1, 0, 0, 1}),
                    HEBB)) {
                assertEquals(2, net.storedPatterns());
                // Hebb: w_ij = (1/3) sum_k xi_i xi_j over (1, -1, 1) and (-1, -1, 1).
                assertArrayEquals(new float[] {0, 0, 0, 0, 0, -2f / 3, 0, -2f / 3, 0}, net.couplings().weightsToHost(),
                        1e-6f);
            }
        }
    }

    @Test
    void aCapacityMeasurementRefusesWeightsBeyondTheHeapBeforeAllocating() {
        try (ReferenceBackend backend = new ReferenceBackend()) {
            CapacityExperiment huge = new CapacityExperiment(backend, 1 << 20, 0.0, RecallOptions.builder().build());
            assertEquals("units", assertThrows(SettingException.class, () -> huge.measure(LearningRule.HEBB, 1, 1)).setting());
            try (Tensor none = backend.allocate(1, 1)) {
                assertEquals(1, none.rows(), "the backend stays usable");
            }
        }
    }
}
