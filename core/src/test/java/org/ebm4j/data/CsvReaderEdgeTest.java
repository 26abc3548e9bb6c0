package org.ebm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edges of {@link CsvReader}: delimiters, quoting, long lines, big files, files on disk. */
class CsvReaderEdgeTest {
    @TempDir
    Path dir;

    private static Dataset read(CsvReader r, String text) throws IOException {
        return r.read(new StringReader(text), "mem.csv");
    }

    private static String error(CsvReader r, String text) {
        return assertThrows(InvalidDataFileException.class, () -> read(r, text)).getMessage();
    }

    @Test
    void delimitersThatCanBePartOfANumberAreRefused() {
        for (char c : new char[] {'"', '\n', '\r', '.', '-', '0', '7'}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new CsvReader(c, CsvReader.Header.AUTO));
            assertEquals("CSV delimiter '" + c + "' cannot separate numbers", e.getMessage());
        }
        assertArrayEquals(new float[] {1, 2}, assertDoesNotThrow(
                () -> read(new CsvReader('|', CsvReader.Header.ABSENT), "1|2\n")).values());
    }

    @Test
    void aByteOrderMarkIsDroppedFromTheFirstLineOnly() throws IOException {
        Dataset d = read(new CsvReader(), "\uFEFFa,b\n1,2\n");
        assertEquals(1, d.rows());
        assertArrayEquals(new float[] {1, 2}, d.values());
        Dataset data = read(new CsvReader(), "\uFEFF3,4\n");
        assertArrayEquals(new float[] {3, 4}, data.values());
        String m = error(new CsvReader(), "1,2\n\uFEFF3,4\n");
        assertTrue(m.contains("line 2, column 1"), m);
    }

    @Test
    void quotesAroundAFieldAreRemovedOnlyInPairs() throws IOException {
        assertArrayEquals(new float[] {1, 2}, read(new CsvReader(), " \"1\" , \"2\"\n").values());
        String empty = error(new CsvReader(), "1,2\n3,\"\"\n");
        assertTrue(empty.contains("line 2, column 2 is empty"), empty);
        String lone = error(new CsvReader(), "1,2\n3,\"\n");
        assertTrue(lone.contains("line 2, column 2: '\"' is not a number"), lone);
        String open = error(new CsvReader(), "1,2\n3,\"4\n");
        assertTrue(open.contains("'\"4' is not a number"), open);
    }

    /** Lines of more than 16 fields and files of more than 1,024 values take the growing paths. */
    @Test
    void longLinesAndManyValuesAreReadWhole() throws IOException {
        StringBuilder text = new StringBuilder();
        int cols = 40;
        int rows = 60;
        float[] want = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                want[r * cols + c] = r * 100 + c;
                text.append(r * 100 + c).append(c + 1 < cols ? "," : "\n");
            }
        }
        Dataset d = read(new CsvReader(), text.toString());
        assertEquals(rows, d.rows());
        assertEquals(cols, d.cols());
        assertArrayEquals(want, d.values());
        String m = error(new CsvReader(), "1,2\n" + "3,".repeat(20) + "3\n");
        assertTrue(m.contains("line 2 has 21 fields, expected 2"), m);
    }

    @Test
    void aNumberOutsideFloatRangeNamesItsLineAndColumn() {
        assertEquals("mem.csv: line 2, column 3: '-1e39' is not a finite float32 number",
                error(new CsvReader(), "1,2,3\n4,5,-1e39\n"));
    }

    @Test
    void aTextFirstLineIsDataWhenTheHeaderIsAbsent() {
        String m = error(new CsvReader(',', CsvReader.Header.ABSENT), "a,b\n1,2\n");
        assertTrue(m.contains("line 1, column 1: 'a' is not a number"), m);
        String present = error(new CsvReader(',', CsvReader.Header.PRESENT), "1,2\n");
        assertTrue(present.endsWith("no data rows found (expected at least one line of numbers after the header)"),
                present);
        String blank = error(new CsvReader(), "\n# only a comment\n");
        assertTrue(blank.endsWith("no data rows found (expected at least one line of numbers)"), blank);
    }

    @Test
    void missingMarksAreOnlyTheListedOnes() throws IOException {
        CsvReader r = new CsvReader(';', CsvReader.Header.ABSENT).withMissingValues();
        float[] v = read(r, "na;NaN;?; ;1\n").values();
        for (int i = 0; i < 4; i++) {
            assertTrue(Float.isNaN(v[i]), "entry " + i);
        }
        assertEquals(1f, v[4]);
        String m = error(r, "N/A;1;2;3;4\n");
        assertTrue(m.contains("'N/A' is not a number"), m);
        assertTrue(error(r, "inf;1;2;3;4\n").contains("'inf' is not a number"));
    }

    @Test
    void plainDecimalsOnly() {
        for (String ok : new String[] {"0", "-.5", "+1.", "1e5", "1E-05", "12.5e+3", "007"}) {
            assertTrue(CsvReader.isDecimal(ok), ok);
        }
        for (String bad : new String[] {"", "-", "-.", "+.", "-.e5", "e5", ".e1", "1e+", "1e-", "1.5e", "--1", "1 2", "1e5.0", "1_000"}) {
            assertFalse(CsvReader.isDecimal(bad), bad);
        }
    }

    @Test
    void filesAreReadPlainOrGzippedByName() throws IOException {
        Path plain = dir.resolve("d.csv");
        Files.writeString(plain, "x,y\n1,2\n3,4\n", StandardCharsets.UTF_8);
        Dataset d = new CsvReader().read(plain);
        assertEquals(plain.toString(), d.name());
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.values());
        Path gz = dir.resolve("d.csv.gz");
        Files.write(gz, IdxFiles.gzip("5,6\n".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(new float[] {5, 6}, new CsvReader().read(gz).values());
        NoSuchFileException none = assertThrows(NoSuchFileException.class, () -> new CsvReader().read(dir));
        assertTrue(none.getMessage().contains("CSV file not found"), none.getMessage());
        InvalidDataFileException named = assertThrows(InvalidDataFileException.class,
                () -> new CsvReader().read(Files.writeString(dir.resolve("e.csv"), "1,2\nx,3\n")));
        assertTrue(named.getMessage().startsWith(dir.resolve("e.csv") + ": line 2"), named.getMessage());
    }
}
