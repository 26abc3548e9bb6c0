package org.ebm4j.cli.dbn;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ebm dbn}: deep belief networks. */
@Command(name = "dbn", mixinStandardHelpOptions = true,
        description = "Deep belief networks: greedy pretraining and fine-tuning, evaluation, sampling.",
        subcommands = {DbnTrainCommand.class, DbnEvalCommand.class, DbnSampleCommand.class,
                CommandLine.HelpCommand.class})
public final class DbnCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: train, eval or sample");
    }
}
