package org.ebm4j.cli.rbm;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code ebm rbm}: restricted Boltzmann machines. */
@Command(name = "rbm", mixinStandardHelpOptions = true,
        description = "Restricted Boltzmann machines: train, evaluate, sample.",
        subcommands = {RbmTrainCommand.class, RbmEvalCommand.class, RbmSampleCommand.class,
                CommandLine.HelpCommand.class})
public final class RbmCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: train, eval or sample");
    }
}
