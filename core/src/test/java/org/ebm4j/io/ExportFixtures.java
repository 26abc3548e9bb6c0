package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the export tests write: arrays of every rank the exports allow (scalar, vector, matrix,
 * rank 3, a zero-size dimension) holding the float values that a careless copy would change
 * (signed zeros, infinities, NaNs with payloads, subnormals, extremes), and metadata strings that
 * need JSON escapes or are not ASCII.
 */
final class ExportFixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private ExportFixtures() {
    }

    static List<NamedArray> arrays() {
        float[] w = new float[12];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(i * 1.3) * 7f;
        }
        w[0] = -0.0f;
        w[1] = Float.POSITIVE_INFINITY;
        w[2] = Float.NEGATIVE_INFINITY;
        w[3] = Float.intBitsToFloat(0x7fc12345); // a quiet NaN with a payload
        w[4] = Float.intBitsToFloat(0xffc00001); // a negative NaN
        w[5] = Float.MIN_VALUE;
        w[6] = -Float.MAX_VALUE;
        w[7] = 1e-40f;
        return List.of(
                new NamedArray("W", new int[] {3, 4}, w),
                new NamedArray("bias", new int[] {5}, new float[] {0f, -0.25f, 0.5f, 1e30f, -1e-30f}),
                new NamedArray("scale", new int[0], new float[] {42.5f}),
                new NamedArray("empty", new int[] {2, 0, 3}, new float[0]),
                new NamedArray("layer.1.cube", new int[] {2, 2, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8}),
                new NamedArray("poids_é", new int[] {1, 1}, new float[] {Float.MAX_VALUE}));
    }

    static Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", "fixture");
        m.put("quote", "say \"hi\" and \\ back");
        m.put("whitespace", "a\nb\tc\r");
        m.put("control", "\u0001\u001f");
        m.put("unicode", "é ∑ 😀");
        m.put("empty", "");
        return m;
    }

    /** Checks that {@code found} holds {@code expected}'s shape and every value bit for bit. */
    static void assertSameArray(NamedArray expected, int[] shape, float[] found) {
        assertArrayEquals(expected.shape(), shape, expected.name() + " shape");
        assertEquals(expected.data().length, found.length, expected.name() + " length");
        for (int i = 0; i < found.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected.data()[i]), Float.floatToRawIntBits(found[i]),
                    expected.name() + "[" + i + "]");
        }
    }

    /** A writer of named arrays and metadata to a file (ArrayArchive.NPZ::write, ArrayArchive.SAFETENSORS::write). */
    interface Writer {
        void write(Path path, List<NamedArray> arrays, Map<String, String> metadata) throws IOException;
    }

    /** A writer of named arrays and metadata to a stream (NpzWriter::writeTo, SafetensorsWriter::writeTo). */
    interface StreamWriter {
        void writeTo(OutputStream out, List<NamedArray> arrays, Map<String, String> metadata) throws IOException;
    }

    /**
     * What {@code writer} writes of the fixtures into a buffered stream that nobody flushes afterwards, checked
     * to be the whole of what it writes into a plain one: the writer flushes what it wrote.
     */
    static byte[] writtenUnflushed(StreamWriter writer) throws IOException {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        writer.writeTo(whole, arrays(), metadata());
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        writer.writeTo(new BufferedOutputStream(raw, 1 << 16), arrays(), metadata());
        assertArrayEquals(whole.toByteArray(), raw.toByteArray());
        return raw.toByteArray();
    }

    /**
     * Writes {@link #arrays()} and {@link #metadata()} to {@code dir/name} with {@code writer}, then
     * has Python read the file back with {@code load} (see {@link #pythonCheck}).
     */
    static void pythonReadsTheFixtures(Path dir, String name, Writer writer, String... load)
            throws IOException, InterruptedException {
        Path f = dir.resolve(name);
        writer.write(f, arrays(), metadata());
        pythonCheck(dir, f, arrays(), metadata(), load);
    }

    /**
     * Runs Python that imports {@code json}, {@code sys} and {@code np}, then {@code load}, which
     * must set {@code arrays} (name to NumPy array) and {@code meta} (a dict) from the file
     * {@code sys.argv[1]}, then checks them against {@code arrays} and {@code metadata}: the same
     * names, float32 dtypes, shapes, every value bit for bit, and the same metadata.
     */
    static void pythonCheck(Path dir, Path file, List<NamedArray> arrays, Map<String, String> metadata,
                            String... load) throws IOException, InterruptedException {
        Path expected = expected(dir, arrays, metadata);
        List<String> lines = new ArrayList<>();
        lines.add("import json, sys, numpy as np");
        lines.addAll(List.of(load));
        lines.add(PYTHON_CHECK);
        Python.run(String.join("\n", lines), "export ok", file.toString(), expected.toString());
    }

    /** Writes what Python must find: {"arrays": {NAME: {"shape": [...], "bits": [uint32...]}}, "metadata": {...}}. */
    private static Path expected(Path dir, List<NamedArray> arrays, Map<String, String> metadata) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode a = root.putObject("arrays");
        for (NamedArray x : arrays) {
            ObjectNode e = a.putObject(x.name());
            ArrayNode shape = e.putArray("shape");
            for (int d : x.shape()) {
                shape.add(d);
            }
            ArrayNode bits = e.putArray("bits");
            for (float v : x.data()) {
                bits.add(Integer.toUnsignedLong(Float.floatToRawIntBits(v)));
            }
        }
        ObjectNode m = root.putObject("metadata");
        metadata.forEach(m::put);
        Path f = dir.resolve("expected.json");
        Files.write(f, JSON.writeValueAsBytes(root));
        return f;
    }

    /** Compares {@code arrays} and {@code meta} with the file {@link #expected} wrote (argv[2]). */
    private static final String PYTHON_CHECK = String.join("\n",
            "exp = json.load(open(sys.argv[2], encoding='utf-8'))",
            "assert sorted(arrays) == sorted(exp['arrays']), (sorted(arrays), sorted(exp['arrays']))",
            "for name, e in exp['arrays'].items():",
            "    a = arrays[name]",
            "    assert a.dtype == np.float32, (name, a.dtype)",
            "    assert list(a.shape) == e['shape'], (name, a.shape, e['shape'])",
            "    got = a.reshape(-1).view(np.uint32).tolist()",
            "    assert got == e['bits'], (name, got[:8], e['bits'][:8])",
            "assert meta == exp['metadata'], (meta, exp['metadata'])",
            "print('export ok')");
}
