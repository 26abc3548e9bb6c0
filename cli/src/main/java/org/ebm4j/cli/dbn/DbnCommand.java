package org.ebm4j.cli.dbn;

import org.ebm4j.cli.SubcommandGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ebm dbn}: deep belief networks. */
@Command(name = "dbn", mixinStandardHelpOptions = true,
        description = "Deep belief networks: greedy pretraining and fine-tuning, evaluation, sampling.",
        subcommands = {DbnTrainCommand.class, DbnEvalCommand.class, DbnSampleCommand.class,
                CommandLine.HelpCommand.class})
public final class DbnCommand extends SubcommandGroup {
}
