package org.ebm4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ebm energy}: energy models with deterministic hidden units, learned with HMC negatives. */
@Command(name = "energy", mixinStandardHelpOptions = true,
        description = "Energy models with deterministic hidden units (feed-forward energies, products of uni-gauss experts).",
        subcommands = {EnergyTrainCommand.class, EbmFillCommand.class, CommandLine.HelpCommand.class})
final class EnergyCommand {

    /** {@code ebm ebm}: the old name of {@code ebm energy}, hidden, for one release; its {@code train} is in {@link OldSpelling}. */
    @Command(name = "ebm", hidden = true, mixinStandardHelpOptions = true, description = "Old name of 'ebm energy'.")
    static final class OldName {
    }
}
