package org.ebm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsPlainAndGzippedIdenticalContent() throws IOException {
        byte[] raw = IdxFiles.images(5, 3, 4);
        IdxArray plain = IdxReader.read(IdxFiles.write(dir, "a-idx3-ubyte", raw));
        IdxArray gz = IdxReader.read(IdxFiles.write(dir, "b-idx3-ubyte", IdxFiles.gzip(raw)));
        assertArrayEquals(new int[] {5, 3, 4}, plain.dims());
        assertArrayEquals(plain.dims(), gz.dims());
        assertArrayEquals(plain.data(), gz.data());
        assertEquals(Arrays.copyOfRange(raw, 16, raw.length).length, plain.data().length);
        assertArrayEquals(Arrays.copyOfRange(raw, 16, raw.length), plain.data());
        assertEquals(12, plain.itemSize());
        assertEquals(5, plain.count());
    }

    private String error(byte[] bytes) throws IOException {
        Path p = IdxFiles.write(dir, "bad-file", bytes);
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains(p.toString()), "message names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        byte[] b = IdxFiles.images(2, 2, 2);
        b[0] = 0x12;
        String m = error(b);
        assertTrue(m.contains("bad IDX magic number 0x12000803"), m);
    }

    @Test
    void unsupportedTypeCode() throws IOException {
        String m = error(IdxFiles.idx(0x0D01, new int[] {2}, new byte[8]));
        assertTrue(m.contains("type code 0x0d (float32)") && m.contains("expected 0x08"), m);
    }

    @Test
    void dimensionCountOutsideOneToThree() throws IOException {
        String zero = error(IdxFiles.idx(0x800, new int[0], new byte[0]));
        assertTrue(zero.contains("dimension count 0 is outside 1..3"), zero);
        String four = error(IdxFiles.idx(0x804, new int[] {1, 1, 1, 1}, new byte[1]));
        assertTrue(four.contains("dimension count 4 is outside 1..3"), four);
    }

    @Test
    void truncatedDataIsReportedWithBothLengths() throws IOException {
        byte[] b = IdxFiles.images(3, 2, 2);
        String m = error(Arrays.copyOf(b, b.length - 5));
        assertTrue(m.contains("truncated") && m.contains("3x2x2 = 12 data bytes") && m.contains("only 7 follow")
                && m.contains("expected 28"), m);
    }

    /**
     * A header claiming far more data than the file holds is refused from the file's length, before
     * the data are allocated (2e9 labels would need a 2 GB array); gzipped, where the length is
     * unknown, the array grows only with the bytes that really arrive.
     */
    @Test
    void aHeaderClaimingMoreThanTheFileHoldsIsRefusedBeforeAllocating() throws IOException {
        byte[] labels = IdxFiles.idx(0x801, new int[] {2_000_000_000}, new byte[100]);
        String m = error(labels);
        assertTrue(m.contains("2000000000 data bytes, but only 100 follow the header"), m);
        byte[] images = IdxFiles.idx(0x803, new int[] {2_700_000, 28, 28}, new byte[470_000]);
        long before = Runtime.getRuntime().totalMemory();
        InvalidDataFileException gz = assertThrows(InvalidDataFileException.class,
                () -> IdxReader.read(IdxFiles.write(dir, "big.gz", IdxFiles.gzip(images))));
        assertTrue(gz.getMessage().contains("but only 470000 follow the header"), gz.getMessage());
        assertTrue(Runtime.getRuntime().totalMemory() - before < 1_000_000_000L, "no 2 GB allocation");
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] b = IdxFiles.images(3, 2, 2);
        String m = error(Arrays.copyOf(b, 9));
        assertTrue(m.contains("truncated IDX header") && m.contains("expected 12") && m.contains("found 5"), m);
        String tiny = error(new byte[] {0, 0});
        assertTrue(tiny.contains("expected 4 magic bytes, found 2"), tiny);
    }

    @Test
    void trailingBytesMeanTheSizeDoesNotMatchTheFileLength() throws IOException {
        byte[] b = IdxFiles.images(3, 2, 2);
        String m = error(Arrays.copyOf(b, b.length + 3));
        assertTrue(m.contains("does not match the header") && m.contains("3 bytes are left over"), m);
    }

    @Test
    void sizesThatOverflowAreRejectedBeforeAllocation() throws IOException {
        String m = error(IdxFiles.idx(0x803, new int[] {65536, 65536, 2}, new byte[0]));
        assertTrue(m.contains("65536x65536") && m.contains("cannot be held"), m);
        String neg = error(IdxFiles.idx(0x801, new int[] {-1}, new byte[0]));
        assertTrue(neg.contains("has size 4294967295"), neg);
    }

    @Test
    void truncatedGzipIsAClearError() throws IOException {
        byte[] gz = IdxFiles.gzip(IdxFiles.images(50, 10, 10));
        String m = error(Arrays.copyOf(gz, gz.length / 2));
        assertTrue(m.contains("gzip") && (m.contains("truncated") || m.contains("corrupt")), m);
    }

    @Test
    void missingFile() {
        assertThrows(NoSuchFileException.class, () -> IdxReader.read(dir.resolve("nope")));
    }
}
