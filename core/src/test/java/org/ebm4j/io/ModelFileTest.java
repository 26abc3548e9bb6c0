package org.ebm4j.io;

import org.ebm4j.rbm.RbmModelFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Standardization;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.rbm.VisibleType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    static RbmParameters sampleParameters(VisibleType type, int nv, int nh) {
        float[] w = new float[nv * nh];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i * 1.7) * (i % 3 == 0 ? 1e-30f : 3f);
        }
        float[] b = new float[nv];
        for (int i = 0; i < nv; i++) {
            b[i] = -i * 0.25f;
        }
        float[] c = new float[nh];
        c[0] = -0.0f;
        if (nh > 1) {
            c[1] = Float.MIN_VALUE;
        }
        return new RbmParameters(type, nv, nh, w, b, c);
    }

    private static byte[] bytes(ModelFile f) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        f.writeTo(bos);
        return bos.toByteArray();
    }

    private static ModelFile parse(byte[] b) throws IOException {
        return ModelFile.read(new ByteArrayInputStream(b), b.length, "m.ebm");
    }

    private static String error(byte[] b) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> parse(b));
        assertTrue(e.getMessage().startsWith("m.ebm: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void rbmRoundTripIsBitExact() throws IOException {
        RbmParameters p = sampleParameters(VisibleType.GAUSSIAN, 7, 5);
        Standardization st = new Standardization(new float[] {0, 1, 2, 3, 4, 5, 6}, new float[] {1, 1, 1, 2, 2, 2, 0.5f});
        float[] means = {0.5f, -1f, 2f, 0f, 1e-3f, 7f, -0.25f};
        RbmModelFile m = new RbmModelFile(p, Map.of("train.lr", "0.01", "note", "ünïcödé \"quoted\""), st, means,
                Binarization.stochastic(42));
        Path file = dir.resolve("model.ebm");
        m.write(file);
        assertFalse(Files.exists(dir.resolve("model.ebm.tmp")), "temporary file removed by the rename");
        RbmModelFile back = RbmModelFile.read(file);
        assertEquals(p, back.parameters());
        for (int i = 0; i < p.weights().length; i++) {
            assertEquals(Float.floatToRawIntBits(p.weights()[i]), Float.floatToRawIntBits(back.parameters().weights()[i]));
        }
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(back.parameters().hiddenBias()[0]));
        assertEquals("0.01", back.metadata().get("train.lr"));
        assertEquals("ünïcödé \"quoted\"", back.metadata().get("note"));
        assertEquals("gaussian", back.metadata().get("rbm.visible_type"));
        assertArrayEquals(st.mean(), back.standardization().mean());
        assertArrayEquals(st.std(), back.standardization().std());
        assertArrayEquals(means, back.visibleMeans());
        assertEquals(Binarization.stochastic(42), back.binarization());
    }

    @Test
    void nanPayloadsSurvive() throws IOException {
        float nan = Float.intBitsToFloat(0x7fc00123);
        ModelFile f = new ModelFile().putTensor("x", 1, 3, new float[] {nan, Float.NEGATIVE_INFINITY, 1f});
        ModelFile back = parse(bytes(f));
        assertEquals(0x7fc00123, Float.floatToRawIntBits(back.tensors().get("x").data()[0]));
    }

    private byte[] small() throws IOException {
        return bytes(new RbmModelFile(sampleParameters(VisibleType.BERNOULLI, 3, 2), Map.of("k", "v")).toModelFile());
    }

    @Test
    void badMagic() throws IOException {
        byte[] b = small();
        b[1] = 'X';
        assertTrue(error(b).contains("not an ebm4j model file: bad magic 8958424d"));
        byte[] text = "hello, this is not a model at all".getBytes();
        assertTrue(error(text).contains("bad magic"));
    }

    /** Valid CRCs prove the bytes are the ones written, not that they are usable parameters. */
    @Test
    void nonFiniteParametersAreRefusedOnLoadNamingTheTensor() throws IOException {
        RbmParameters p = sampleParameters(VisibleType.BERNOULLI, 3, 2);
        float[] w = p.weights();
        w[3] = Float.POSITIVE_INFINITY;
        ModelFile f = new RbmModelFile(new RbmParameters(VisibleType.BERNOULLI, 3, 2, w, p.visibleBias(),
                p.hiddenBias()), Map.of()).toModelFile();
        ModelFile back = parse(bytes(f));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> RbmModelFile.from(back, "m.ebm"));
        assertEquals("m.ebm: tensor 'W' (3x2) holds Infinity at row 1, column 1; a model's parameters must be finite "
                + "(did its training diverge?)", e.getMessage());
    }

    /** A damaged name length must not turn the tensor data into a name printed in the message. */
    @Test
    void aDamagedNameLengthIsRefusedBeforeTheNameIsRead() throws IOException {
        byte[] b = bytes(new ModelFile().putMetadata("model", "x").putTensor("W", 1, 1, new float[] {1}));
        int nameLength = b.length - 8 - 4 - 4 - 4 - 4 - 1 - 2;
        assertEquals(1, b[nameLength]);
        b[nameLength + 1] = (byte) 0xEE;
        assertEquals("m.ebm: tensor 0 has a name of 60929 bytes, over the limit of 256 (corrupt file?)", error(b));
    }

    @Test
    void longAndUnprintableNamesArePrintedEscapedAndShortened() {
        ModelFile f = new ModelFile().putMetadata("model", "a\nb\u0007" + "x".repeat(300));
        String e = assertThrows(ModelFormatException.class, () -> f.requireModel("rbm", "an RBM", "m.ebm")).getMessage();
        assertTrue(e.startsWith("m.ebm: holds a 'a\\nb\\u0007xxx"), e);
        assertTrue(e.contains("... (304 characters) model, expected an RBM ('rbm')"), e);
        assertThrows(IllegalArgumentException.class, () -> new ModelFile().putTensor("n".repeat(257), 1, 1,
                new float[1]));
    }

    @Test
    void unknownVersion() throws IOException {
        byte[] b = small();
        b[8] = 2;
        String m = error(b);
        assertTrue(m.contains("unknown model file version 2") && m.contains("reads version 1"), m);
    }

    @Test
    void crcMismatchNamesTheTensor() throws IOException {
        byte[] b = small();
        // Tensors are stored sorted by name, so the last is vbias (1x3): its data end at the end marker.
        b[b.length - 8 - 3] ^= 0x10;
        String m = error(b);
        assertTrue(m.contains("CRC mismatch in tensor 'vbias' (1x3)"), m);
    }

    @Test
    void metadataCrcMismatch() throws IOException {
        byte[] b = small();
        b[20] ^= 1; // inside the metadata block
        assertTrue(error(b).contains("metadata CRC mismatch"));
    }

    @Test
    void everyTruncationIsReportedAsSuch() throws IOException {
        byte[] b = small();
        for (int len = 0; len < b.length; len++) {
            String m = error(Arrays.copyOf(b, len));
            assertTrue(m.contains("truncated"), "prefix of " + len + " bytes: " + m);
        }
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] b = small();
        assertTrue(error(Arrays.copyOf(b, b.length + 2)).contains("2 unexpected bytes after the end marker"));
    }

    @Test
    void overflowingShapeIsRejectedBeforeAllocation() throws IOException {
        byte[] b = bytes(new ModelFile().putTensor("big", 2, 2, new float[4]));
        int at = indexOf(b, "big".getBytes()) + 3;
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(at, 0x10000);
        bb.putInt(at + 4, 0x10000);
        String m = error(b);
        assertTrue(m.contains("tensor 'big' has shape 65536x65536") && m.contains("overflows"), m);
        bb.putInt(at, -1);
        bb.putInt(at + 4, 3);
        assertTrue(error(b).contains("shape 4294967295x3"));
        bb.putInt(at, 1000);
        bb.putInt(at + 4, 1000);
        String t = error(b);
        assertTrue(t.contains("truncated") && t.contains("1000x1000 data of tensor 'big'"), t);
    }

    @Test
    void missingTensorOrWrongKind() throws IOException {
        ModelFile f = new ModelFile().putMetadata("model", "hopfield");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> RbmModelFile.from(parse(bytes(f)), "x"));
        assertTrue(e.getMessage().contains("holds a 'hopfield' model"));
        ModelFile g = new RbmModelFile(sampleParameters(VisibleType.BERNOULLI, 3, 2), Map.of()).toModelFile();
        g.putMetadata("rbm.hidden", "4");
        e = assertThrows(ModelFormatException.class, () -> RbmModelFile.from(parse(bytes(g)), "x"));
        assertTrue(e.getMessage().contains("tensor 'W' is 3x2 but the metadata asks for 3x4"), e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /**
     * A tensor larger than the 16,384 floats the writer and reader move at a time (two full
     * buffers and 7 floats more) round-trips bit for bit, and its bytes and CRC in the file are
     * those written out here with the JDK alone: little-endian float32 after a CRC32 of the name,
     * the little-endian rows and columns, and the data, with the end marker last.
     */
    @Test
    void aTensorSpanningSeveralBuffersIsWrittenAndReadWhole() throws IOException {
        int rows = 3;
        int cols = 10_925;
        float[] d = new float[rows * cols];
        for (int k = 0; k < d.length; k++) {
            d[k] = k * 0.5f - 7f + (k % 3) * 1e-3f;
        }
        byte[] file = bytes(new ModelFile().putMetadata("model", "test").putTensor("big", rows, cols, d));
        ByteBuffer data = ByteBuffer.allocate(4 * d.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : d) {
            data.putFloat(v);
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("big".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(rows).putInt(cols).array());
        crc.update(data.array());
        int dataEnd = file.length - 8;
        int dataStart = dataEnd - data.capacity();
        assertEquals("EBM4JEND", new String(file, dataEnd, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertArrayEquals(data.array(), Arrays.copyOfRange(file, dataStart, dataEnd), "the data bytes");
        assertEquals((int) crc.getValue(), ByteBuffer.wrap(file, dataStart - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(),
                "the tensor's CRC");
        ModelFile.Entry back = parse(file).tensors().get("big");
        assertEquals(rows, back.rows());
        assertEquals(cols, back.cols());
        assertArrayEquals(d, back.data());
    }

    /** Little-endian u32, written out here with the JDK alone. */
    private static byte[] u32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static final byte[] MAGIC = {(byte) 0x89, 'E', 'B', 'M', '4', 'J', '\r', '\n'};

    /**
     * The first 28 bytes of a file as the format describes it (magic, version 1, the metadata block with
     * its length and CRC32), then the tensor count {@code tensors}, then {@code tail}.
     */
    private static byte[] fileWith(byte[] metadataBlock, long tensors, byte[] tail) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(metadataBlock);
        return concat(MAGIC, u32(1), u32(metadataBlock.length), metadataBlock, u32(crc.getValue()), u32(tensors), tail);
    }

    /** An empty metadata block: a count of 0. */
    private static final byte[] NO_METADATA = {0, 0, 0, 0};

    /** Names and keys of exactly the limit round-trip, with the u16 length's high byte; one byte more is refused. */
    @Test
    void namesAndKeysOfExactly256BytesRoundTripAndLongerOnesAreRefused() throws IOException {
        String key = "k".repeat(256);
        String name = "\u00e9".repeat(128); // two UTF-8 bytes each
        byte[] file = bytes(new ModelFile().putMetadata(key, "v").putTensor(name, 1, 1, new float[] {2.5f}));
        int at = indexOf(file, name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(0, file[at - 2], "u16 256, low byte");
        assertEquals(1, file[at - 1], "u16 256, high byte");
        ModelFile back = parse(file);
        assertEquals(Map.of(key, "v"), back.metadata());
        assertArrayEquals(new float[] {2.5f}, back.tensors().get(name).data());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelFile().putMetadata(key + "k", "v"));
        assertTrue(e.getMessage().startsWith("metadata key 'kkk") && e.getMessage().endsWith(
                " is longer than 256 UTF-8 bytes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ModelFile().putMetadata(Map.of(key + "k", "v")));
        assertTrue(e.getMessage().startsWith("metadata key "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ModelFile().putTensor(name + "x", 1, 1, new float[1]));
        assertTrue(e.getMessage().startsWith("tensor name ") && e.getMessage().endsWith(
                " is longer than 256 UTF-8 bytes"), e.getMessage());
    }

    /** {@code writeTo} leaves nothing in a buffered stream it was given: the caller need not flush. */
    @Test
    void writeToFlushesWhatItWrote() throws IOException {
        ModelFile f = new ModelFile().putMetadata("model", "x").putTensor("t", 1, 3, new float[] {1, 2, 3});
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        f.writeTo(new java.io.BufferedOutputStream(raw, 1 << 16));
        assertArrayEquals(bytes(f), raw.toByteArray());
    }

    /** Full buffers, then the tail; never an empty chunk, so a sink need not expect one. */
    @Test
    void chunksAreFullBuffersThenTheTail() throws IOException {
        for (int n : new int[] {0, 1, 4, 5}) {
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                d[i] = i + 0.5f;
            }
            java.util.List<Integer> lengths = new java.util.ArrayList<>();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ModelFile.forEachChunk(d, new byte[8], (b, len) -> {
                lengths.add(len);
                all.write(b, 0, len);
            });
            java.util.List<Integer> expected = new java.util.ArrayList<>();
            for (int left = 4 * n; left > 0; left -= 8) {
                expected.add(Math.min(8, left));
            }
            assertEquals(expected, lengths, n + " floats");
            ByteBuffer le = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : d) {
                le.putFloat(v);
            }
            assertArrayEquals(le.array(), all.toByteArray(), n + " floats");
        }
    }

    @Test
    void theMetadataLengthLimitIs16MiB() {
        byte[] atLimit = concat(MAGIC, u32(1), u32(16 << 20));
        assertEquals("m.ebm: truncated: the metadata block needs 16777216 bytes at offset 16 but the file has only 0 "
                + "left (file size 16)", error(atLimit));
        byte[] over = concat(MAGIC, u32(1), u32((16 << 20) + 1));
        assertEquals("m.ebm: metadata length 16777217 exceeds the limit of 16777216 bytes (corrupt file?)", error(over));
    }

    /** Each tensor takes at least 18 bytes (name length, rows, cols, CRC, one float), the end marker 8. */
    @Test
    void theTensorCountIsCheckedAgainstItsLimitAndTheFileSize() {
        assertEquals("m.ebm: truncated: 65536 tensors of at least 18 bytes each and the end marker needs 1179656 "
                + "bytes at offset 28 but the file has only 0 left (file size 28)",
                error(fileWith(NO_METADATA, 65536, new byte[0])));
        assertEquals("m.ebm: tensor count 65537 exceeds the limit of 65536 (corrupt file?)",
                error(fileWith(NO_METADATA, 65537, new byte[0])));
        assertEquals("m.ebm: truncated: 3 tensors of at least 18 bytes each and the end marker needs 62 bytes at "
                + "offset 28 but the file has only 61 left (file size 89)", error(fileWith(NO_METADATA, 3, new byte[61])));
    }

    /** A tensor header: name length, name, rows, cols, CRC (here 0). */
    private static byte[] tensorHeader(String name, long rows, long cols) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return concat(new byte[] {(byte) n.length, (byte) (n.length >>> 8)}, n, u32(rows), u32(cols), u32(0));
    }

    /**
     * 2^31 - 9 elements (the largest Java array the JVM allocates) pass the shape check and are refused
     * for the missing data; one more element overflows, and the message prints the count unwrapped.
     */
    @Test
    void theElementLimitIsTheLargestArrayAndItsMessageShowsTheCount() {
        byte[] atLimit = fileWith(NO_METADATA, 1, concat(tensorHeader("x", 1, 2147483639L), new byte[11]));
        assertEquals("m.ebm: truncated: the 1x2147483639 data of tensor 'x' needs 8589934556 bytes at offset 43 but "
                + "the file has only 11 left (file size 54)", error(atLimit));
        byte[] over = fileWith(NO_METADATA, 1, concat(tensorHeader("x", 1, 2147483640L), new byte[11]));
        assertEquals("m.ebm: tensor 'x' has shape 1x2147483640 whose element count 2147483640 overflows the limit of "
                + "2147483639 (corrupt file?)", error(over));
        byte[] square = fileWith(NO_METADATA, 1, concat(tensorHeader("x", 65536, 65536), new byte[11]));
        assertEquals("m.ebm: tensor 'x' has shape 65536x65536 whose element count 4294967296 overflows the limit of "
                + "2147483639 (corrupt file?)", error(square));
        byte[] empty = fileWith(NO_METADATA, 1, concat(tensorHeader("x", 0, 3), new byte[11]));
        assertEquals("m.ebm: tensor 'x' has shape 0x3; both dimensions must be positive", error(empty));
    }

    /** A block declaring n entries needs 6 bytes for each (key and value lengths) before any is read. */
    @Test
    void aMetadataBlockTooShortForItsEntryCountIsRefusedBeforeParsing() throws IOException {
        byte[] block = concat(u32(2), new byte[11]);
        assertEquals("m.ebm: metadata block declares 2 entries but has only 11 bytes for them (corrupt file?)",
                error(fileWith(block, 0, "EBM4JEND".getBytes())));
        // Twelve bytes hold two entries with empty keys and values; the second replaces the first.
        ModelFile twoEmpty = parse(fileWith(concat(u32(2), new byte[12]), 0, "EBM4JEND".getBytes()));
        assertEquals(Map.of("", ""), twoEmpty.metadata());
        assertEquals(Map.of(), twoEmpty.tensors());
    }

    @Test
    void anEntryMustHoldRowsTimesColsValuesAndBothPositive() {
        for (int[] shape : new int[][] {{0, 3}, {3, 0}, {0, 0}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ModelFile.Entry("x", shape[0], shape[1], new float[0]));
            assertEquals("tensor 'x' is " + shape[0] + "x" + shape[1] + " but holds 0 values", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelFile.Entry("x", 2, 3, new float[5]));
        assertEquals("tensor 'x' is 2x3 but holds 5 values", e.getMessage());
    }

    /**
     * One tensor 't' (1x3) and no metadata: 28 bytes before the tensors, its header to offset 43, its
     * data to 55, the end marker to 63. A file cut at 54 lacks a data byte, one cut at 60 part of the
     * end marker; each message says what was being read, where, and how much was there.
     */
    @Test
    void truncationMessagesSayWhatWhereAndHowMuch() throws IOException {
        byte[] b = bytes(new ModelFile().putTensor("t", 1, 3, new float[] {1, 2, 3}));
        assertEquals(63, b.length);
        assertEquals("m.ebm: truncated: the 1x3 data of tensor 't' needs 12 bytes at offset 43 but the file has only "
                + "11 left (file size 54)", error(Arrays.copyOf(b, 54)));
        assertEquals("m.ebm: truncated: the end marker needs 8 bytes at offset 55 but the file has only 5 left (file "
                + "size 60)", error(Arrays.copyOf(b, 60)));
        // A stream that ends before the size it was announced with: the end marker breaks off at offset 60.
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.read(new ByteArrayInputStream(Arrays.copyOf(b, 60)), 63, "m.ebm"));
        assertEquals("m.ebm: truncated while reading the end marker at offset 60", e.getMessage());
    }

    /** A stream may return fewer bytes than asked (a socket, a pipe): the reader keeps reading. */
    @Test
    void aStreamDeliveringThreeBytesAtATimeReadsTheSame() throws IOException {
        float[] d = new float[20_000];
        for (int i = 0; i < d.length; i++) {
            d[i] = i * 0.25f - 3f;
        }
        byte[] b = bytes(new ModelFile().putMetadata("model", "x").putTensor("t", 2, 10_000, d));
        java.io.InputStream trickle = new java.io.FilterInputStream(new ByteArrayInputStream(b)) {
            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                return super.read(buf, off, Math.min(len, 3));
            }
        };
        ModelFile back = ModelFile.read(trickle, b.length, "m.ebm");
        assertEquals(Map.of("model", "x"), back.metadata());
        assertArrayEquals(d, back.tensors().get("t").data());
    }
}
