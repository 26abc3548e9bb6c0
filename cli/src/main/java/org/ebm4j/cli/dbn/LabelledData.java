package org.ebm4j.cli.dbn;

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

/**
 * Labelled MNIST for the DBN commands: {@code --data} (an MNIST directory with the train and t10k
 * files, an IDX image file beside its labels, or {@code mnist-10k}, the embedded 10,000 training
 * images), whose last {@code --holdout} rows serve as the test set when there is no test split. Also
 * the data of {@code ebm dbm classify}, which fine-tunes a DBM into the same kind of classifier.
 */
public final class LabelledData {
    /** Classes of MNIST. */
    public static final int CLASSES = 10;

    @Mixin
    DataOption data;

    @Option(names = "--limit", paramLabel = "N", description = "Train on only the first N training images.")
    Integer limit;

    @Option(names = "--holdout", paramLabel = "N", defaultValue = "1000",
            description = "Without a test split (the embedded data): the last N training rows are the test set and "
                    + "are not trained on (default: ${DEFAULT-VALUE}).")
    int holdout;

    private DataSource source;

    /** The MNIST kinds of {@link DataOption#mnist()}. */
    public LabelledData() {
        data = DataOption.mnist();
    }

    private LabelledData(DataOption data) {
        this.data = data;
    }

    /**
     * The MNIST kinds or a CSV file of unlabelled rows ({@code ebm rbm sample --samples-csv} writes one),
     * which {@link #loadRows} reads: the data of a command that can also judge unlabelled rows.
     */
    public static LabelledData orUnlabelledRows() {
        return new LabelledData(new DataOption(DataSource.MNIST_10K, EnumSet.of(DataSource.Kind.MNIST_DIR,
                DataSource.Kind.IDX_FILE, DataSource.Kind.CSV_FILE, DataSource.Kind.BUILT_IN),
                List.of(DataSource.MNIST_10K)));
    }

    /** Whether {@code --data} names a CSV file of unlabelled rows (after {@link #validate}). */
    public boolean isUnlabelledRows() {
        return source.kind() == DataSource.Kind.CSV_FILE;
    }

    /** The rows of the CSV file {@code --data} names, all of them, without labels. */
    public Dataset loadRows() throws IOException {
        return source.load(Mnist.Split.TRAIN, ',');
    }

    /** Checks the flags (usage errors naming them). */
    public void validate(CommandSpec spec) {
        source = data.source();
        if (limit != null) {
            FlagChecks.positive(spec, "--limit", limit);
        }
        FlagChecks.positive(spec, "--holdout", holdout);
    }

    /** The {@code --data} value as given. */
    public String source() {
        return source.source();
    }

    /** {train, test}: the test split when there is one, else the held-out tail of the training data. */
    public Dataset[] load(CommandSpec spec) throws IOException {
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
