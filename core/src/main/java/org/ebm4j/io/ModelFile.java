package org.ebm4j.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.ebm4j.data.Printable;

/**
 * The ebm4j model file: string metadata and named float32 matrices, with integrity checks. No
 * Java serialization; every number is little-endian. Metadata entries and tensors are written
 * sorted by name, so a file's bytes are a function of its content: two runs with the same options
 * and seed (and a resumed run and an uninterrupted one) can be compared with {@code cmp} or
 * {@code sha256sum}.
 *
 * <pre>
 * magic     8 bytes  0x89 'E' 'B' 'M' '4' 'J' '\r' '\n'  (the high byte and CR LF catch 7-bit and text-mode damage)
 * version   u32      {@value #VERSION}
 * metaLen   u32      byte length of the metadata block
 * metadata  metaLen  u32 count, then count x (u16 key length, UTF-8 key, u32 value length, UTF-8 value)
 * metaCrc   u32      CRC32 of the metadata block
 * tensors   u32      count, then per tensor:
 *                      u16 name length, UTF-8 name, u32 rows, u32 cols,
 *                      u32 CRC32 of (name bytes, rows, cols, data bytes),
 *                      rows*cols float32 (row-major)
 * end       8 bytes  "EBM4JEND"
 * </pre>
 *
 * A reader rejects, with a {@link ModelFormatException} naming the file: a bad magic, an
 * unknown version, a CRC mismatch (naming the tensor), a truncated file (saying what was being
 * read and how many bytes were missing), shapes whose element count overflows, and trailing
 * garbage.
 */
public final class ModelFile {
    static final byte[] MAGIC = {(byte) 0x89, 'E', 'B', 'M', '4', 'J', '\r', '\n'};
    static final byte[] END = {'E', 'B', 'M', '4', 'J', 'E', 'N', 'D'};
    /** The format version this build writes and the newest it reads. */
    public static final int VERSION = 1;
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int MAX_METADATA_BYTES = 16 << 20;
    private static final int MAX_TENSORS = 1 << 16;
    /** The longest tensor name or metadata key, in UTF-8 bytes: names are identifiers, not payload. */
    public static final int MAX_NAME_BYTES = 256;
    /** The fewest bytes a tensor takes: name length, rows, cols, CRC and one float. */
    private static final int MIN_TENSOR_BYTES = 2 + 4 + 4 + 4 + 4;
    /** The fewest bytes a metadata entry takes: key length and value length. */
    private static final int MIN_ENTRY_BYTES = 2 + 4;

    /** A named {@code rows x cols} float matrix, row-major. */
    public record Entry(String name, int rows, int cols, float[] data) {
        public Entry {
            Objects.requireNonNull(name, "name");
            if (rows <= 0 || cols <= 0 || (long) rows * cols != data.length) {
                throw new IllegalArgumentException("tensor '" + name + "' is " + rows + "x" + cols + " but holds "
                        + data.length + " values");
            }
        }
    }

    // Sorted by name, not by insertion: the bytes of a file then depend only on its content, never on
    // the iteration order of the map a caller built it from, so equal runs give equal files.
    private final Map<String, String> metadata = new TreeMap<>();
    private final Map<String, Entry> tensors = new TreeMap<>();

    public ModelFile putMetadata(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        requireShortName("metadata key", key);
        metadata.put(key, value);
        return this;
    }

    public ModelFile putMetadata(Map<String, String> entries) {
        entries.forEach(this::putMetadata);
        return this;
    }

    public ModelFile putTensor(String name, int rows, int cols, float[] data) {
        requireShortName("tensor name", name);
        tensors.put(name, new Entry(name, rows, cols, data));
        return this;
    }

    private static void requireShortName(String what, String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException(what + " " + Printable.quote(name) + " is longer than "
                    + MAX_NAME_BYTES + " UTF-8 bytes");
        }
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public Map<String, Entry> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** The metadata value, or an error naming the missing key and the file. */
    public String require(String key, String source) throws ModelFormatException {
        String v = metadata.get(key);
        if (v == null) {
            throw new ModelFormatException(source + ": metadata entry '" + key + "' is missing");
        }
        return v;
    }

    /**
     * This file, after checking that its {@code model} entry is {@code kind}; otherwise an error
     * {@code "<source>: holds a '<found>' model, expected <what> ('<kind>')"}.
     *
     * @param what the kind in words, with its article (for example {@code "an RBM"})
     */
    public ModelFile requireModel(String kind, String what, String source) throws ModelFormatException {
        String found = require("model", source);
        if (!kind.equals(found)) {
            throw new ModelFormatException(source + ": holds a " + Printable.quote(found) + " model, expected " + what
                    + " ('" + kind + "')");
        }
        return this;
    }

    /**
     * The metadata value of {@code key} as {@code parse} reads it; a missing entry, or one {@code parse}
     * refuses, is an error {@code "<source>: malformed <what> metadata: <why>"}.
     *
     * @param what the model in words (for example {@code "RBM"})
     */
    public <T> T parse(String key, Function<String, T> parse, String what, String source) throws ModelFormatException {
        String v = require(key, source);
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": malformed " + what + " metadata: " + key + "="
                    + Printable.quote(v) + ": " + e.getMessage());
        }
    }

    /** The tensor, which must exist with the given shape. */
    public Entry tensor(String name, int rows, int cols, String source) throws ModelFormatException {
        Entry e = tensors.get(name);
        if (e == null) {
            throw new ModelFormatException(source + ": tensor '" + name + "' is missing (found "
                    + Printable.quote(String.join(", ", tensors.keySet())) + ")");
        }
        if (e.rows() != rows || e.cols() != cols) {
            throw new ModelFormatException(source + ": tensor '" + name + "' is " + e.rows() + "x" + e.cols()
                    + " but the metadata asks for " + rows + "x" + cols);
        }
        requireFinite(e, source);
        return e;
    }

    /**
     * Refuses a tensor holding NaN or an infinity, naming it and the first bad element: the CRCs
     * only prove the bytes are the ones written, and a model that diverged before it was saved would
     * otherwise load and evaluate to NaN everywhere.
     */
    public static void requireFinite(Entry e, String source) throws ModelFormatException {
        float[] d = e.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                throw new ModelFormatException(source + ": tensor " + Printable.quote(e.name()) + " (" + e.rows() + "x"
                        + e.cols() + ") holds " + d[i] + " at row " + i / e.cols() + ", column " + i % e.cols()
                        + "; a model's parameters must be finite (did its training diverge?)");
            }
        }
    }

    // ---- writing ------------------------------------------------------------------------------

    /** Writes the file atomically (temporary file, fsync, rename). */
    public void write(Path path) throws IOException {
        AtomicFiles.write(path, this::writeTo);
    }

    public void writeTo(OutputStream out) throws IOException {
        ByteArrayOutputStream metaBytes = new ByteArrayOutputStream();
        LeWriter meta = new LeWriter(metaBytes);
        meta.u32(metadata.size());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            meta.u16(k.length);
            meta.bytes(k);
            meta.u32(v.length);
            meta.bytes(v);
        }
        byte[] mb = metaBytes.toByteArray();
        LeWriter w = new LeWriter(out);
        w.bytes(MAGIC);
        w.u32(VERSION);
        w.u32(mb.length);
        w.bytes(mb);
        w.u32((int) crc(mb));
        w.u32(tensors.size());
        byte[] buf = new byte[1 << 16];
        for (Entry t : tensors.values()) {
            byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
            w.u16(name.length);
            w.bytes(name);
            w.u32(t.rows());
            w.u32(t.cols());
            CRC32 crc = tensorCrcStart(name, t.rows(), t.cols());
            float[] d = t.data();
            // First pass computes the CRC, so it can precede the data in the file.
            forEachChunk(d, buf, (b, len) -> crc.update(b, 0, len));
            w.u32((int) crc.getValue());
            forEachChunk(d, buf, (b, len) -> w.bytes(b, len));
        }
        w.bytes(END);
        w.flush();
    }

    interface ChunkSink {
        void accept(byte[] buf, int len) throws IOException;
    }

    /** Hands {@code d} to {@code sink} as little-endian float32 bytes, {@code buf.length} at a time. */
    static void forEachChunk(float[] d, byte[] buf, ChunkSink sink) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        int per = buf.length / 4;
        for (int i = 0; i < d.length; i += per) {
            int n = Math.min(per, d.length - i);
            bb.clear();
            bb.asFloatBuffer().put(d, i, n);
            sink.accept(buf, n * 4);
        }
    }

    private static CRC32 tensorCrcStart(byte[] name, int rows, int cols) {
        CRC32 crc = new CRC32();
        crc.update(name);
        ByteBuffer bb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(rows).putInt(cols);
        crc.update(bb.array());
        return crc;
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    // ---- reading ------------------------------------------------------------------------------

    public static ModelFile read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "model file not found (or not a regular file)");
        }
        long size = Files.size(path);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            return read(in, size, path.toString());
        }
    }

    /** Reads a model of {@code size} bytes from {@code in}; {@code source} names it in errors. */
    public static ModelFile read(InputStream in, long size, String source) throws IOException {
        LeReader r = new LeReader(in, size, source);
        byte[] magic = r.bytes(8, "the magic number");
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new ModelFormatException(source + ": not an ebm4j model file: bad magic " + hex(magic)
                    + ", expected " + hex(MAGIC));
        }
        long version = r.u32("the format version");
        if (version != VERSION) {
            throw new ModelFormatException(source + ": unknown model file version " + version + "; this build of ebm4j "
                    + "reads version " + VERSION + " (a newer ebm4j may read it)");
        }
        long metaLen = r.u32("the metadata length");
        if (metaLen > MAX_METADATA_BYTES) {
            throw new ModelFormatException(source + ": metadata length " + metaLen + " exceeds the limit of "
                    + MAX_METADATA_BYTES + " bytes (corrupt file?)");
        }
        byte[] mb = r.bytes((int) metaLen, "the metadata block");
        long storedMetaCrc = r.u32("the metadata CRC");
        if (storedMetaCrc != crc(mb)) {
            throw new ModelFormatException(String.format("%s: metadata CRC mismatch: stored %08x, computed %08x "
                    + "(the file is corrupt)", source, storedMetaCrc, crc(mb)));
        }
        ModelFile mf = new ModelFile();
        parseMetadata(mb, mf, source);
        long count = r.u32("the tensor count");
        if (count > MAX_TENSORS) {
            throw new ModelFormatException(source + ": tensor count " + count + " exceeds the limit of " + MAX_TENSORS
                    + " (corrupt file?)");
        }
        r.require(count * MIN_TENSOR_BYTES + END.length, count + " tensors of at least " + MIN_TENSOR_BYTES
                + " bytes each and the end marker");
        byte[] buf = new byte[1 << 16];
        for (long t = 0; t < count; t++) {
            int nameLen = r.u16("the name length of tensor " + t);
            if (nameLen > MAX_NAME_BYTES) {
                throw new ModelFormatException(source + ": tensor " + t + " has a name of " + nameLen
                        + " bytes, over the limit of " + MAX_NAME_BYTES + " (corrupt file?)");
            }
            byte[] nameBytes = r.bytes(nameLen, "the name of tensor " + t);
            // Quoted (escaped, shortened) once here: every message below prints it.
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            String shown = Printable.quote(name);
            long rows = r.u32("the rows of tensor " + shown);
            long cols = r.u32("the cols of tensor " + shown);
            if (rows == 0 || cols == 0) {
                throw new ModelFormatException(source + ": tensor " + shown + " has shape " + rows + "x" + cols
                        + "; both dimensions must be positive");
            }
            if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE || rows * cols > MAX_ELEMENTS) {
                throw new ModelFormatException(source + ": tensor " + shown + " has shape " + rows + "x" + cols
                        + " whose element count " + Long.toUnsignedString(rows * cols) + " overflows the limit of "
                        + MAX_ELEMENTS + " (corrupt file?)");
            }
            long stored = r.u32("the CRC of tensor " + shown);
            int n = (int) (rows * cols);
            r.require(4L * n, "the " + rows + "x" + cols + " data of tensor " + shown);
            float[] data = new float[n];
            CRC32 crc = tensorCrcStart(nameBytes, (int) rows, (int) cols);
            ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
            int per = buf.length / 4;
            for (int i = 0; i < n; i += per) {
                int m = Math.min(per, n - i);
                r.readInto(buf, m * 4, "the data of tensor " + shown);
                crc.update(buf, 0, m * 4);
                bb.clear();
                bb.asFloatBuffer().get(data, i, m);
            }
            if (crc.getValue() != stored) {
                throw new ModelFormatException(String.format("%s: CRC mismatch in tensor %s (%dx%d): stored %08x, "
                        + "computed %08x (the file is corrupt)", source, shown, rows, cols, stored, crc.getValue()));
            }
            if (mf.tensors.containsKey(name)) {
                throw new ModelFormatException(source + ": tensor " + shown + " appears twice");
            }
            mf.tensors.put(name, new Entry(name, (int) rows, (int) cols, data));
        }
        byte[] end = r.bytes(8, "the end marker");
        if (!java.util.Arrays.equals(end, END)) {
            throw new ModelFormatException(source + ": bad end marker " + hex(end) + " after " + count
                    + " tensors, expected \"EBM4JEND\" (the file is corrupt)");
        }
        if (r.remaining() > 0) {
            throw new ModelFormatException(source + ": " + r.remaining() + " unexpected bytes after the end marker");
        }
        return mf;
    }

    private static void parseMetadata(byte[] mb, ModelFile mf, String source) throws ModelFormatException {
        ByteBuffer b = ByteBuffer.wrap(mb).order(ByteOrder.LITTLE_ENDIAN);
        try {
            long n = b.getInt() & 0xFFFFFFFFL;
            if (n * MIN_ENTRY_BYTES > b.remaining()) {
                throw new ModelFormatException(source + ": metadata block declares " + n + " entries but has only "
                        + b.remaining() + " bytes for them (corrupt file?)");
            }
            for (long i = 0; i < n; i++) {
                int kl = b.getShort() & 0xFFFF;
                if (kl > MAX_NAME_BYTES) {
                    throw new ModelFormatException(source + ": metadata entry " + i + " has a key of " + kl
                            + " bytes, over the limit of " + MAX_NAME_BYTES + " (corrupt file?)");
                }
                byte[] k = new byte[kl];
                b.get(k);
                long vl = b.getInt() & 0xFFFFFFFFL;
                if (vl > b.remaining()) {
                    throw new java.nio.BufferUnderflowException();
                }
                byte[] v = new byte[(int) vl];
                b.get(v);
                mf.metadata.put(new String(k, StandardCharsets.UTF_8), new String(v, StandardCharsets.UTF_8));
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new ModelFormatException(source + ": metadata block is malformed (an entry runs past its end)");
        }
        if (b.hasRemaining()) {
            throw new ModelFormatException(source + ": metadata block has " + b.remaining() + " bytes after its entries");
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

    /** Little-endian primitive writer. */
    private static final class LeWriter {
        private final OutputStream out;
        private final byte[] scratch = new byte[4];

        LeWriter(OutputStream out) {
            this.out = out;
        }

        void u16(int v) throws IOException {
            out.write(v & 0xFF);
            out.write((v >>> 8) & 0xFF);
        }

        void u32(int v) throws IOException {
            scratch[0] = (byte) v;
            scratch[1] = (byte) (v >>> 8);
            scratch[2] = (byte) (v >>> 16);
            scratch[3] = (byte) (v >>> 24);
            out.write(scratch, 0, 4);
        }

        void bytes(byte[] b) throws IOException {
            out.write(b);
        }

        void bytes(byte[] b, int len) throws IOException {
            out.write(b, 0, len);
        }

        void flush() throws IOException {
            out.flush();
        }
    }

    /** Little-endian reader that knows the file size, so a short file is reported before reading. */
    private static final class LeReader {
        private final InputStream in;
        private final long size;
        private final String source;
        private long pos;

        LeReader(InputStream in, long size, String source) {
            this.in = in;
            this.size = size;
            this.source = source;
        }

        long remaining() {
            return size - pos;
        }

        void require(long n, String what) throws ModelFormatException {
            if (n > size - pos) {
                throw new ModelFormatException(source + ": truncated: " + what + " needs " + n + " bytes at offset "
                        + pos + " but the file has only " + (size - pos) + " left (file size " + size + ")");
            }
        }

        byte[] bytes(int n, String what) throws IOException {
            require(n, what);
            byte[] b = new byte[n];
            readInto(b, n, what);
            return b;
        }

        /** Reads {@code n} bytes, which the caller has {@link #require}d: a short file is reported before allocating. */
        void readInto(byte[] b, int n, String what) throws IOException {
            int got = 0;
            while (got < n) {
                int k = in.read(b, got, n - got);
                if (k < 0) {
                    throw new ModelFormatException(source + ": truncated while reading " + what + " at offset "
                            + (pos + got));
                }
                got += k;
            }
            pos += n;
        }

        int u16(String what) throws IOException {
            byte[] b = bytes(2, what);
            return (b[0] & 0xFF) | ((b[1] & 0xFF) << 8);
        }

        long u32(String what) throws IOException {
            byte[] b = bytes(4, what);
            return ((b[0] & 0xFFL) | ((b[1] & 0xFFL) << 8) | ((b[2] & 0xFFL) << 16) | ((b[3] & 0xFFL) << 24));
        }
    }

}
