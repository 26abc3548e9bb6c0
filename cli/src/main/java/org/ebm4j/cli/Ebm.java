package org.ebm4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ebm} command: the entry point of the runnable jar. */
@Command(name = "ebm",
        mixinStandardHelpOptions = true,
        versionProvider = EbmVersion.class,
        description = "Train and sample energy-based models (RBM, DBN, Hopfield, Boltzmann machines, HMC) on CPU or CUDA.",
        subcommands = {InfoCommand.class, org.ebm4j.cli.rbm.RbmCommand.class, org.ebm4j.cli.dbn.DbnCommand.class,
            HopfieldCommand.class, BmCommand.class, HmcCommand.class, EnergyCommand.class, EnergyCommand.OldName.class,
            CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class})
public final class Ebm {

    /** Builds the command line with ebm's error handling (usage errors exit 2, failures exit 1). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Ebm());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new FailureHandler());
        return cl;
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    public static void main(String[] args) {
        LogSetup.configure(args);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
