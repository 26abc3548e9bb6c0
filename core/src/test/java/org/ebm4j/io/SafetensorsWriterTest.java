package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryArrayBitForBitAndTheMetadata() throws IOException {
        List<NamedArray> arrays = ExportFixtures.arrays();
        Path f = dir.resolve("sub/x.safetensors");
        ArrayArchive.SAFETENSORS.write(f, arrays, ExportFixtures.metadata());
        byte[] bytes = Files.readAllBytes(f);
        SafetensorsReader.Contents c = SafetensorsReader.read(bytes);
        assertEquals(arrays.stream().map(NamedArray::name).toList(), List.copyOf(c.tensors().keySet()),
                "tensors in the given order");
        long offset = 0;
        for (NamedArray a : arrays) {
            SafetensorsReader.Tensor t = c.tensors().get(a.name());
            assertEquals(offset, t.begin(), a.name() + " follows the previous tensor's data");
            offset = t.end();
            ExportFixtures.assertSameArray(a, t.shape(), t.values());
        }
        assertEquals(ExportFixtures.metadata(), c.metadata());
        assertEquals(0, c.headerLength() % 8, "the data start 8-byte aligned");
        String header = new String(bytes, 8, (int) c.headerLength(), StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\": {\"control\": "), "metadata first, keys sorted: " + header);
        assertTrue(header.contains("\"W\": {\"dtype\": \"F32\", \"shape\": [3, 4], \"data_offsets\": [0, 48]}"), header);
    }

    @Test
    void leavesOutEmptyMetadataAndWritesAnEmptyFile() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafetensorsWriter.writeTo(out, List.of(new NamedArray("v", new int[] {1}, new float[] {2f})), Map.of());
        SafetensorsReader.Contents c = SafetensorsReader.read(out.toByteArray());
        assertEquals(Map.of(), c.metadata());
        String header = new String(out.toByteArray(), 8, (int) c.headerLength(), StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"v\": {"), "no __metadata__: " + header);
        out.reset();
        SafetensorsWriter.writeTo(out, List.of(), Map.of());
        assertArrayEquals(new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '}, out.toByteArray());
    }

    @Test
    void exportsTheTensorsOfAModelFileUnderTheirNames() throws IOException {
        ModelFile mf = new ModelFile().putMetadata("model", "toy")
                .putTensor("W", 2, 3, new float[] {1, 2, 3, 4, 5, 6})
                .putTensor("bias.visible", 1, 2, new float[] {-1, -0.0f});
        Path f = dir.resolve("m.safetensors");
        ArrayArchive.SAFETENSORS.write(f, mf);
        SafetensorsReader.Contents c = SafetensorsReader.read(f);
        assertEquals(List.of("W", "bias.visible"), List.copyOf(c.tensors().keySet()));
        for (ModelFile.Entry e : mf.tensors().values()) {
            ExportFixtures.assertSameArray(new NamedArray(e.name(), new int[] {e.rows(), e.cols()}, e.data()),
                    c.tensors().get(e.name()).shape(), c.tensors().get(e.name()).values());
        }
        assertEquals(mf.metadata(), c.metadata());
    }

    @Test
    void rejectsNamesItCannotWrite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrayArchive.SAFETENSORS.write(
                dir.resolve("r.safetensors"), List.of(new NamedArray("__metadata__", new int[0], new float[1])),
                Map.of()));
        assertTrue(e.getMessage().contains("'__metadata__' is reserved"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("r.safetensors")) && !Files.exists(dir.resolve("r.safetensors.tmp")));
        List<NamedArray> twice = List.of(new NamedArray("a", new int[0], new float[1]),
                new NamedArray("a", new int[0], new float[1]));
        e = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.writeTo(new ByteArrayOutputStream(), twice, Map.of()));
        assertTrue(e.getMessage().contains("two arrays are named 'a'"), e.getMessage());
    }

    /** The reference implementation (the safetensors Python package) reads what we write. */
    @Test
    void theSafetensorsLibraryReadsEveryArrayAndTheMetadata() throws Exception {
        Python.assumeModules("numpy", "safetensors");
        ExportFixtures.pythonReadsTheFixtures(dir, "x.safetensors", ArrayArchive.SAFETENSORS::write,
                "from safetensors import safe_open",
                "from safetensors.numpy import load_file",
                "arrays = load_file(sys.argv[1])",
                "with safe_open(sys.argv[1], framework='numpy') as f:",
                "    meta = f.metadata()");
    }

    /** The reader refuses what the writer must never produce, so the round trips above prove something. */
    @Test
    void theReaderIsStrict() {
        byte[] data = new byte[8];
        String t = "\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}";
        assertEquals(1, SafetensorsReader.read(file("{" + t + "}", data)).tensors().size());

        byte[] tooLong = file("{" + t + "}", data);
        tooLong[0] = (byte) 200;
        assertRejected(tooLong, "header length 200 is out of bounds");
        byte[] huge = file("{" + t + "}", data);
        huge[7] = 1;
        assertRejected(huge, "out of bounds");
        assertRejected(file("{" + t + "}", new byte[12]), "cover 8 data bytes but the file holds 12");
        assertRejected(file("{" + t + "}", new byte[4]), "cover 8 data bytes but the file holds 4");
        assertRejected(file("{" + t.replace("[0, 8]", "[4, 12]") + "}", new byte[12]), "begins at 4, expected 0");
        assertRejected(file("{" + t + ", " + t.replace("\"a\"", "\"b\"") + "}", new byte[16]), "begins at 0, expected 8");
        assertRejected(file("{" + t.replace("[2]", "[3]") + "}", data), "needs 12");
        assertRejected(file("{" + t.replace("F32", "F16") + "}", data), "dtype \"F16\"");
        assertRejected(file("{" + t.replace("[2]", "[-2]") + "}", data), "non-negative int");
        assertRejected(file("{" + t.replace("[0, 8]", "[8, 0]") + "}", data), "0 <= BEGIN <= END");
        assertRejected(file("{" + t + ", \"__metadata__\": {\"k\": 1}}", data), "expected a string");
        assertRejected(file("{" + t.replace("}", ", \"extra\": 0}") + "}", data), "exactly dtype");
        assertRejected(file(" {" + t + "}", data), "expected '{'");
        assertRejected(file("{" + t + "}\n", data), "other than spaces");
        assertRejected(file("{" + t + ", " + t + "}", new byte[16]), "Duplicate field 'a'");
    }

    /** A file with {@code header} (padded to 8 bytes) and {@code data}. */
    private static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int n = (h.length + 7) / 8 * 8;
        ByteBuffer bb = ByteBuffer.allocate(8 + n + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(n).put(h);
        byte[] pad = new byte[n - h.length];
        Arrays.fill(pad, (byte) ' ');
        return bb.put(pad).put(data).array();
    }

    private static void assertRejected(byte[] file, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsReader.read(file),
                expected);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** The file is complete in the stream it was given, even a buffered one the caller does not flush. */
    @Test
    void writeToFlushesWhatItWrote() throws IOException {
        ExportFixtures.writtenUnflushed(SafetensorsWriter::writeTo);
    }

    /**
     * The JSON both exports write: keys sorted, ", " and ": " between items, only '"', '\', and
     * control characters escaped (the short forms where JSON has them), a space and DEL left as they are.
     */
    @Test
    void metadataJsonEscapesOnlyWhatJsonRequires() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("z", "a b\u007f");
        m.put("q\"", "\\");
        m.put("c", "\n\r\t\u0000\u001f\u0020");
        assertEquals("{\"c\": \"\\n\\r\\t\\u0000\\u001f \", \"q\\\"\": \"\\\\\", \"z\": \"a b\u007f\"}", Json.object(m));
        assertEquals("{}", Json.object(Map.of()));
    }
}
