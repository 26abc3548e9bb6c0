package org.ebm4j.cli.rbm;

import java.io.IOException;
import org.ebm4j.cli.DataSource;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The data of the {@code eval} commands ({@code ebm rbm eval}, {@code ebm dbm eval}): the {@link DataOptions}
 * and {@code --split}, which MNIST split to score, the test split by default when the data has one.
 */
public final class EvalData {
    @Mixin
    DataOptions data;

    @Option(names = "--split", paramLabel = "train|test",
            description = "Which MNIST split (default: test when --data has it, else train).")
    String split;

    /** Checks {@code --limit} and finds what {@code --data} names. */
    public void validate(CommandSpec spec) {
        data.validate(spec);
    }

    /** What {@code --data} names (after {@link #validate}). */
    public DataSource source() {
        return data.source();
    }

    /** The split given, or the default for the data (after {@link #validate}); a usage error for an unknown name. */
    public Mnist.Split split(CommandSpec spec) {
        if (split != null) {
            return FlagChecks.parse(spec, "--split", () -> Mnist.Split.parse(split));
        }
        return data.hasTestSplit() ? Mnist.Split.TEST : Mnist.Split.TRAIN;
    }

    /** Loads {@code split}; {@code --limit} applies. */
    public Dataset load(CommandSpec spec, Mnist.Split split) throws IOException {
        return data.load(spec, split);
    }
}
