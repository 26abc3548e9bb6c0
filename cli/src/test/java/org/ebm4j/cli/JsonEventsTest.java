package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command, run with {@code --json} on tiny data, prints only lines that the documented schema
 * ({@code json-events.json}, explained in docs/cli-json.md) admits: a known event, every required
 * field, no undeclared field, each of its declared type. The schema names every command there is,
 * and this test runs every command the schema names.
 */
class JsonEventsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonNode schema;

    @TempDir
    static Path dir;

    @BeforeAll
    static void readSchema() throws Exception {
        try (InputStream in = JsonOrText.class.getResourceAsStream("json-events.json")) {
            schema = MAPPER.readTree(in).get("commands");
        }
    }

    /** The command lines run, tiny data each; {@code D} is the test's folder. */
    private static final List<String> RUNS = List.of(
            "info",
            "rbm train --limit 300 --holdout 50 --hidden 8 --epochs 1 --samples 4 --sample-steps 2 --out D/rbm",
            "rbm eval --model D/rbm/model.ebm --limit 300",
            "rbm eval --model D/rbm/model.ebm --limit 100 --logz ais --ais-runs 4 --ais-betas 20",
            "rbm sample --model D/rbm/model.ebm --chains 2 --steps 2 --out D/rbm/s.png --samples-csv D/rbm/s.csv",
            "dbn train --layers 8 --limit 300 --holdout 100 --pretrain-epochs 1 --finetune-epochs 1 --samples 4 "
                    + "--sample-steps 2 --out D/dbn",
            "dbn eval --model D/dbn/model.ebm --holdout 100",
            "dbn sample --model D/dbn/model.ebm --chains 2 --steps 2 --out D/dbn/s.png",
            "bm train --side 2 --hidden 1 --epochs 2 --metrics-every 1 --samples 5 --out D/bm",
            "bm sample --model D/bm/model.ebm --chains 3 --steps 2 --out D/bm/s.csv",
            "bm eval --model D/bm/model.ebm",
            "hopfield store --patterns D/p.csv --out D/h.ebm",
            "hopfield recall --patterns D/p.csv",
            "hopfield recall --model D/h.ebm --cues D/p.csv",
            "hopfield capacity --units 20 --loads 0.1 --trials 1 --rules hebb",
            "hopfield mnist --digits 0,1 --out D/hm.png",
            "hmc sample --dim 2 --chains 2 --warmup 5 --draws 5",
            "energy train --data four-squares --points 40 --holdout 10 --iterations 2 --batch 20 --layers 4:softplus "
                    + "--fantasies 4 --fantasy-warmup 2 --fantasy-draws 4 --out D/en",
            "energy train --data cluster-grid --points 50 --iterations 2 --batch 25 --experts 2 --fantasies 4 "
                    + "--fantasy-warmup 2 --fantasy-draws 4 --out D/grid",
            "energy fill --model D/en/model.ebm --data D/partial.csv --out D/filled.csv",
            "dbm train --limit 200 --holdout 50 --layers 4,3 --pretrain-epochs 1 --epochs 1 --batch 50 "
                    + "--persistent-chains 10 --method pt --replicas 3 --centering --samples 4 --sample-steps 2 --out D/dbm",
            "dbm eval --model D/dbm/model.ebm --limit 100 --logz ais --ais-runs 4 --ais-betas 20",
            "dbm sample --model D/dbm/model.ebm --chains 2 --steps 2 --method pt --replicas 2 --out D/dbm/s.png",
            "dbm classify --model D/dbm/model.ebm --limit 200 --holdout 100 --epochs 1 --out D/dbmc",
            "dbn eval --model D/dbmc/model.ebm --holdout 100",
            "dbn eval --model D/dbn/model.ebm --data D/rbm/s.csv",
            "conditional train --limit 120 --held-out 20 --holdout 20 --epochs 1 --layers 4:softplus --out D/cond",
            "segment train --strings 6 --held-out 3 --holdout 2 --epochs 1 --batch 3 --window 6x4 --layers 4:softplus "
                    + "--encoding one-hot --out D/seg",
            "segment eval --model D/seg/model.ebm --held-out 3 --png D/seg/r.png",
            "chain train --limit 300 --held-out 100 --sequences 6 --holdout 2 --test-sequences 4 --length 3 --batch 3"
                    + " --epochs 1"
                    + " --layers 4:softplus --out D/chain",
            "chain eval --model D/chain/model.ebm --limit 300 --held-out 100 --test-sequences 4 --length 3");

    @Test
    void everyLineOfEveryCommandMatchesTheSchema() throws Exception {
        Files.writeString(dir.resolve("p.csv"), "1,0,1,0,1,1\n0,1,1,0,0,1\n1,1,0,0,1,0\n");
        Files.writeString(dir.resolve("partial.csv"), "0.5,NA\nNA,-0.5\n0.2,0.1\n");
        Set<String> ran = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (String line : RUNS) {
            String[] args = (line + " --json --backend cpu").split(" ");
            for (int i = 0; i < args.length; i++) {
                args[i] = args[i].replace("D/", dir + "/");
            }
            CliRun run = CliRun.of(args).assertSucceeded();
            String command = commandName(args);
            ran.add(command);
            JsonNode events = schema.get(command);
            assertTrue(events != null, "the schema has no entry for " + command);
            List<JsonNode> lines = run.events();
            assertTrue(!lines.isEmpty(), line + " printed no JSON line");
            for (JsonNode event : lines) {
                problems.addAll(check(command, event, events));
            }
        }
        assertEquals(List.of(), problems);
        Set<String> documented = new TreeSet<>();
        schema.fieldNames().forEachRemaining(documented::add);
        assertEquals(documented, ran, "every documented command is run here");
        assertEquals(leafCommands(), documented, "every command of ebm is documented in json-events.json");
        String doc = Files.readString(Path.of("..", "docs", "cli-json.md"));
        for (String command : documented) {
            assertTrue(doc.contains("## `ebm " + command + "`"), "docs/cli-json.md has a section on " + command);
        }
    }

    private static String commandName(String[] args) {
        return args[0].equals("info") ? "info" : args[0] + " " + args[1];
    }

    /** What is wrong with {@code event} against {@code events} (the command's schema); empty if nothing. */
    static List<String> check(String command, JsonNode event, JsonNode events) {
        List<String> problems = new ArrayList<>();
        String name = event.path("event").asText(null);
        Iterator<String> first = event.fieldNames();
        if (name == null || !first.next().equals("event")) {
            return List.of(command + ": 'event' is not the first field of " + event);
        }
        JsonNode fields = events.get(name);
        if (fields == null) {
            return List.of(command + ": undocumented event '" + name + "'");
        }
        Set<String> seen = new LinkedHashSet<>();
        event.fields().forEachRemaining(e -> {
            if (e.getKey().equals("event")) {
                return;
            }
            seen.add(e.getKey());
            JsonNode type = fields.has(e.getKey()) ? fields.get(e.getKey()) : fields.get(e.getKey() + "?");
            if (type == null) {
                type = fields.get("*");
            }
            if (type == null) {
                problems.add(command + " " + name + ": undocumented field '" + e.getKey() + "'");
            } else if (!hasType(e.getValue(), type.asText())) {
                problems.add(command + " " + name + ": field '" + e.getKey() + "' is " + e.getValue() + ", not a "
                        + type.asText());
            }
        });
        fields.fieldNames().forEachRemaining(f -> {
            if (!f.endsWith("?") && !f.equals("*") && !seen.contains(f)) {
                problems.add(command + " " + name + ": required field '" + f + "' missing in " + event);
            }
        });
        return problems;
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber() || (v.isTextual() && Set.of("inf", "-inf", "nan").contains(v.asText()));
            case "boolean" -> v.isBoolean();
            case "array" -> v.isArray();
            case "object" -> v.isObject();
            case "any" -> true;
            default -> throw new IllegalArgumentException("unknown type '" + type + "' in json-events.json");
        };
    }

    /** The visible commands of {@code ebm} that do work (no groups, no help), as "group command". */
    static Set<String> leafCommands() {
        Set<String> names = new TreeSet<>();
        collect(Ebm.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), "", names);
        return names;
    }

    private static void collect(CommandLine cl, String prefix, Set<String> names) {
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            CommandLine sub = e.getValue();
            if (sub.getCommandSpec().usageMessage().hidden() || sub.getCommandSpec().helpCommand()
                    || !e.getKey().equals(sub.getCommandName())) {
                continue;
            }
            String name = prefix + e.getKey();
            if (sub.getSubcommands().isEmpty()) {
                names.add(name);
            } else {
                collect(sub, name + " ", names);
            }
        }
    }

    /** The checker itself rejects what it should: a wrong type, a missing or undeclared field, event not first. */
    @Test
    void theCheckerRejectsWhatTheSchemaDoesNotAdmit() throws Exception {
        JsonNode events = schema.get("rbm sample");
        assertEquals(List.of(), check("rbm sample", MAPPER.readTree(
                "{\"event\":\"samples\",\"out\":\"a.png\",\"chains\":2,\"steps\":2,\"seconds\":\"nan\"}"), events));
        assertEquals(1, check("rbm sample", MAPPER.readTree(
                "{\"event\":\"samples\",\"out\":\"a.png\",\"chains\":2.5,\"steps\":2,\"seconds\":1}"), events).size());
        assertEquals(1, check("rbm sample", MAPPER.readTree(
                "{\"event\":\"samples\",\"out\":\"a.png\",\"steps\":2,\"seconds\":1}"), events).size());
        assertEquals(1, check("rbm sample", MAPPER.readTree(
                "{\"event\":\"samples\",\"out\":\"a.png\",\"chains\":2,\"steps\":2,\"seconds\":1,\"pngFile\":1}"),
                events).size());
        assertEquals(1, check("rbm sample", MAPPER.readTree(
                "{\"out\":\"a.png\",\"event\":\"samples\",\"chains\":2,\"steps\":2,\"seconds\":1}"), events).size());
        assertEquals(1, check("rbm sample", MAPPER.readTree(
                "{\"event\":\"samples\",\"out\":\"a.png\",\"chains\":2,\"steps\":2,\"seconds\":\"Infinity\"}"),
                events).size());
    }
}
