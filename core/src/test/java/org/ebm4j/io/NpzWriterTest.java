package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzWriterTest {
    @TempDir
    Path dir;

    static Map<String, String> metadataOf(NpzReader.Npy entry) throws IOException {
        assertEquals("|u1", entry.descr());
        assertEquals(1, entry.shape().length);
        return ExportFixtures.JSON.readValue(new String(entry.data(), StandardCharsets.UTF_8), new TypeReference<>() {
        });
    }

    @Test
    void roundTripsEveryArrayBitForBitAndTheMetadata() throws IOException {
        List<NamedArray> arrays = ExportFixtures.arrays();
        Path f = dir.resolve("sub/x.npz");
        ArrayArchive.NPZ.write(f, arrays, ExportFixtures.metadata());
        Map<String, NpzReader.Npy> read = NpzReader.read(f);
        List<String> names = new ArrayList<>(arrays.stream().map(NamedArray::name).toList());
        names.add(NpzWriter.METADATA_ENTRY);
        assertEquals(names, List.copyOf(read.keySet()), "arrays in the given order, then the metadata");
        for (NamedArray a : arrays) {
            NpzReader.Npy e = read.get(a.name());
            assertEquals("<f4", e.descr());
            ExportFixtures.assertSameArray(a, e.shape(), e.floats());
        }
        assertEquals(ExportFixtures.metadata(), metadataOf(read.get(NpzWriter.METADATA_ENTRY)));
    }

    @Test
    void neverWritesAStringOrObjectDtype() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpzWriter.writeTo(out, ExportFixtures.arrays(), ExportFixtures.metadata());
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                byte[] b = zip.readAllBytes();
                int hlen = (b[8] & 0xFF) | ((b[9] & 0xFF) << 8);
                String header = new String(b, 10, hlen, StandardCharsets.ISO_8859_1);
                assertTrue(header.startsWith("{'descr': '<f4'") || header.startsWith("{'descr': '|u1'"),
                        e.getName() + ": " + header);
                assertFalse(header.contains("<U") || header.contains("|O") || header.contains("True"), header);
                entries++;
            }
        }
        assertEquals(ExportFixtures.arrays().size() + 1, entries);
    }

    @Test
    void exportsTheTensorsOfAModelFileUnderTheirNamesOrRenamed() throws IOException {
        ModelFile mf = new ModelFile().putMetadata("model", "toy").putMetadata("toy.size", "2")
                .putTensor("W", 2, 3, new float[] {1, 2, 3, 4, 5, 6})
                .putTensor("bias.visible", 1, 2, new float[] {-1, -0.0f});
        Path f = dir.resolve("m.npz");
        ArrayArchive.NPZ.write(f, mf);
        Map<String, NpzReader.Npy> read = NpzReader.read(f);
        assertEquals(List.of("W", "bias.visible", NpzWriter.METADATA_ENTRY), List.copyOf(read.keySet()));
        assertArrayEquals(new int[] {1, 2}, read.get("bias.visible").shape(), "model-file tensors stay 2-D");
        ExportFixtures.assertSameArray(new NamedArray("W", new int[] {2, 3}, mf.tensors().get("W").data()),
                read.get("W").shape(), read.get("W").floats());
        assertEquals(mf.metadata(), metadataOf(read.get(NpzWriter.METADATA_ENTRY)));

        List<NamedArray> renamed = NamedArray.fromModelFile(mf, Map.of("bias.visible", "b"));
        assertEquals(List.of("W", "b"), renamed.stream().map(NamedArray::name).toList());
        assertTrue(renamed.get(1).data() == mf.tensors().get("bias.visible").data(), "values are shared, not copied");
    }

    @Test
    void rejectsNamesItCannotWrite() {
        List<NamedArray> twice = List.of(new NamedArray("a", new int[] {1}, new float[1]),
                new NamedArray("a", new int[] {2}, new float[2]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArrayArchive.NPZ.write(dir.resolve("d.npz"), twice, Map.of()));
        assertTrue(e.getMessage().contains("two arrays are named 'a'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("d.npz")) || Files.exists(dir.resolve("d.npz.tmp")));

        List<NamedArray> reserved = List.of(new NamedArray(NpzWriter.METADATA_ENTRY, new int[] {1}, new float[1]));
        e = assertThrows(IllegalArgumentException.class,
                () -> NpzWriter.writeTo(new ByteArrayOutputStream(), reserved, Map.of()));
        assertTrue(e.getMessage().contains("'metadata_json' is reserved"), e.getMessage());

        ModelFile mf = new ModelFile().putTensor("x", 1, 1, new float[1]).putTensor("y", 1, 1, new float[1]);
        e = assertThrows(IllegalArgumentException.class, () -> NamedArray.fromModelFile(mf, Map.of("z", "w")));
        assertEquals("rename names tensor 'z', which the model file lacks (it has [x, y])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NamedArray.fromModelFile(mf, Map.of("x", "y")));
        assertTrue(e.getMessage().contains("two arrays are named 'y'"), e.getMessage());

        for (String bad : new String[] {"", "a/b", "a\\b", "tab\there"}) {
            assertThrows(IllegalArgumentException.class, () -> new NamedArray(bad, new int[0], new float[1]), bad);
        }
        e = assertThrows(IllegalArgumentException.class, () -> new NamedArray("m", new int[] {2, 3}, new float[5]));
        assertEquals("array 'm': shape [2, 3] needs 6 values but 5 were given", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NamedArray("m", new int[] {2, -1}, new float[0]));
        assertTrue(e.getMessage().contains("negative dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new NamedArray("m", new int[] {65536, 65536}, new float[0]));
        assertTrue(e.getMessage().contains("more than 2147483647 values"), e.getMessage());
    }

    @Test
    void equalContentGivesEqualBytes() throws IOException {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        NpzWriter.writeTo(a, ExportFixtures.arrays(), ExportFixtures.metadata());
        NpzWriter.writeTo(b, ExportFixtures.arrays(), ExportFixtures.metadata());
        assertArrayEquals(a.toByteArray(), b.toByteArray());
    }

    /** NumPy itself, with pickle off, sees the same names, shapes, bits and metadata. */
    @Test
    void numpyReadsEveryArrayAndTheMetadata() throws Exception {
        Python.assumeModules("numpy");
        ExportFixtures.pythonReadsTheFixtures(dir, "x.npz", ArrayArchive.NPZ::write,
                "z = np.load(sys.argv[1], allow_pickle=False)",
                "m = z['metadata_json']",
                "assert m.dtype == np.uint8 and m.ndim == 1, (m.dtype, m.shape)",
                "meta = json.loads(m.tobytes().decode('utf-8'))",
                "arrays = {k: z[k] for k in z.files if k != 'metadata_json'}");
    }

    /** The reader refuses what the writer must never produce, so the round trips above prove something. */
    @Test
    void theReaderIsStrict() {
        byte[] ok = npy(NpzWriter.header("<f4", new int[] {2}), 8);
        assertEquals(2, NpzReader.parseNpy(ok, "ok").count());
        assertRejected(npy(NpzWriter.header("<U9", new int[0]), 36), "dtype <U9");
        assertRejected(npy(NpzWriter.header("|O", new int[] {1}), 8), "dtype |O");
        assertRejected(npy(NpzWriter.header("<f4", new int[] {2}), 7), "needs 8 data bytes, found 7");
        assertRejected(npy(NpzWriter.header("<f4", new int[] {2}), 12), "needs 8 data bytes, found 12");
        byte[] fortran = npy(NpzWriter.header("<f4", new int[] {2}), 8);
        String h = new String(fortran, StandardCharsets.ISO_8859_1).replace("False", "True ");
        assertRejected(h.getBytes(StandardCharsets.ISO_8859_1), "fortran_order true");
        byte[] magic = ok.clone();
        magic[1] = 'n';
        assertRejected(magic, "bad magic");
        byte[] version = ok.clone();
        version[6] = 4;
        assertRejected(version, "NPY version 4.0");
        byte[] unaligned = ok.clone();
        unaligned[8]--;
        assertRejected(unaligned, "expected a multiple of 64");
        byte[] oneTuple = new String(ok, StandardCharsets.ISO_8859_1).replace("(2,)", "(2) ")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertRejected(oneTuple, "trailing comma");
    }

    private static byte[] npy(byte[] header, int dataBytes) {
        return Arrays.copyOf(header, header.length + dataBytes);
    }

    private static void assertRejected(byte[] npy, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpzReader.parseNpy(npy, "t"));
        assertTrue(e.getMessage().toLowerCase().contains(expected.toLowerCase()), e.getMessage());
    }

    /**
     * The NPY 1.0 preamble as {@code numpy.lib.format} describes it: magic, version 1 0, the header
     * length as a little-endian u16, then the header padded with spaces and ended by a newline so that
     * the preamble (10 bytes) and the header together are a multiple of 64 bytes.
     */
    private static byte[] npyPreamble(String dict, int total) {
        int headerLength = total - 10;
        StringBuilder h = new StringBuilder(dict);
        while (h.length() < headerLength - 1) {
            h.append(' ');
        }
        h.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(headerLength & 0xFF);
        out.write(headerLength >> 8);
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static String dims(int rank) {
        return String.join(", ", java.util.Collections.nCopies(rank, "1"));
    }

    /**
     * Shapes print as Python tuples: {@code ()}, {@code (5,)}, {@code (2, 3)}. Rank 21 makes the
     * unpadded header 127 bytes (padded to 128, not 192), rank 64 exactly 256 (no padding at all), and
     * rank 100 a header length of 374, whose u16 has a high byte.
     */
    @Test
    void headersAreTheShapeAsAPythonTuplePaddedToA64ByteBoundary() {
        String pre = "{'descr': '<f4', 'fortran_order': False, 'shape': ";
        assertArrayEquals(npyPreamble(pre + "(), }", 128), NpzWriter.header("<f4", new int[0]));
        assertArrayEquals(npyPreamble(pre + "(5,), }", 128), NpzWriter.header("<f4", new int[] {5}));
        assertArrayEquals(npyPreamble(pre + "(2, 3), }", 128), NpzWriter.header("<f4", new int[] {2, 3}));
        assertArrayEquals(npyPreamble(pre + "(2, 0, 3), }", 128), NpzWriter.header("<f4", new int[] {2, 0, 3}));
        assertArrayEquals(npyPreamble("{'descr': '|u1', 'fortran_order': False, 'shape': (7,), }", 128),
                NpzWriter.header("|u1", new int[] {7}));
        for (int[] rankTotal : new int[][] {{21, 128}, {64, 256}, {100, 384}}) {
            int[] shape = new int[rankTotal[0]];
            Arrays.fill(shape, 1);
            assertArrayEquals(npyPreamble(pre + "(" + dims(rankTotal[0]) + "), }", rankTotal[1]),
                    NpzWriter.header("<f4", shape), "rank " + rankTotal[0]);
        }
        byte[] rank100 = NpzWriter.header("<f4", new int[100]);
        assertEquals(0x76, rank100[8] & 0xFF);
        assertEquals(0x01, rank100[9] & 0xFF);
    }

    /** A header the u16 cannot hold: 21,825 dimensions of 1 print as a header of 65,528 characters. */
    @Test
    void aShapeWhoseHeaderOverflowsTheU16IsRefused() {
        int[] shape = new int[21_825];
        Arrays.fill(shape, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpzWriter.header("<f4", shape));
        assertEquals("NPY 1.0 header of 65590 bytes exceeds 65535: the shape has too many dimensions (21825)",
                e.getMessage());
    }

    /** The archive is complete in the stream it was given, even a buffered one the caller does not flush. */
    @Test
    void writeToFlushesAndEveryEntryCarriesTheFixedTimestamp() throws IOException {
        byte[] written = ExportFixtures.writtenUnflushed(NpzWriter::writeTo);
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(written))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                assertEquals(0L, e.getTime(), e.getName() + ": the epoch, not the time of writing");
                entries++;
            }
        }
        assertEquals(ExportFixtures.arrays().size() + 1, entries);
    }

    /**
     * Limits of a name and a shape: a space and DEL's neighbour '~' are fine, 0x1F and DEL are not; a
     * shape may multiply past 2^31 - 1 on the way if a later 0 brings it back.
     */
    @Test
    void namesAndShapesAtTheirLimits() {
        assertEquals("a b~", new NamedArray("a b~", new int[0], new float[1]).name());
        for (String bad : new String[] {"a\u001fb", "a\u007fb"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new NamedArray(bad, new int[0], new float[1]));
            assertEquals("array name 'a?b' has a '/', '\\' or control character at index 1; export names must not "
                    + "(an .npz entry is a file name)", e.getMessage());
        }
        NamedArray wide = new NamedArray("w", new int[] {Integer.MAX_VALUE, 0}, new float[0]);
        assertArrayEquals(new int[] {Integer.MAX_VALUE, 0}, wide.shape());
        assertEquals(0, wide.byteSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NamedArray("w", new int[] {Integer.MAX_VALUE, 2, 0}, new float[0]));
        assertEquals("array 'w': shape [2147483647, 2, 0] holds more than 2147483647 values, more than a Java array "
                + "can", e.getMessage());
    }
}
