package org.ebm4j.cli;

import java.util.List;
import org.ebm4j.cli.dbn.DbnSampleCommand;
import org.ebm4j.cli.dbn.DbnTrainCommand;
import org.ebm4j.cli.rbm.RbmEvalCommand;
import org.ebm4j.cli.rbm.RbmSampleCommand;
import org.ebm4j.cli.rbm.RbmTrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The old spellings of flags and commands that still work for one release as hidden aliases. Each
 * use prints one line on stderr naming the new spelling, so that scripts get a chance to change
 * before the alias goes. Flags renamed one for one are the table {@link #RENAMED}: every
 * {@link CliCommand} gets ({@link Aliases}) a hidden option per old name that sets the new one.
 * Renamed commands are the table {@link #RENAMED_COMMANDS}: each old name is a hidden copy of the
 * command ({@link #addRenamedCommands}) that warns when it runs ({@link #warnIfRenamed}).
 */
public final class OldSpelling {

    /** A flag of {@code command} renamed from {@code old} to {@code now}, its value unchanged. */
    record Renamed(Class<?> command, String old, String now) {
    }

    static final List<Renamed> RENAMED = List.of(
            new Renamed(RbmTrainCommand.class, "--csv", "--data"),
            new Renamed(RbmEvalCommand.class, "--csv", "--data"),
            new Renamed(EnergyTrainCommand.class, "--demo", "--data"),
            new Renamed(EnergyTrainCommand.class, "--model", "--energy"),
            new Renamed(RbmTrainCommand.class, "--chains", "--persistent-chains"),
            new Renamed(DbnTrainCommand.class, "--chains", "--persistent-chains"),
            new Renamed(BmTrainCommand.class, "--chains", "--persistent-chains"),
            new Renamed(BmTrainCommand.class, "--units", "--unit-values"),
            new Renamed(BmTrainCommand.class, "--lr-decay", "--lr-schedule"),
            new Renamed(BmTrainCommand.class, "--init-stddev", "--init-std"),
            new Renamed(BmTrainCommand.class, "--eval-every", "--metrics-every"),
            new Renamed(BmTrainCommand.class, "--sample-sweeps", "--sample-steps"),
            new Renamed(BmSampleCommand.class, "--count", "--chains"),
            new Renamed(BmSampleCommand.class, "--sweeps", "--steps"),
            new Renamed(RbmSampleCommand.class, "--png", "--out"),
            new Renamed(DbnSampleCommand.class, "--png", "--out"),
            new Renamed(HopfieldMnistCommand.class, "--png", "--out"),
            new Renamed(HmcSampleCommand.class, "--steps", "--leapfrog-steps"),
            new Renamed(HmcSampleCommand.class, "--csv", "--out"));

    /** A command renamed from {@code ebm PARENT OLD} to {@code now}: {@code command} under its old name. */
    record RenamedCommand(String parent, String old, Class<? extends CliCommand> command, String now) {
        String oldPath() {
            return "ebm " + parent + " " + old;
        }
    }

    static final List<RenamedCommand> RENAMED_COMMANDS = List.of(
            new RenamedCommand("bm", "evaluate", BmEvalCommand.class, "ebm bm eval"),
            new RenamedCommand("ebm", "train", EnergyTrainCommand.class, "ebm energy train"));

    private OldSpelling() {
    }

    /** Adds below {@code root} ({@code ebm}) each renamed command under its old name, hidden. */
    static void addRenamedCommands(CommandLine root) {
        for (RenamedCommand r : RENAMED_COMMANDS) {
            CommandLine old = new CommandLine(r.command());
            old.getCommandSpec().name(r.old()).usageMessage().hidden(true).description("Old spelling of '" + r.now() + "'.");
            root.getSubcommands().get(r.parent()).addSubcommand(r.old(), old);
        }
    }

    /** Prints the deprecation line when the command {@code parsed} runs is a renamed command's old name. */
    static void warnIfRenamed(ParseResult parsed) {
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()) {
            return;
        }
        String path = leaf.commandSpec().qualifiedName(" ");
        for (RenamedCommand r : RENAMED_COMMANDS) {
            if (r.oldPath().equals(path)) {
                warn(leaf.commandSpec(), r.oldPath(), r.now());
            }
        }
    }

    /** Prints the deprecation line for {@code old} (a flag or command) replaced by {@code now}. */
    public static void warn(CommandSpec spec, String old, String now) {
        var err = spec.commandLine().getErr();
        err.println("ebm " + commandPath(spec) + ": warning: " + old + " is deprecated and goes in the next release; use "
                + now);
        err.flush();
    }

    /** Adds to each command, once picocli has built it, a hidden option for each of its renamed flags. */
    static final class Aliases implements picocli.CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            addAliases(spec.userObject().getClass(), spec);
            return spec;
        }
    }

    private static void addAliases(Class<?> command, CommandSpec spec) {
        for (Renamed r : RENAMED) {
            if (!r.command().isAssignableFrom(command)) {
                continue;
            }
            OptionSpec now = spec.findOption(r.now());
            if (now == null) {
                throw new IllegalStateException(command.getSimpleName() + " has no " + r.now() + " for " + r.old());
            }
            spec.addOption(OptionSpec.builder(r.old()).hidden(true).type(now.type()).auxiliaryTypes(now.auxiliaryTypes())
                    .arity(now.arity().originalValue()).paramLabel(now.paramLabel())
                    .description("Old spelling of " + r.now() + ".").hasInitialValue(false)
                    .setter(new picocli.CommandLine.Model.ISetter() {
                        @Override
                        public <T> T set(T value) throws Exception {
                            warn(spec, r.old(), r.now());
                            return now.setter().set(value);
                        }
                    }).build());
        }
    }

    /** The command's path below {@code ebm}, e.g. {@code rbm train}. */
    static String commandPath(CommandSpec spec) {
        String q = spec.qualifiedName(" ");
        return q.startsWith("ebm ") ? q.substring(4) : q;
    }
}
