package org.ebm4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ebm bm}: the general Boltzmann machine commands. */
@Command(name = "bm", mixinStandardHelpOptions = true,
        description = "General Boltzmann machines (visible and hidden units, full symmetric connectivity): train on "
                + "bars-and-stripes or a CSV of binary rows, sample, and evaluate exactly when small (<= 24 units).",
        subcommands = {BmTrainCommand.class, BmSampleCommand.class, BmEvalCommand.class, CommandLine.HelpCommand.class})
final class BmCommand {
}
