package org.ebm4j.cli.rbm;

import org.ebm4j.cli.SubcommandGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ebm rbm}: restricted Boltzmann machines. */
@Command(name = "rbm", mixinStandardHelpOptions = true,
        description = "Restricted Boltzmann machines: train, evaluate, sample.",
        subcommands = {RbmTrainCommand.class, RbmEvalCommand.class, RbmSampleCommand.class,
                CommandLine.HelpCommand.class})
public final class RbmCommand extends SubcommandGroup {
}
