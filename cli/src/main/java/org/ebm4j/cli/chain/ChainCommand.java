package org.ebm4j.cli.chain;

import org.ebm4j.cli.SubcommandGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ebm chain}: chain factor graphs trained with the structured perceptron, hinge or NLL. */
@Command(name = "chain", mixinStandardHelpOptions = true,
        description = "Chain factor graphs: unary energies from a network, learned pairwise factors, Viterbi decoding.",
        subcommands = {ChainTrainCommand.class, ChainEvalCommand.class, CommandLine.HelpCommand.class})
public final class ChainCommand extends SubcommandGroup {
}
