package org.ebm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edges of {@link IdxReader} and {@link Mnist}: type names, streams, large files, file lookup. */
class IdxEdgeTest {
    @TempDir
    Path dir;

    private static String streamError(byte[] bytes) {
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class,
                () -> IdxReader.read(new ByteArrayInputStream(bytes), "mem"));
        assertTrue(e.getMessage().startsWith("mem"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void unsupportedTypesAreNamed() {
        int[][] codes = {{0x09, 0}, {0x0B, 1}, {0x0C, 2}, {0x0D, 3}, {0x0E, 4}, {0x07, 5}};
        String[] names = {"signed byte", "int16", "int32", "float32", "float64", "unknown"};
        for (int[] c : codes) {
            String m = streamError(IdxFiles.idx((c[0] << 8) | 1, new int[] {1}, new byte[8]));
            assertEquals(String.format("mem: IDX type code 0x%02x (%s) is not supported: expected 0x08 (unsigned byte)",
                    c[0], names[c[1]]), m);
        }
        String magic = streamError(new byte[] {0, 1, 8, 1, 0, 0, 0, 1, 5});
        assertTrue(magic.contains("bad IDX magic number 0x00010801"), magic);
    }

    /** A stream's length is unknown: a short or long one is found by reading it, not by a size check. */
    @Test
    void streamsAreCheckedAsTheyAreRead() throws IOException {
        byte[] ok = IdxFiles.idx(0x801, new int[] {3}, new byte[] {1, 2, (byte) 200});
        IdxArray a = IdxReader.read(new ByteArrayInputStream(ok), "mem");
        assertArrayEquals(new int[] {3}, a.dims());
        assertEquals(200, a.unsigned(2));
        assertEquals(1, a.itemSize());
        String shortData = streamError(Arrays.copyOf(ok, ok.length - 1));
        assertEquals("mem: truncated: the header declares dimensions 3 = 3 data bytes, but only 2 follow the header "
                + "(file length 10, expected 11)", shortData);
        String longData = streamError(Arrays.copyOf(ok, ok.length + 2));
        assertEquals("mem: file length 13 does not match the header: dimensions 3 declare 11 bytes, 2 bytes are left over",
                longData);
        String empty = streamError(new byte[0]);
        assertTrue(empty.contains("expected 4 magic bytes, found 0 bytes"), empty);
    }

    /**
     * A gzipped file is recognized by both magic bytes (0x1f 0x8b), not by its name, and its sizes are
     * said to be of the decompressed data; a plain file starting with 0x1f alone is a bad IDX magic.
     */
    @Test
    void gzipIsRecognizedByItsMagicBytes() throws IOException {
        byte[] raw = IdxFiles.labels(4);
        byte[] gz = IdxFiles.gzip(raw);
        assertArrayEquals(Arrays.copyOfRange(raw, 8, 12), IdxReader.read(new ByteArrayInputStream(gz), "mem").data());
        String shortGz = streamError(IdxFiles.gzip(Arrays.copyOf(raw, raw.length - 1)));
        assertTrue(shortGz.startsWith("mem (gzipped; sizes are of the decompressed data): truncated"), shortGz);
        byte[] half = {0x1f, 0, 8, 1, 0, 0, 0, 1, 0};
        assertTrue(streamError(half).contains("bad IDX magic number 0x1f000801"));
        byte[] other = {0, (byte) 0x8b, 8, 1, 0, 0, 0, 1, 0};
        assertTrue(streamError(other).contains("bad IDX magic number 0x008b0801"));
    }

    /**
     * Sizes are checked one by one as they are read: 0 is refused, and a product of exactly
     * {@code Integer.MAX_VALUE - 8} bytes (the largest array a JVM allocates) is refused only for what the
     * file lacks, not for its size; the dimensions are printed unsigned and joined by 'x'.
     */
    @Test
    void dimensionSizesAtTheirLimits() throws IOException {
        String zero = streamError(IdxFiles.idx(0x803, new int[] {2, 0, 3}, new byte[0]));
        assertEquals("mem: IDX dimension 1 has size 0; every size must be in 1..2147483647", zero);
        Path largest = IdxFiles.write(dir, "largest", IdxFiles.idx(0x801, new int[] {Integer.MAX_VALUE - 8}, new byte[4]));
        InvalidDataFileException most = assertThrows(InvalidDataFileException.class, () -> IdxReader.read(largest));
        assertEquals(largest + ": truncated: the header declares dimensions 2147483639 = 2147483639 data bytes, but "
                + "only 4 follow the header (file length 12, expected 2147483647)", most.getMessage());
        Path over = IdxFiles.write(dir, "over", IdxFiles.idx(0x801, new int[] {Integer.MAX_VALUE - 7}, new byte[4]));
        InvalidDataFileException past = assertThrows(InvalidDataFileException.class, () -> IdxReader.read(over));
        assertEquals(over + ": IDX dimensions 2147483640 declare more than 2147483639 bytes of data, which cannot be held",
                past.getMessage());
        Path wide = IdxFiles.write(dir, "wide", IdxFiles.idx(0x803, new int[] {2, 0x01020304, 1}, new byte[4]));
        InvalidDataFileException w = assertThrows(InvalidDataFileException.class, () -> IdxReader.read(wide));
        assertTrue(w.getMessage().contains("dimensions 2x16909060x1 = 33818120 data bytes"), w.getMessage());
    }

    /** More than 1 MiB of data grows the read buffer past its first size, plain and gzipped. */
    @Test
    void dataLargerThanTheFirstBufferIsReadWhole() throws IOException {
        int n = (1 << 20) * 5 / 2;
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i * 31 + (i >> 11));
        }
        byte[] raw = IdxFiles.idx(0x801, new int[] {n}, data);
        IdxArray plain = IdxReader.read(IdxFiles.write(dir, "big", raw));
        assertEquals(n, plain.count());
        assertArrayEquals(data, plain.data());
        assertArrayEquals(data, IdxReader.read(new ByteArrayInputStream(IdxFiles.gzip(raw)), "gz").data());
    }

    @Test
    void mnistPrefersThePlainFileAndScalesAndLabelsAsUnsignedBytes() throws IOException {
        byte[] pixels = {0, (byte) 255, (byte) 128, 51, 1, (byte) 254};
        IdxFiles.write(dir, "t10k-images-idx3-ubyte", IdxFiles.idx(0x803, new int[] {1, 2, 3}, pixels));
        IdxFiles.write(dir, "t10k-images-idx3-ubyte.gz", new byte[] {1, 2, 3});
        IdxFiles.write(dir, "t10k-labels-idx1-ubyte.gz",
                IdxFiles.gzip(IdxFiles.idx(0x801, new int[] {1}, new byte[] {(byte) 200})));
        Dataset d = Mnist.load(dir, Mnist.Split.parse(" T10K "));
        assertEquals("test " + dir, d.name());
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 0.2f, 1 / 255f, 254 / 255f}, d.values());
        assertArrayEquals(new int[] {200}, d.labels());
        assertEquals(2, d.imageHeight());
        assertEquals(3, d.imageWidth());
        assertEquals("train-images-idx3-ubyte", Mnist.Split.TRAIN.imagesFile());
        assertEquals("t10k-labels-idx1-ubyte", Mnist.Split.TEST.labelsFile());
        NoSuchFileException noDir = assertThrows(NoSuchFileException.class,
                () -> Mnist.load(dir.resolve("none"), Mnist.Split.TRAIN));
        assertTrue(noDir.getMessage().contains("MNIST data directory not found"), noDir.getMessage());
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class, () -> Mnist.Split.parse("dev"));
        assertEquals("split must be train or test, found 'dev'", split.getMessage());
    }

    @Test
    void aLabelFileMustHaveOneDimension() throws IOException {
        IdxArray images = IdxReader.read(new ByteArrayInputStream(IdxFiles.images(2, 1, 1)), "img");
        IdxArray labels = IdxReader.read(new ByteArrayInputStream(IdxFiles.images(2, 1, 1)), "lab");
        InvalidDataFileException e = assertThrows(InvalidDataFileException.class,
                () -> Mnist.fromIdx(images, labels, "x"));
        assertEquals("lab: expected a label file with 1 dimension (count), found 3", e.getMessage());
        IdxArray flat = IdxReader.read(new ByteArrayInputStream(IdxFiles.idx(0x802, new int[] {2, 1}, new byte[2])),
                "flat");
        InvalidDataFileException two = assertThrows(InvalidDataFileException.class,
                () -> Mnist.fromIdx(flat, labels, "x"));
        assertEquals("flat: expected an image file with 3 dimensions (count, rows, cols), found 2", two.getMessage());
    }
}
