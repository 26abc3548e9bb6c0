package org.ebm4j.cli.rbm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.ebm4j.cli.Ebm;

/** Runs the {@code ebm} command in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ebm.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Every stdout line parsed as JSON (each must be one object). */
    List<JsonNode> jsonLines() {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = MAPPER.readTree(line);
                if (!n.isObject()) {
                    throw new AssertionError("not a JSON object: " + line);
                }
                nodes.add(n);
            } catch (java.io.IOException e) {
                throw new AssertionError("stdout line is not JSON: " + line, e);
            }
        }
        return nodes;
    }

    JsonNode last() {
        List<JsonNode> l = jsonLines();
        return l.get(l.size() - 1);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
