package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code ebm} in-process and captures its exit code, stdout and stderr; the one way every CLI
 * test runs the command.
 *
 * @param exit the exit code
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
public record CliRun(int exit, String out, String err) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Runs {@code ebm args...}. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ebm.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * The words of {@code line} (split at single spaces) with every word that is a key of
     * {@code placeholders} replaced by its value: a command line written as a test case, with the
     * test's temporary files filled in.
     */
    public static String[] words(String line, Map<String, String> placeholders) {
        String[] words = line.trim().split(" ");
        for (int i = 0; i < words.length; i++) {
            words[i] = placeholders.getOrDefault(words[i], words[i]);
        }
        return words;
    }

    /**
     * Runs {@code ebm FAMILY sample} on {@code model} (9 chains of 5 steps on the CPU) and asserts that it
     * succeeded and wrote a non-empty {@code png}: the sampling check of each family's command test.
     */
    public static void assertSamplesPicture(String family, Path model, Path png) throws IOException {
        of(family, "sample", "--model", model.toString(), "--chains", "9", "--steps", "5", "--out", png.toString(),
                "--backend", "cpu", "--json").assertSucceeded();
        assertTrue(Files.size(png) > 0, () -> png + " is empty");
    }

    /** Writes an IDX file: magic, big-endian dimensions, unsigned bytes (data for {@code --data FILE}). */
    public static void writeIdx(Path file, int magic, int[] dims, byte[] data) throws IOException {
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }

    /** Asserts that the command exited with {@code code} and printed every one of {@code fragments} on stderr. */
    public CliRun assertFailed(int code, String... fragments) {
        assertEquals(code, exit, this::toString);
        for (String f : fragments) {
            assertTrue(err.contains(f), () -> "expected '" + f + "' in stderr:\n" + err);
        }
        return this;
    }

    /** Asserts that the command exited with 0. */
    public CliRun assertSucceeded() {
        assertEquals(0, exit, this::toString);
        return this;
    }

    /** Every stdout line parsed as JSON; each must be one object. */
    public List<JsonNode> events() {
        List<JsonNode> list = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = MAPPER.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("stdout line is not JSON: " + line, e);
            }
            if (!n.isObject()) {
                throw new AssertionError("stdout line is not a JSON object: " + line);
            }
            list.add(n);
        }
        return list;
    }

    /** The events whose "event" field is {@code name}. */
    public List<JsonNode> events(String name) {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode n : events()) {
            if (name.equals(n.path("event").asText())) {
                list.add(n);
            }
        }
        return list;
    }

    /** The last stdout line, as JSON. */
    public JsonNode last() {
        return lastOf(events(), "JSON line");
    }

    /** The last event named {@code name}. */
    public JsonNode last(String name) {
        return lastOf(events(name), "'" + name + "' event");
    }

    private JsonNode lastOf(List<JsonNode> events, String what) {
        if (events.isEmpty()) {
            throw new AssertionError("no " + what + " in: " + out + "\nstderr: " + err);
        }
        return events.get(events.size() - 1);
    }

    @Override
    public String toString() {
        return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
