package org.ebm4j.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict reader of safetensors files, written from the format description in the
 * {@code huggingface/safetensors} README to check what {@link SafetensorsWriter} writes: an
 * 8-byte little-endian header length within bounds, a UTF-8 JSON header starting with
 * {@code {} and padded only with spaces, no duplicate keys, {@code __metadata__} of strings only,
 * every tensor {@code F32} with exactly {@code dtype}, {@code shape} and {@code data_offsets},
 * offsets whose byte count matches dtype and shape, and offsets that tile the data exactly (no
 * gap, no overlap, nothing left over). Anything else is an {@link IllegalArgumentException}.
 */
final class SafetensorsReader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SafetensorsReader() {
    }

    /** One tensor: its shape, its byte range in the data and its values. */
    record Tensor(int[] shape, long begin, long end, float[] values) {
    }

    /**
     * What a file holds.
     *
     * @param headerLength the header's byte length N (the data start at 8 + N)
     * @param tensors      by name, in header order
     * @param metadata     {@code __metadata__}, empty when absent
     */
    record Contents(long headerLength, Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    static Contents read(Path path) throws IOException {
        return read(Files.readAllBytes(path));
    }

    static Contents read(byte[] file) {
        if (file.length < 8) {
            throw new IllegalArgumentException("file of " + file.length + " bytes has no 8-byte header length");
        }
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 2 || n > SafetensorsWriter.MAX_HEADER_BYTES || n > file.length - 8) {
            throw new IllegalArgumentException("header length " + n + " is out of bounds: expected 2.."
                    + Math.min(SafetensorsWriter.MAX_HEADER_BYTES, file.length - 8L) + " for a " + file.length
                    + "-byte file");
        }
        String header;
        try {
            header = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(file, 8, (int) n)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("header is not valid UTF-8: " + e);
        }
        if (header.charAt(0) != '{') {
            throw new IllegalArgumentException("header starts with '" + header.charAt(0) + "', expected '{'");
        }
        int close = header.lastIndexOf('}');
        if (!header.substring(close + 1).chars().allMatch(c -> c == ' ')) {
            throw new IllegalArgumentException("header padding holds characters other than spaces");
        }
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("header is not valid JSON: " + e.getOriginalMessage());
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Map.Entry<String, long[]>> ranges = new ArrayList<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals(SafetensorsWriter.METADATA_KEY)) {
                readMetadata(f.getValue(), metadata);
                continue;
            }
            String name = f.getKey();
            JsonNode t = f.getValue();
            Set<String> keys = new HashSet<>();
            t.fieldNames().forEachRemaining(keys::add);
            if (!t.isObject() || !keys.equals(Set.of("dtype", "shape", "data_offsets"))) {
                throw new IllegalArgumentException("tensor '" + name + "': expected an object with exactly dtype, "
                        + "shape and data_offsets, found " + t);
            }
            if (!t.get("dtype").isTextual() || !t.get("dtype").asText().equals("F32")) {
                throw new IllegalArgumentException("tensor '" + name + "': dtype " + t.get("dtype")
                        + ", expected \"F32\"");
            }
            int[] shape = shape(name, t.get("shape"));
            long[] offsets = offsets(name, t.get("data_offsets"));
            long count = 1;
            for (int d : shape) {
                count = Math.multiplyExact(count, d);
            }
            if (offsets[1] - offsets[0] != Math.multiplyExact(count, 4L)) {
                throw new IllegalArgumentException("tensor '" + name + "': data_offsets " + Arrays.toString(offsets)
                        + " span " + (offsets[1] - offsets[0]) + " bytes but F32 " + Arrays.toString(shape)
                        + " needs " + 4 * count);
            }
            shapes.put(name, shape);
            ranges.add(Map.entry(name, offsets));
        }
        long dataLength = file.length - 8 - n;
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0])
                .thenComparingLong(e -> e.getValue()[1]));
        long expected = 0;
        for (Map.Entry<String, long[]> e : sorted) {
            if (e.getValue()[0] != expected) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' begins at " + e.getValue()[0]
                        + ", expected " + expected + " (the data must be tiled without gaps or overlaps)");
            }
            expected = e.getValue()[1];
        }
        if (expected != dataLength) {
            throw new IllegalArgumentException("the tensors cover " + expected + " data bytes but the file holds "
                    + dataLength);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer data = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, long[]> e : ranges) {
            long[] o = e.getValue();
            float[] values = new float[(int) ((o[1] - o[0]) / 4)];
            data.position((int) (8 + n + o[0]));
            data.asFloatBuffer().get(values);
            tensors.put(e.getKey(), new Tensor(shapes.get(e.getKey()), o[0], o[1], values));
        }
        return new Contents(n, tensors, metadata);
    }

    private static void readMetadata(JsonNode m, Map<String, String> out) {
        if (!m.isObject()) {
            throw new IllegalArgumentException("__metadata__ is " + m.getNodeType() + ", expected an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("__metadata__ entry '" + e.getKey() + "' is " + e.getValue()
                        + ", expected a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
    }

    private static int[] shape(String name, JsonNode s) {
        if (!s.isArray()) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + s + " is not an array");
        }
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = s.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + s
                        + " holds something other than a non-negative int");
            }
            shape[i] = d.intValue();
        }
        return shape;
    }

    private static long[] offsets(String name, JsonNode o) {
        if (!o.isArray() || o.size() != 2 || !o.get(0).isIntegralNumber() || !o.get(1).isIntegralNumber()
                || !o.get(0).canConvertToLong() || !o.get(1).canConvertToLong()) {
            throw new IllegalArgumentException("tensor '" + name + "': data_offsets " + o
                    + " is not [BEGIN, END] of two ints");
        }
        long begin = o.get(0).longValue();
        long end = o.get(1).longValue();
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("tensor '" + name + "': data_offsets [" + begin + ", " + end
                    + "] must satisfy 0 <= BEGIN <= END");
        }
        return new long[] {begin, end};
    }
}
