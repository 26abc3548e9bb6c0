package org.ebm4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code ebm} in-process and captures its exit code, stdout and stderr. */
record CliRun(int exit, String out, String err) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ebm.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The JSON objects of stdout, one per line. */
    List<JsonNode> events() {
        List<JsonNode> list = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                try {
                    list.add(MAPPER.readTree(line));
                } catch (Exception e) {
                    throw new AssertionError("not a JSON line: " + line, e);
                }
            }
        }
        return list;
    }

    /** The events whose "event" field is {@code name}. */
    List<JsonNode> events(String name) {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode n : events()) {
            if (name.equals(n.path("event").asText())) {
                list.add(n);
            }
        }
        return list;
    }

    JsonNode last(String name) {
        List<JsonNode> l = events(name);
        if (l.isEmpty()) {
            throw new AssertionError("no '" + name + "' event in: " + out + "\nstderr: " + err);
        }
        return l.get(l.size() - 1);
    }

    @Override
    public String toString() {
        return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
