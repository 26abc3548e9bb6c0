package org.ebm4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ebm hopfield}: the Hopfield network commands. */
@Command(name = "hopfield", mixinStandardHelpOptions = true,
        description = "Hopfield networks: store patterns (Hebb, Storkey, pseudo-inverse), recall from noisy or "
                + "partial cues, measure capacity, and the MNIST demo.",
        subcommands = {HopfieldStoreCommand.class, HopfieldRecallCommand.class, HopfieldCapacityCommand.class,
                HopfieldMnistCommand.class, CommandLine.HelpCommand.class})
final class HopfieldCommand {
}
