package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code docs/cli-reference.md} is written from the picocli model (picocli's own {@link CommandSpec}
 * and {@link Help}: synopsis, options, rendered defaults), so it cannot drift from the commands: this
 * test regenerates it and fails when the checked-in file differs. Refresh the file with
 * {@code mvn -o -q -B -pl cli -am verify -Dtest=CliReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Debm.cli.writeReference=true}.
 */
class CliReferenceTest {
    private static final Path REFERENCE = Path.of("..", "docs", "cli-reference.md");
    private static final String REFRESH = "mvn -o -q -B -pl cli -am verify -Dtest=CliReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Debm.cli.writeReference=true";

    @Test
    void checkedInReferenceIsTheGeneratedOne() throws IOException {
        String generated = reference();
        if (Boolean.getBoolean("ebm.cli.writeReference")) {
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
        }
        String checkedIn = Files.isRegularFile(REFERENCE) ? Files.readString(REFERENCE, StandardCharsets.UTF_8) : "";
        assertEquals(generated, checkedIn, "docs/cli-reference.md is not the one the commands generate; refresh it with: "
                + REFRESH);
    }

    @Test
    void everyVisibleLeafCommandHasASectionWithItsOptions() {
        String ref = reference();
        // Spot checks of what the generator must carry: a leaf command, a resolved default, an escaped placeholder.
        assertTrue(ref.contains("## `ebm rbm train`"), "rbm train section");
        assertTrue(ref.contains("## `ebm dbm train`"), "dbm train section");
        assertTrue(ref.contains("`none\\|fixed[:T]\\|stochastic[:SEED]`"), "placeholders with | are escaped");
        assertTrue(!ref.contains("${DEFAULT-VALUE}"), "defaults are resolved");
        assertTrue(!ref.contains("## `ebm ebm "), "hidden commands are left out");
        assertTrue(!ref.contains("## `ebm rbm help`") && ref.contains("## `ebm help`"), "one help section");
    }

    /** The Markdown reference: an introduction, then one section per visible leaf command, in help order. */
    static String reference() {
        CommandLine root = Ebm.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        StringBuilder md = new StringBuilder();
        md.append("# `ebm` command reference\n\n")
                .append("Generated from the picocli model by `cli/src/test/java/org/ebm4j/cli/CliReferenceTest.java`;"
                        + " do not edit by hand. Refresh it with\n`").append(REFRESH).append("`.\n")
                .append("The shared vocabulary, output and exit codes are explained in [cli.md](cli.md).\n");
        leaves(root, md);
        return md.toString();
    }

    private static void leaves(CommandLine cl, StringBuilder md) {
        CommandSpec spec = cl.getCommandSpec();
        // Each family's own "help" repeats "ebm help", which gets the one section.
        boolean nestedHelp = spec.userObject() instanceof CommandLine.HelpCommand && spec.parent().parent() != null;
        if (spec.usageMessage().hidden() || nestedHelp) {
            return;
        }
        if (spec.subcommands().isEmpty()) {
            section(spec, md);
            return;
        }
        // Aliases map to the same CommandLine; each command once.
        cl.getSubcommands().values().stream().distinct().forEach(sub -> leaves(sub, md));
    }

    private static void section(CommandSpec spec, StringBuilder md) {
        md.append("\n## `").append(spec.qualifiedName(" ")).append("`\n\n");
        for (String line : spec.usageMessage().description()) {
            md.append(line).append('\n');
        }
        Help help = new Help(spec, new Help.ColorScheme.Builder(Help.Ansi.OFF).build());
        md.append("\n```\n").append(help.synopsis(0).stripTrailing()).append("\n```\n");
        StringBuilder rows = new StringBuilder();
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) {
                row(rows, "`" + p.paramLabel() + "`", "", p);
            }
        }
        for (OptionSpec o : spec.options()) {
            if (!o.hidden()) {
                row(rows, "`" + String.join("`, `", o.names()) + "`", o.arity().max() == 0 ? "" : "`" + o.paramLabel() + "`", o);
            }
        }
        if (rows.length() > 0) {
            md.append("\n| Option | Value | Description |\n|---|---|---|\n").append(rows);
        }
        for (String line : spec.usageMessage().footer()) {
            md.append('\n').append(line).append('\n');
        }
    }

    /** One table row; the description as picocli's help renders it (defaults and candidates filled in). */
    private static void row(StringBuilder rows, String names, String value, ArgSpec arg) {
        String description = String.join(" ", arg.renderedDescription()).trim();
        rows.append("| ").append(cell(names)).append(" | ").append(cell(value)).append(" | ").append(cell(description))
                .append(" |\n");
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
