package org.ebm4j.cli.dbm;

import org.ebm4j.cli.SubcommandGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ebm dbm}: deep Boltzmann machines. */
@Command(name = "dbm", mixinStandardHelpOptions = true,
        description = "Deep Boltzmann machines: pretraining and joint mean-field training, evaluation, sampling, "
                + "fine-tuning into a classifier.",
        subcommands = {DbmTrainCommand.class, DbmEvalCommand.class, DbmSampleCommand.class, DbmClassifyCommand.class,
                CommandLine.HelpCommand.class})
public final class DbmCommand extends SubcommandGroup {
}
