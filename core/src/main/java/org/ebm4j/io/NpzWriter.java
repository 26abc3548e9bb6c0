package org.ebm4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes NumPy {@code .npz} archives that hold numeric arrays only, so that {@code numpy.load}
 * reads them with {@code allow_pickle=False} and readers that know only numeric dtypes (DJL's
 * {@code NDList.decode}, for one) read them too.
 *
 * <p>The archive is a zip of {@code NAME.npy} entries, one per {@link NamedArray} in the given
 * order, each in the NPY format version 1.0: magic {@code \x93NUMPY}, version bytes 1 0, a
 * little-endian u16 header length, an ASCII Python-literal header
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (...), }} padded with spaces to a
 * multiple of 64 bytes and ending in a newline, then the raw little-endian float32 data in C order.
 *
 * <p>The string metadata travel inside the archive, as the last entry {@value #METADATA_ENTRY}:
 * a 1-D {@code |u1} (uint8) array holding a UTF-8 JSON object of string keys and string values.
 * In Python: {@code json.loads(z["metadata_json"].tobytes())}. No string ({@code <U}) or object
 * dtype is ever written. No array may be named {@value #METADATA_ENTRY}.
 *
 * <p>{@link ArrayArchive#NPZ} writes files atomically; entries are deflated and carry a fixed
 * timestamp, so equal content gives equal bytes.
 */
public final class NpzWriter {
    /** The entry (without {@code .npy}) that holds the metadata as UTF-8 JSON bytes. */
    public static final String METADATA_ENTRY = "metadata_json";
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;

    private NpzWriter() {
    }

    /** Writes the archive to {@code out}, which stays open. */
    public static void writeTo(OutputStream out, List<NamedArray> arrays, Map<String, String> metadata)
            throws IOException {
        NamedArray.requireUniqueNames(arrays, METADATA_ENTRY);
        ZipOutputStream zip = new ZipOutputStream(out);
        for (NamedArray a : arrays) {
            putEntry(zip, a.name());
            zip.write(header("<f4", a.shape()));
            a.writeDataTo(zip);
            zip.closeEntry();
        }
        byte[] json = Json.object(metadata).getBytes(StandardCharsets.UTF_8);
        putEntry(zip, METADATA_ENTRY);
        zip.write(header("|u1", new int[] {json.length}));
        zip.write(json);
        zip.closeEntry();
        zip.finish();
        zip.flush();
    }

    private static void putEntry(ZipOutputStream zip, String name) throws IOException {
        ZipEntry e = new ZipEntry(name + ".npy");
        e.setTime(0L); // reproducible archives
        zip.putNextEntry(e);
    }

    /** The NPY 1.0 preamble and header for an array of {@code descr} and {@code shape}, C order. */
    static byte[] header(String descr, int[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr)
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            dict.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        }
        dict.append("), }");
        int preamble = MAGIC.length + 2 + 2;
        int padded = (preamble + dict.length() + 1 + ALIGN - 1) / ALIGN * ALIGN;
        int headerLength = padded - preamble;
        if (headerLength > 0xFFFF) {
            throw new IllegalArgumentException("NPY 1.0 header of " + headerLength + " bytes exceeds 65535: the shape "
                    + "has too many dimensions (" + shape.length + ")");
        }
        while (dict.length() + 1 < headerLength) {
            dict.append(' ');
        }
        dict.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream(padded);
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        out.write(headerLength & 0xFF);
        out.write(headerLength >>> 8);
        out.writeBytes(dict.toString().getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
