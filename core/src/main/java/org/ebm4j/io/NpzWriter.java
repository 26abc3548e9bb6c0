package org.ebm4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes NumPy {@code .npz} archives: a zip of {@code NAME.npy} files in the NPY format version
 * 1.0 (magic {@code \x93NUMPY}, version 1 0, a little-endian u16 header length, an ASCII
 * Python-literal header padded with spaces to a multiple of 64 bytes and ending in a newline, then
 * the raw little-endian data in C order). Only plain dtypes are written ({@code <f4} arrays and
 * {@code <U} strings), so {@code numpy.load} reads them with {@code allow_pickle=False}.
 */
public final class NpzWriter {
    private record Item(String name, byte[] npy) {
    }

    private final List<Item> items = new ArrayList<>();

    /** A float32 array of the given shape (C order); {@code data.length} must equal the shape's product. */
    public NpzWriter addFloats(String name, int[] shape, float[] data) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("npz array '" + name + "': shape product " + n + " != " + data.length);
        }
        ByteBuffer bb = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(data);
        items.add(new Item(name, npy("<f4", shape, bb.array())));
        return this;
    }

    /** A 0-d unicode string array ({@code <U<n>}, UTF-32LE as NumPy stores it). */
    public NpzWriter addString(String name, String value) {
        int[] cps = value.codePoints().toArray();
        ByteBuffer bb = ByteBuffer.allocate(4 * Math.max(cps.length, 1)).order(ByteOrder.LITTLE_ENDIAN);
        for (int cp : cps) {
            bb.putInt(cp);
        }
        items.add(new Item(name, npy("<U" + Math.max(cps.length, 1), new int[0], bb.array())));
        return this;
    }

    /** A flat string map as a JSON object in a 0-d unicode string (see {@link #addString}). */
    public NpzWriter addJsonObject(String name, java.util.Map<String, String> value) {
        return addString(name, Json.object(value));
    }

    static byte[] npy(String descr, int[] shape, byte[] data) {
        StringBuilder shp = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            shp.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        }
        shp.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shp + ", }";
        int preamble = 6 + 2 + 2;
        int total = preamble + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        StringBuilder header = new StringBuilder(dict);
        while (preamble + header.length() + 1 < padded) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(preamble + h.length + data.length);
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(0);
        out.write(h.length & 0xFF);
        out.write((h.length >>> 8) & 0xFF);
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    public void writeTo(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Item it : items) {
            ZipEntry e = new ZipEntry(it.name() + ".npy");
            e.setTime(0L); // reproducible archives
            zip.putNextEntry(e);
            zip.write(it.npy());
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }
}
