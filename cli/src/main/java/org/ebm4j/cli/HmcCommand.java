package org.ebm4j.cli;

import picocli.CommandLine.Command;

/** {@code ebm hmc}: Hamiltonian Monte Carlo. */
@Command(name = "hmc", mixinStandardHelpOptions = true,
        description = "Hamiltonian Monte Carlo over many chains on the chosen backend.",
        subcommands = {HmcSampleCommand.class})
final class HmcCommand {
}
