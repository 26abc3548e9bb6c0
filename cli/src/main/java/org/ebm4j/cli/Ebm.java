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
            org.ebm4j.cli.dbm.DbmCommand.class,
            HopfieldCommand.class, BmCommand.class, HmcCommand.class, EnergyCommand.class, EnergyCommand.OldName.class,
            org.ebm4j.cli.conditional.ConditionalCommand.class, org.ebm4j.cli.segment.SegmentCommand.class,
            org.ebm4j.cli.chain.ChainCommand.class,
            CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class})
public final class Ebm {

    /**
     * Builds the command line with ebm's error handling ({@link FailureHandler}: one line per error,
     * usage errors exit 2, failures exit 1).
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Ebm());
        // Before the settings below, which reach only the subcommands present when they are made.
        OldSpelling.addRenamedCommands(cl);
        cl.setOut(out);
        cl.setErr(err);
        // Plain decimals only: Double.valueOf also takes Java forms no user means (0x1p-1, 1f, 2d).
        CommandLine.ITypeConverter<Double> decimal = Ebm::decimal;
        cl.registerConverter(Double.class, decimal);
        cl.registerConverter(double.class, decimal);
        cl.setDefaultValueProvider(Ebm::plainDefault);
        FailureHandler failures = new FailureHandler();
        cl.setExecutionExceptionHandler(failures);
        cl.setParameterExceptionHandler(failures);
        cl.setExecutionStrategy(parsed -> {
            OldSpelling.warnIfRenamed(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl;
    }

    /** Runs {@code ebm args...}; every failure, JVM errors such as out-of-memory included, ends as one line on {@code err}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(out, err);
        try {
            return cl.execute(args);
        } catch (Error e) {
            return FailureHandler.report(e, failedCommand(cl));
        }
    }

    private static Double decimal(String s) {
        String t = s.trim();
        if (!org.ebm4j.data.CsvReader.isDecimal(t)) {
            throw new CommandLine.TypeConversionException("'" + s + "' is not a decimal number (such as 12, -0.5 or 1e-3)");
        }
        return Double.valueOf(t);
    }

    /**
     * The default of a decimal flag whose default is its field's initial value (often an options record's),
     * as a person writes it: {@code 0} and {@code 0.0001}, not {@code 0.0} and {@code 1.0E-4}, in the help and
     * the reference; it parses back to the same value. Null (picocli's own default) for every other flag.
     */
    static String plainDefault(CommandLine.Model.ArgSpec arg) {
        if (arg.defaultValue() != null || !(arg.initialValue() instanceof Double d) || !Double.isFinite(d)
                || Double.doubleToLongBits(d) == Double.doubleToLongBits(-0.0)) {
            return null;
        }
        String plain = java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        // A very large or very small value reads better in Java's exponent form.
        return plain.length() <= 12 ? plain : null;
    }

    /** The innermost command the arguments selected (the root when parsing did not get that far). */
    private static CommandLine failedCommand(CommandLine root) {
        CommandLine.ParseResult p = root.getParseResult();
        CommandLine c = root;
        while (p != null && p.hasSubcommand()) {
            p = p.subcommand();
            c = p.commandSpec().commandLine();
        }
        return c;
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
