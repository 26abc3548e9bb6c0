package org.ebm4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST format), plain or gzipped (recognized by the gzip magic bytes, not by
 * the file name). Header: two zero bytes, a type code ({@code 0x08}: unsigned byte, the only type
 * supported), the number of dimensions (1..3), then one big-endian int32 per dimension, then the
 * data. Every inconsistency is an {@link InvalidDataFileException} naming the file, what was
 * expected and what was found.
 */
public final class IdxReader {
    /** Type code of unsigned bytes. */
    public static final int TYPE_UNSIGNED_BYTE = 0x08;
    private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /** Reads {@code file}, gunzipping it first when it starts with the gzip magic bytes. */
    public static IdxArray read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "IDX file not found (or not a regular file)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, Files.size(file), file.toString());
        }
    }

    /** Reads an IDX stream (plain or gzipped); {@code source} names it in error messages. */
    public static IdxArray read(InputStream raw, String source) throws IOException {
        return read(raw, -1, source);
    }

    /**
     * Reads an IDX stream of {@code size} bytes ({@code -1}: unknown); a plain file's header is
     * checked against it before the data are allocated, so a damaged header cannot claim gigabytes.
     */
    private static IdxArray read(InputStream raw, long size, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        boolean gzipped = b0 == 0x1f && b1 == 0x8b;
        InputStream in = gzipped ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
        String what = gzipped ? source + " (gzipped; sizes are of the decompressed data)" : source;
        try {
            return parse(in, gzipped ? -1 : size, what);
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            // Only the gzip layer throws these: the IDX parser itself reports short reads.
            throw new InvalidDataFileException(source + ": truncated or corrupt gzip data (" + e.getMessage()
                    + "); expected a complete gzip stream holding an IDX file");
        }
    }

    private static IdxArray parse(InputStream in, long size, String source) throws IOException {
        byte[] magic = new byte[4];
        int got = readFully(in, magic, 0, 4);
        if (got < 4) {
            throw new InvalidDataFileException(source + ": truncated IDX header: expected 4 magic bytes, found " + got
                    + " bytes in the whole file");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new InvalidDataFileException(String.format(
                    "%s: bad IDX magic number 0x%02x%02x%02x%02x: an IDX file starts with two zero bytes, a type code "
                            + "and a dimension count (MNIST images: 0x00000803, labels: 0x00000801)",
                    source, magic[0] & 0xFF, magic[1] & 0xFF, magic[2] & 0xFF, magic[3] & 0xFF));
        }
        int type = magic[2] & 0xFF;
        if (type != TYPE_UNSIGNED_BYTE) {
            throw new InvalidDataFileException(String.format(
                    "%s: IDX type code 0x%02x (%s) is not supported: expected 0x08 (unsigned byte)", source, type,
                    typeName(type)));
        }
        int nDims = magic[3] & 0xFF;
        if (nDims < 1 || nDims > 3) {
            throw new InvalidDataFileException(source + ": IDX dimension count " + nDims
                    + " is outside 1..3 (labels have 1, images have 3)");
        }
        byte[] header = new byte[4 * nDims];
        got = readFully(in, header, 0, header.length);
        if (got < header.length) {
            throw new InvalidDataFileException(source + ": truncated IDX header: expected " + header.length
                    + " bytes of dimension sizes for " + nDims + " dimensions, found " + got);
        }
        int[] dims = new int[nDims];
        long product = 1;
        for (int d = 0; d < nDims; d++) {
            int v = ((header[4 * d] & 0xFF) << 24) | ((header[4 * d + 1] & 0xFF) << 16)
                    | ((header[4 * d + 2] & 0xFF) << 8) | (header[4 * d + 3] & 0xFF);
            if (v <= 0) {
                throw new InvalidDataFileException(source + ": IDX dimension " + d + " has size "
                        + Integer.toUnsignedString(v) + "; every size must be in 1.." + Integer.MAX_VALUE);
            }
            dims[d] = v;
            product *= v;
            if (product > MAX_ELEMENTS) {
                throw new InvalidDataFileException(source + ": IDX dimensions " + dimsText(header, nDims)
                        + " declare more than " + MAX_ELEMENTS + " bytes of data, which cannot be held");
            }
        }
        long headerBytes = 4 + header.length;
        if (size >= 0 && product > size - headerBytes) {
            throw new InvalidDataFileException(source + ": truncated: the header declares dimensions "
                    + dimsText(header, nDims) + " = " + product + " data bytes, but only " + (size - headerBytes)
                    + " follow the header (file length " + size + ", expected " + (headerBytes + product) + ")");
        }
        byte[] data = readData(in, (int) product);
        got = data.length;
        if (got < product) {
            throw new InvalidDataFileException(source + ": truncated: the header declares dimensions "
                    + dimsText(header, nDims) + " = " + product + " data bytes, but only " + got
                    + " follow the header (file length " + (4 + header.length + got) + ", expected "
                    + (4 + header.length + product) + ")");
        }
        long extra = 0;
        byte[] skip = new byte[8192];
        int n;
        while ((n = in.read(skip)) > 0) {
            extra += n;
        }
        if (extra > 0) {
            throw new InvalidDataFileException(source + ": file length " + (4 + header.length + product + extra)
                    + " does not match the header: dimensions " + dimsText(header, nDims) + " declare "
                    + (4 + header.length + product) + " bytes, " + extra + " bytes are left over");
        }
        return new IdxArray(source, dims, data);
    }

    private static String dimsText(byte[] header, int nDims) {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < nDims; d++) {
            int v = ((header[4 * d] & 0xFF) << 24) | ((header[4 * d + 1] & 0xFF) << 16)
                    | ((header[4 * d + 2] & 0xFF) << 8) | (header[4 * d + 3] & 0xFF);
            if (d > 0) {
                sb.append('x');
            }
            sb.append(Integer.toUnsignedString(v));
        }
        return sb.toString();
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "int16";
            case 0x0C -> "int32";
            case 0x0D -> "float32";
            case 0x0E -> "float64";
            default -> "unknown";
        };
    }

    /**
     * Up to {@code n} bytes of {@code in}, fewer if it ends first. The array grows with what
     * arrives (doubling from 1 MiB), so a stream whose size is unknown (gzip) cannot make a damaged
     * header allocate more than twice the bytes it really holds.
     */
    private static byte[] readData(InputStream in, int n) throws IOException {
        byte[] data = new byte[Math.min(n, 1 << 20)];
        int got = 0;
        while (got < n) {
            if (got == data.length) {
                data = java.util.Arrays.copyOf(data, (int) Math.min(n, 2L * data.length));
            }
            int k = in.read(data, got, data.length - got);
            if (k < 0) {
                return java.util.Arrays.copyOf(data, got);
            }
            got += k;
        }
        return data;
    }

    /** Reads until {@code len} bytes or end of stream; returns how many were read. */
    private static int readFully(InputStream in, byte[] buf, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = in.read(buf, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
