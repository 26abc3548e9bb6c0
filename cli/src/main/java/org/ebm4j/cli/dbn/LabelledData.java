package org.ebm4j.cli.dbn;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.MnistDir;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Labelled MNIST for the DBN commands: {@code --data DIR} (train and t10k files) or the embedded
 * 10,000 training images, whose last {@code --holdout} rows then serve as the test set.
 */
public final class LabelledData {
    /** Classes of MNIST. */
    static final int CLASSES = 10;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the standard MNIST files (train-*, t10k-*, optionally .gz). Default: the "
                    + "embedded first 10,000 training images, the last --holdout of them held out as the test set.")
    Path dataDir;

    @Option(names = "--limit", paramLabel = "N", description = "Train on only the first N training images.")
    Integer limit;

    @Option(names = "--holdout", paramLabel = "N", defaultValue = "1000",
            description = "Without a test split (the embedded data): the last N training rows are the test set and "
                    + "are not trained on (default: ${DEFAULT-VALUE}).")
    int holdout;

    void validate(CommandSpec spec) {
        MnistDir.check(spec, dataDir, limit);
        FlagChecks.positive(spec, "--holdout", holdout);
    }

    String source() {
        return MnistDir.source(dataDir);
    }

    /** {train, test}: the test split when there is one, else the held-out tail of the training data. */
    Dataset[] load(CommandSpec spec) throws IOException {
        Dataset train = dataDir != null ? Mnist.load(dataDir, Mnist.Split.TRAIN) : Mnist.embedded();
        Dataset test;
        if (MnistDir.hasTestSplit(dataDir)) {
            test = Mnist.load(dataDir, Mnist.Split.TEST);
        } else {
            if (train.rows() <= holdout) {
                throw FlagChecks.error(spec, "--holdout " + holdout + " leaves no training rows: the data has "
                        + train.rows());
            }
            test = train.slice(train.rows() - holdout, train.rows());
            train = train.slice(0, train.rows() - holdout);
        }
        if (limit != null && limit < train.rows()) {
            train = train.slice(0, limit);
        }
        if (train.labels() == null || test.labels() == null) {
            throw FlagChecks.error(spec, "the DBN commands need labelled data (MNIST images with label files)");
        }
        return new Dataset[] {train, test};
    }
}
