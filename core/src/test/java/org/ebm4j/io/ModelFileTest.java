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
}
