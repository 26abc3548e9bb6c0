package org.ebm4j.cli.segment;

import org.ebm4j.cli.SubcommandGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ebm segment}: reading strings of digits with unknown boundaries (a graph transformer network in miniature). */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Read strings of MNIST digits with unknown boundaries: a latent segmentation, trained end to end.",
        subcommands = {SegmentTrainCommand.class, SegmentEvalCommand.class, CommandLine.HelpCommand.class})
public final class SegmentCommand extends SubcommandGroup {
}
