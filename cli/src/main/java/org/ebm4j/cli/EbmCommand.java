package org.ebm4j.cli;

import picocli.CommandLine.Command;

/** {@code ebm ebm}: energy models with deterministic hidden units, learned with HMC negatives. */
@Command(name = "ebm", mixinStandardHelpOptions = true,
        description = "Energy models with deterministic hidden units (feed-forward energies, products of uni-gauss experts).",
        subcommands = {EbmTrainCommand.class, EbmFillCommand.class})
final class EbmCommand {
}
