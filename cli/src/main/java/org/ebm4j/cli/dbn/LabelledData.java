package org.ebm4j.cli.dbn;

import java.io.IOException;
import org.ebm4j.cli.DataOption;
import org.ebm4j.cli.DataSource;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Labelled MNIST for the DBN commands: {@code --data} (an MNIST directory with the train and t10k
 * files, an IDX image file beside its labels, or {@code mnist-10k}, the embedded 10,000 training
 * images), whose last {@code --holdout} rows serve as the test set when there is no test split.
 */
public final class LabelledData {
    /** Classes of MNIST. */
    static final int CLASSES = 10;

    @Mixin
    DataOption data = DataOption.mnist();

    @Option(names = "--limit", paramLabel = "N", description = "Train on only the first N training images.")
    Integer limit;

    @Option(names = "--holdout", paramLabel = "N", defaultValue = "1000",
            description = "Without a test split (the embedded data): the last N training rows are the test set and "
                    + "are not trained on (default: ${DEFAULT-VALUE}).")
    int holdout;

    private DataSource source;

    void validate(CommandSpec spec) {
        source = data.source();
        if (limit != null) {
            FlagChecks.positive(spec, "--limit", limit);
        }
        FlagChecks.positive(spec, "--holdout", holdout);
    }

    String source() {
        return source.source();
    }

    /** {train, test}: the test split when there is one, else the held-out tail of the training data. */
    Dataset[] load(CommandSpec spec) throws IOException {
        Dataset train = source.load(Mnist.Split.TRAIN, ',');
        Dataset test;
        if (source.hasTestSplit()) {
            test = source.load(Mnist.Split.TEST, ',');
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
