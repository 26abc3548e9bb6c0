package org.ebm4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files, the tensor format of Hugging Face's {@code safetensors} library
 * (read by {@code safetensors.numpy.load_file}, {@code safetensors.torch.load_file} and other
 * tools without running any code from the file):
 *
 * <pre>
 * N       u64, little-endian: the byte length of the header
 * header  N bytes of UTF-8 JSON:
 *           {"__metadata__": {"KEY": "VALUE", ...},
 *            "NAME": {"dtype": "F32", "shape": [D0, D1, ...], "data_offsets": [BEGIN, END]}, ...}
 *         padded with spaces so that N is a multiple of 8 (the data then start 8-byte aligned)
 * data    every array's float32 values, little-endian, C order; an array's bytes lie at
 *         [BEGIN, END) counted from the first data byte
 * </pre>
 *
 * The arrays appear in the header and in the data in the order given (the format allows any
 * order), back to back from offset 0, so the data have no gaps and end at the end of the file.
 * {@code __metadata__}, a string-to-string map, comes first and is left out when there are no
 * metadata; no array may be named {@value #METADATA_KEY}. {@link ArrayArchive#SAFETENSORS} writes
 * files atomically.
 */
public final class SafetensorsWriter {
    /** The header key of the string metadata. */
    public static final String METADATA_KEY = "__metadata__";
    /** The largest header the reference implementation reads (it refuses larger ones). */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private SafetensorsWriter() {
    }

    /** Writes the file's bytes to {@code out}, which stays open. */
    public static void writeTo(OutputStream out, List<NamedArray> arrays, Map<String, String> metadata)
            throws IOException {
        byte[] header = header(arrays, metadata);
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        for (NamedArray a : arrays) {
            a.writeDataTo(out);
        }
        out.flush();
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    static byte[] header(List<NamedArray> arrays, Map<String, String> metadata) {
        NamedArray.requireUniqueNames(arrays, METADATA_KEY);
        StringBuilder sb = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            Json.string(sb, METADATA_KEY);
            sb.append(": ").append(Json.object(metadata));
        }
        long offset = 0;
        for (NamedArray a : arrays) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            Json.string(sb, a.name());
            String shape = Arrays.toString(a.shape());
            long end = offset + a.byteSize();
            sb.append(": {\"dtype\": \"F32\", \"shape\": ").append(shape)
                    .append(", \"data_offsets\": [").append(offset).append(", ").append(end).append("]}");
            offset = end;
        }
        sb.append('}');
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        if (padded > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("safetensors header of " + padded + " bytes exceeds the "
                    + MAX_HEADER_BYTES + " bytes readers accept: too many arrays or too much metadata");
        }
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }
}
