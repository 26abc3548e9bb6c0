package org.ebm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
    private static Dataset read(String text, CsvReader.Header h) throws IOException {
        return new CsvReader(',', h).read(new StringReader(text), "mem.csv");
    }

    private static String error(String text) {
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class,
                () -> read(text, CsvReader.Header.AUTO));
        assertTrue(e.getMessage().startsWith("mem.csv: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void headerIsDetectedOrForced() throws IOException {
        Dataset d = read("a,\"b\",c\n1,2,3\n# comment\n\n4.5,-5e-1,6\n", CsvReader.Header.AUTO);
        assertEquals(2, d.rows());
        assertEquals(3, d.cols());
        assertArrayEquals(new float[] {1, 2, 3, 4.5f, -0.5f, 6}, d.values());
        Dataset noHeader = read("1,2\n3,4\n", CsvReader.Header.AUTO);
        assertEquals(2, noHeader.rows());
        Dataset forced = read("1,2\n3,4\n", CsvReader.Header.PRESENT);
        assertEquals(1, forced.rows());
        assertArrayEquals(new float[] {3, 4}, forced.values());
    }

    @Test
    void missingValuesAreNanOnlyWhenAllowed() throws IOException {
        String text = ",2,NA\n4,?,nan\n";
        Dataset d = new CsvReader().withMissingValues().read(new StringReader(text), "mem.csv");
        assertEquals(2, d.rows(), "a first line with missing entries is data, not a header");
        float[] v = d.values();
        assertTrue(Float.isNaN(v[0]) && Float.isNaN(v[2]) && Float.isNaN(v[4]) && Float.isNaN(v[5]));
        assertEquals(2f, v[1]);
        assertEquals(4f, v[3]);
        assertTrue(error("1,2\n,3\n").contains("line 2, column 1 is empty"));
    }

    @Test
    void otherDelimiter() throws IOException {
        Dataset d = new CsvReader(';', CsvReader.Header.ABSENT).read(new StringReader("1;2\n3;4"), "x");
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.values());
    }

    @Test
    void raggedRowNamesLineAndCounts() {
        String m = error("x,y\n1,2\n3,4,5\n");
        assertTrue(m.contains("line 3 has 3 fields, expected 2"), m);
    }

    @Test
    void nonNumericFieldNamesLineAndColumn() {
        String m = error("1,2\n3,abc\n");
        assertTrue(m.contains("line 2, column 2: 'abc' is not a number"), m);
    }

    @Test
    void nonFiniteAndEmptyFieldsAreRejected() {
        assertTrue(error("1,2\n3,NaN\n").contains("line 2, column 2: 'NaN' is not a number"));
        assertTrue(error("1,2\n3,1e39\n").contains("not a finite"));
        assertTrue(error("1,2\n3,\n").contains("line 2, column 2 is empty"));
    }

    /** A typo in the first data row must not turn it into a header (the row would be lost). */
    @Test
    void aFirstRowWithANumberIsDataSoATypoInItIsAnError() throws IOException {
        String m = error("1,2x,3\n4,5,6\n");
        assertTrue(m.contains("line 1, column 2: '2x' is not a number"), m);
        Dataset d = read("x,y,z\n4,5,6\n", CsvReader.Header.AUTO);
        assertEquals(1, d.rows(), "a row of names is a header");
    }

    @Test
    void javaOnlyNumberFormsAreRefused() throws IOException {
        for (String bad : new String[] {"0x1p-1", "1f", "2d", "Infinity", "1e", ".", "+", "1.2.3", "\u0661"}) {
            String m = error("1,2\n3," + bad + "\n");
            assertTrue(m.contains("line 2, column 2: '" + bad + "' is not a number"), m);
        }
        assertArrayEquals(new float[] {-0.5f, 1e-3f, 12f, 0.25f, 3f, 1.5e2f},
                read("-0.5,1e-3\n+12,.25\n3.,1.5E+2\n", CsvReader.Header.ABSENT).values());
    }

    @Test
    void noDataRows() {
        assertTrue(error("").contains("no data rows"));
        assertTrue(error("a,b\n").contains("after the header"));
    }

    @Test
    void headerWithRaggedData() {
        assertTrue(error("a,b,c\n1,2\n").contains("line 2 has 2 fields, expected 3"));
    }
}
