package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Walks every command and subcommand of {@code ebm} and checks that the vocabulary of docs/cli.md
 * holds: a flag name has one type wherever it appears, the shared flags are the ones it names, the
 * placeholders are the documented ones, and old spellings are hidden.
 */
class SharedFlagsTest {

    /** The flags docs/cli.md fixes, with the Java type each must have wherever it appears. */
    private static final Map<String, Class<?>> SHARED = Map.ofEntries(
            Map.entry("--data", String.class), Map.entry("--model", Path.class), Map.entry("--out", Path.class),
            Map.entry("--seed", long.class), Map.entry("--epochs", int.class), Map.entry("--batch", int.class),
            Map.entry("--chains", int.class), Map.entry("--persistent-chains", int.class),
            Map.entry("--steps", int.class), Map.entry("--init-std", double.class), Map.entry("--lr", double.class),
            Map.entry("--lr-schedule", String.class), Map.entry("--backend", String.class),
            Map.entry("--json", boolean.class), Map.entry("--quiet", boolean.class),
            Map.entry("--leapfrog-steps", int.class), Map.entry("--png", Path.class));

    /** Spellings replaced by the vocabulary: where they still parse, they must be hidden. */
    private static final Set<String> OLD = Set.of("--demo", "--save", "--net", "--csv", "--count", "--sweeps",
            "--init-stddev", "--lr-decay", "--eval-every", "--sample-sweeps", "--units");

    private record Use(String command, OptionSpec option) {
    }

    private static List<Use> walk() {
        List<Use> uses = new ArrayList<>();
        walk(Ebm.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), uses);
        return uses;
    }

    private static void walk(CommandLine cl, List<Use> uses) {
        CommandSpec spec = cl.getCommandSpec();
        for (OptionSpec o : spec.options()) {
            uses.add(new Use(spec.qualifiedName(" ") + (spec.usageMessage().hidden() ? " (hidden)" : ""), o));
        }
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) {
                walk(sub, uses);
            }
        });
    }

    @Test
    void aFlagNameHasOneTypeEverywhere() {
        Map<String, Map<String, List<String>>> typesByName = new TreeMap<>();
        for (Use u : walk()) {
            if (u.option().hidden()) {
                continue;
            }
            for (String name : u.option().names()) {
                typesByName.computeIfAbsent(name, k -> new TreeMap<>())
                        .computeIfAbsent(u.option().type().getName(), k -> new ArrayList<>()).add(u.command());
            }
        }
        List<String> mixed = new ArrayList<>();
        typesByName.forEach((name, types) -> {
            if (types.size() > 1) {
                mixed.add(name + " " + types);
            }
        });
        assertEquals(List.of(), mixed, "flags with more than one type");
        SHARED.forEach((name, type) -> {
            Map<String, List<String>> found = typesByName.get(name);
            assertTrue(found != null, name + " is used by no command");
            assertEquals(Set.of(type.getName()), found.keySet(), name + " has the documented type");
        });
        assertTrue(typesByName.get("--chains").values().iterator().next().size() >= 4,
                "--chains (sampling chains) is shared by the sampling commands");
    }

    @Test
    void oldSpellingsAreHiddenAndNoVisibleFlagUsesOne() {
        for (Use u : walk()) {
            for (String name : u.option().names()) {
                boolean old = OLD.contains(name) && !(name.equals("--units") && u.command().endsWith("hopfield capacity"));
                if (old) {
                    assertTrue(u.option().hidden(), u.command() + ": the old spelling " + name + " must be hidden");
                }
            }
        }
    }

    /** Placeholders: {@code FILE}, {@code DIR} (or {@code DIR|FILE|NAME} for --data) for paths, {@code N} for counts. */
    @Test
    void placeholdersAreTheDocumentedOnes() {
        List<String> off = new ArrayList<>();
        for (Use u : walk()) {
            OptionSpec o = u.option();
            if (o.hidden() || o.arity().max() == 0) {
                continue;
            }
            String label = o.paramLabel();
            Class<?> t = o.type();
            boolean ok = t == Path.class ? label.equals("FILE") || label.equals("DIR")
                    : t == int.class || t == Integer.class || t == long.class ? label.equals("N")
                    : o.longestName().equals("--data") ? label.equals("DIR|FILE|NAME") : !label.startsWith("<");
            if (!ok) {
                off.add(u.command() + " " + o.longestName() + " " + label + " (" + t.getSimpleName() + ")");
            }
        }
        assertEquals(List.of(), off);
    }

    /** Every command that does work shows one example of its use, below its flags. */
    @Test
    void everyCommandHasOneExample() {
        CommandLine ebm = Ebm.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> without = new ArrayList<>();
        for (String command : JsonEventsTest.leafCommands()) {
            CommandLine cl = ebm;
            for (String word : command.split(" ")) {
                cl = cl.getSubcommands().get(word);
            }
            String[] footer = cl.getCommandSpec().usageMessage().footer();
            if (footer.length != 1 || !footer[0].startsWith("Example: ebm " + command + " ")) {
                without.add(command);
            }
        }
        assertEquals(List.of(), without);
    }

    /**
     * A decimal flag's default, where its field's initial value gives it, reads as a person writes it
     * ({@code 0}, {@code 0.0001}) and parses back to exactly that value, which the command then runs with.
     */
    @Test
    void decimalDefaultsReadPlainAndParseBackToTheirValue() {
        int plain = 0;
        for (Use u : walk()) {
            String shown = Ebm.plainDefault(u.option());
            if (shown != null) {
                plain++;
                assertEquals(u.option().initialValue(), Double.valueOf(shown), u.command() + " " + u.option().longestName());
                assertTrue(shown.matches("-?[0-9]+(\\.[0-9]*[1-9])?"), u.command() + " " + u.option().longestName()
                        + " shows " + shown);
            }
        }
        assertTrue(plain > 20, "decimal defaults found: " + plain);
        CommandLine rbm = Ebm.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands().get("rbm").getSubcommands().get("train");
        assertEquals("0", rbm.getCommandSpec().findOption("--weight-decay").defaultValueString());
    }
}
