package org.ebm4j.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A strict reader of {@code .npz} archives, written from the NPY format description
 * ({@code numpy.lib.format}) to check what {@link NpzWriter} writes. It accepts the numeric dtypes
 * the writer may use ({@code <f4} and {@code |u1}) and nothing else, C order only, and an archive
 * whose entries are all {@code NAME.npy}; anything else is an {@link IllegalArgumentException}
 * saying what was expected and what was found.
 */
final class NpzReader {
    /** The dtypes an export may hold; a string ({@code <U}) or object ({@code |O}) dtype is refused. */
    static final Set<String> DTYPES = Set.of("<f4", "|u1");
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private NpzReader() {
    }

    /** One NPY entry: its dtype, shape and raw data bytes. */
    record Npy(String descr, int[] shape, byte[] data) {
        long count() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        float[] floats() {
            if (!descr.equals("<f4")) {
                throw new IllegalArgumentException("array is " + descr + ", not <f4");
            }
            float[] f = new float[data.length / 4];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            return f;
        }
    }

    /** The entries by array name (the entry name without {@code .npy}), in archive order. */
    static Map<String, Npy> read(Path path) throws IOException {
        return read(Files.readAllBytes(path));
    }

    static Map<String, Npy> read(byte[] archive) throws IOException {
        Map<String, Npy> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String entry = e.getName();
                if (e.isDirectory() || !entry.endsWith(".npy") || entry.length() == 4) {
                    throw new IllegalArgumentException("zip entry '" + entry + "' is not NAME.npy");
                }
                String name = entry.substring(0, entry.length() - 4);
                if (out.put(name, parseNpy(zip.readAllBytes(), entry)) != null) {
                    throw new IllegalArgumentException("zip entry '" + entry + "' appears twice");
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("not an .npz archive: no zip entries");
        }
        return out;
    }

    /** Parses one {@code .npy} file; {@code source} names it in errors. */
    static Npy parseNpy(byte[] b, String source) {
        if (b.length < 10 || !Arrays.equals(Arrays.copyOf(b, 6), MAGIC)) {
            throw new IllegalArgumentException(source + ": bad magic, expected \\x93NUMPY");
        }
        int major = b[6];
        int minor = b[7];
        if (major < 1 || major > 3 || minor != 0) {
            throw new IllegalArgumentException(source + ": NPY version " + major + "." + minor
                    + ", expected 1.0, 2.0 or 3.0");
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int preamble = major == 1 ? 10 : 12;
        long headerLength = major == 1 ? bb.getShort(8) & 0xFFFF : bb.getInt(8) & 0xFFFFFFFFL;
        if (preamble + headerLength > b.length) {
            throw new IllegalArgumentException(source + ": header length " + headerLength + " runs past the "
                    + b.length + "-byte entry");
        }
        if ((preamble + headerLength) % 64 != 0) {
            throw new IllegalArgumentException(source + ": data start at byte " + (preamble + headerLength)
                    + ", expected a multiple of 64");
        }
        String header = new String(b, preamble, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new HeaderParser(header, source).parse();
        if (!dict.keySet().equals(Set.of("descr", "fortran_order", "shape"))) {
            throw new IllegalArgumentException(source + ": header keys " + dict.keySet()
                    + ", expected descr, fortran_order and shape");
        }
        if (!(dict.get("descr") instanceof String descr) || !DTYPES.contains(descr)) {
            throw new IllegalArgumentException(source + ": dtype " + dict.get("descr") + ", expected one of " + DTYPES);
        }
        if (!Boolean.FALSE.equals(dict.get("fortran_order"))) {
            throw new IllegalArgumentException(source + ": fortran_order " + dict.get("fortran_order")
                    + ", expected False (C order)");
        }
        if (!(dict.get("shape") instanceof int[] shape)) {
            throw new IllegalArgumentException(source + ": shape " + dict.get("shape") + " is not a tuple of ints");
        }
        Npy probe = new Npy(descr, shape, new byte[0]);
        long expected = probe.count() * (descr.equals("<f4") ? 4 : 1);
        long found = b.length - preamble - headerLength;
        if (found != expected) {
            throw new IllegalArgumentException(source + ": shape " + Arrays.toString(shape) + " of " + descr + " needs "
                    + expected + " data bytes, found " + found);
        }
        return new Npy(descr, shape, Arrays.copyOfRange(b, (int) (preamble + headerLength), b.length));
    }

    /**
     * Parses the header: a Python dict literal of string keys whose values are strings,
     * {@code True}/{@code False} or tuples of non-negative ints, padded with spaces and ending in
     * exactly one newline.
     */
    private static final class HeaderParser {
        private final String s;
        private final String source;
        private int i;

        HeaderParser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        Map<String, Object> parse() {
            if (!s.endsWith("\n") || s.indexOf('\n') != s.length() - 1) {
                throw error("the header must end in its only newline");
            }
            Map<String, Object> dict = new LinkedHashMap<>();
            expect('{');
            spaces();
            while (peek() != '}') {
                String key = string();
                spaces();
                expect(':');
                spaces();
                if (dict.put(key, value()) != null) {
                    throw error("key '" + key + "' appears twice");
                }
                commaOr('}', "expected ',' or '}'");
            }
            i++;
            while (i < s.length() - 1) {
                if (s.charAt(i++) != ' ') {
                    throw error("only spaces may pad the header");
                }
            }
            return dict;
        }

        private Object value() {
            if (peek() == '\'') {
                return string();
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (peek() == '(') {
                return tuple();
            }
            throw error("unexpected value");
        }

        private int[] tuple() {
            expect('(');
            int[] dims = new int[0];
            spaces();
            while (peek() != ')') {
                int start = i;
                while (Character.isDigit(peek())) {
                    i++;
                }
                if (start == i) {
                    throw error("expected a non-negative int in the shape");
                }
                dims = Arrays.copyOf(dims, dims.length + 1);
                dims[dims.length - 1] = Integer.parseInt(s.substring(start, i));
                if (!commaOr(')', "expected ',' or ')' in the shape") && dims.length == 1) {
                    throw error("a one-element tuple needs a trailing comma");
                }
            }
            i++;
            return dims;
        }

        /**
         * After an item of a list that ends in {@code close}: skips a comma (and the spaces around
         * it) and returns true, or returns false before {@code close}; anything else is an error.
         */
        private boolean commaOr(char close, String expected) {
            spaces();
            if (peek() == ',') {
                i++;
                spaces();
                return true;
            }
            if (peek() != close) {
                throw error(expected);
            }
            return false;
        }

        private String string() {
            expect('\'');
            int end = s.indexOf('\'', i);
            if (end < 0) {
                throw error("unterminated string");
            }
            String v = s.substring(i, end);
            if (v.indexOf('\\') >= 0) {
                throw error("escapes are not expected in header strings");
            }
            i = end + 1;
            return v;
        }

        private void spaces() {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(source + ": malformed NPY header at index " + i + ": " + what
                    + " in " + s.strip());
        }
    }
}
