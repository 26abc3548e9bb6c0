package org.ebm4j.cli.rbm;

import org.ebm4j.cli.FlagChecks;
import org.ebm4j.data.Mnist;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --split}: which MNIST split an {@code eval} command scores ({@code ebm rbm eval}, {@code ebm dbm eval}),
 * the test split by default when the data has one.
 */
public final class SplitOption {
    @Option(names = "--split", paramLabel = "train|test",
            description = "Which MNIST split (default: test when --data has it, else train).")
    String split;

    /** The split given, or the default for {@code data} (validated); a usage error when the name is unknown. */
    public Mnist.Split resolve(CommandSpec spec, DataOptions data) {
        if (split != null) {
            return FlagChecks.parse(spec, "--split", () -> Mnist.Split.parse(split));
        }
        return data.hasTestSplit() ? Mnist.Split.TEST : Mnist.Split.TRAIN;
    }
}
