package org.ebm4j.cli.conditional;

import org.ebm4j.cli.SubcommandGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ebm conditional}: conditional energies F(x, y) trained with the losses of LeCun's table. */
@Command(name = "conditional", mixinStandardHelpOptions = true,
        description = "Conditional energies F(x, y) over discrete answers, trained with a loss of LeCun's table.",
        subcommands = {ConditionalTrainCommand.class, CommandLine.HelpCommand.class})
public final class ConditionalCommand extends SubcommandGroup {
}
