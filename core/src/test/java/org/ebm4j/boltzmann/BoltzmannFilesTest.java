package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ebm4j.data.InvalidDataFileException;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a Boltzmann machine's model file and the imported CSV network file must hold, case by case. */
@ExtendWith(NoLeakedTensors.class)
class BoltzmannFilesTest {
    @TempDir
    Path dir;

    private Path csv(String name, String header, String rows) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "# ebm4j network " + header + "\n" + rows);
        return f;
    }

    private static final String TWO_UNITS = "0.0,0.5\n0.5,0.0\n0.25,-1.0\n";

    @Test
    void theCsvImportChecksKindShapeValuesAndWeights() throws Exception {
        try (ReferenceBackend backend = new ReferenceBackend()) {
            Path plain = csv("plain.csv", "kind=bm visible=1 hidden=1 values=binary units=2", TWO_UNITS);
            try (BoltzmannMachine m = BoltzmannMachine.load(plain, backend)) {
                assertEquals(1, m.visible());
                assertEquals(1, m.hidden());
                assertEquals(UnitValues.BINARY, m.unitValues());
                assertArrayEquals(new float[] {0.25f, -1f}, m.couplings().biasToHost());
                assertEquals("bm", m.provenance().get("model"));
                assertFalse(m.provenance().entries().containsKey("data.source"), "no data named, none recorded");
            }
            Path noKind = csv("nokind.csv", "visible=1 hidden=1 values=binary units=2", TWO_UNITS);
            assertEquals(noKind + ": header has no 'kind' entry", assertThrows(InvalidDataFileException.class,
                    () -> BoltzmannMachine.load(noKind, backend)).getMessage());
            Path noVisible = csv("novisible.csv", "kind=bm visible=0 hidden=2 values=binary units=2", TWO_UNITS);
            assertEquals(noVisible + ": visible=0 and hidden=2 do not add up to units=2", assertThrows(
                    InvalidDataFileException.class, () -> BoltzmannMachine.load(noVisible, backend)).getMessage());
            Path tooMany = csv("toomany.csv", "kind=bm visible=1 hidden=2 values=binary units=2", TWO_UNITS);
            assertEquals(tooMany + ": visible=1 and hidden=2 do not add up to units=2", assertThrows(
                    InvalidDataFileException.class, () -> BoltzmannMachine.load(tooMany, backend)).getMessage());
            Path ternary = csv("ternary.csv", "kind=bm visible=1 hidden=1 values=ternary units=2", TWO_UNITS);
            assertEquals(ternary + ": unit values must be 'binary' ({0,1}) or 'spin' ({-1,+1}) but were 'ternary'",
                    assertThrows(InvalidDataFileException.class, () -> BoltzmannMachine.load(ternary, backend))
                            .getMessage());
            // Refused after the machine was built: it is closed (the leak check sees it).
            Path asymmetric = csv("asym.csv", "kind=bm visible=1 hidden=1 values=spin units=2", "0.0,0.5\n0.25,0.0\n0,0\n");
            assertEquals(asymmetric + ": weights must be symmetric but w[0][1] = 0.5 and w[1][0] = 0.25", assertThrows(
                    InvalidDataFileException.class, () -> BoltzmannMachine.load(asymmetric, backend)).getMessage());
        }
    }

    @Test
    void aModelFileWithoutVisibleOrWithNegativeHiddenUnitsIsRefused() throws Exception {
        try (ReferenceBackend backend = new ReferenceBackend();
             BoltzmannMachine m = new BoltzmannMachine(backend, 2, 1, UnitValues.SPIN)) {
            for (String[] bad : new String[][] {{"bm.visible", "0", "0 and 1"}, {"bm.hidden", "-1", "2 and -1"}}) {
                Path f = dir.resolve(bad[0] + ".ebm");
                m.toModelFile().putMetadata(bad[0], bad[1]).write(f);
                assertEquals(f + ": a Boltzmann machine needs >= 1 visible and >= 0 hidden units, found " + bad[2],
                        assertThrows(ModelFormatException.class, () -> BoltzmannMachine.load(f, backend)).getMessage());
            }
            Path ok = dir.resolve("ok.ebm");
            m.toModelFile().putMetadata("bm.hidden", "0").putMetadata("bm.visible", "3").write(ok);
            try (BoltzmannMachine back = BoltzmannMachine.load(ok, backend)) {
                assertEquals(3, back.visible());
                assertEquals(0, back.hidden());
                assertEquals(UnitValues.SPIN, back.unitValues());
            }
        }
    }
}
