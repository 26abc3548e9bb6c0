package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import org.ebm4j.cli.DataOption;
import org.ebm4j.cli.DataSource;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The RBM commands' data: {@code --data} (MNIST directory, IDX file, CSV file or {@code mnist-10k}) and {@code --limit}. */
public final class DataOptions {
    @Mixin
    DataOption data = new DataOption(DataSource.MNIST_10K, EnumSet.allOf(DataSource.Kind.class),
            List.of(DataSource.MNIST_10K));

    @Option(names = "--csv-delimiter", paramLabel = "CHAR", defaultValue = ",",
            description = "CSV field separator (default: ${DEFAULT-VALUE}).")
    char csvDelimiter;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N examples.")
    Integer limit;

    private DataSource source;

    public void validate(CommandSpec spec) {
        source = data.source();
        if (limit != null) {
            FlagChecks.positive(spec, "--limit", limit);
        }
    }

    /** What {@code --data} names (after {@link #validate}). */
    public DataSource source() {
        return source;
    }

    /** Whether the data holds a test split (an MNIST directory with the t10k files). */
    public boolean hasTestSplit() {
        return source.hasTestSplit();
    }

    /** Loads one split; {@code --limit} applies. */
    public Dataset load(CommandSpec spec, Mnist.Split split) throws IOException {
        if (split == Mnist.Split.TEST && !source.hasTestSplit()) {
            throw FlagChecks.error(spec, "--split test needs --data DIR with the t10k files; " + source.value()
                    + " has no test split (see scripts/fetch-mnist.sh)");
        }
        Dataset d = source.load(split, csvDelimiter);
        if (limit != null && limit < d.rows()) {
            d = d.slice(0, limit);
        }
        return d;
    }
}
