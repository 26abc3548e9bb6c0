package org.ebm4j.cli.rbm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.MnistDir;
import org.ebm4j.data.CsvReader;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Where the data comes from: {@code --data DIR}, {@code --csv FILE} or the embedded MNIST subset. */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the standard MNIST files (train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                    + "t10k-..., each optionally .gz). Default: the embedded first 10,000 MNIST training images.")
    Path dataDir;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Real-valued data from a CSV file (one example per line, optional header) instead of MNIST.")
    Path csv;

    @Option(names = "--csv-delimiter", paramLabel = "CHAR", defaultValue = ",",
            description = "CSV field separator (default: ${DEFAULT-VALUE}).")
    char csvDelimiter;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N examples.")
    Integer limit;

    public void validate(CommandSpec spec) {
        if (dataDir != null && csv != null) {
            throw FlagChecks.error(spec, "--data and --csv cannot be used together");
        }
        if (csv != null && !Files.isRegularFile(csv)) {
            throw FlagChecks.error(spec, "--csv " + csv + " is not a file");
        }
        MnistDir.check(spec, dataDir, limit);
    }

    /** A short description for metadata and messages. */
    public String source() {
        return csv != null ? "csv:" + csv : MnistDir.source(dataDir);
    }

    /** Whether {@code --data DIR} holds the test split too. */
    public boolean hasTestSplit() {
        return MnistDir.hasTestSplit(dataDir);
    }

    /** Loads one split; {@code --limit} applies. */
    public Dataset load(CommandSpec spec, Mnist.Split split) throws IOException {
        Dataset d;
        if (csv != null) {
            if (split == Mnist.Split.TEST) {
                throw FlagChecks.error(spec, "--split test needs --data DIR: a CSV file has no test split");
            }
            d = new CsvReader(csvDelimiter, CsvReader.Header.AUTO).read(csv);
        } else if (dataDir != null) {
            d = Mnist.load(dataDir, split);
        } else {
            if (split == Mnist.Split.TEST) {
                throw FlagChecks.error(spec, "the embedded data holds training images only; pass --data DIR (see "
                        + "scripts/fetch-mnist.sh) for --split test");
            }
            d = Mnist.embedded();
        }
        if (limit != null && limit < d.rows()) {
            d = d.slice(0, limit);
        }
        return d;
    }
}
