package org.ebm4j.data;

import java.util.Objects;

/**
 * The rows a training run trains on and the rows it holds out to watch for overfitting, by one
 * rule: with a separate test set the held-out rows are its first {@code rows} rows and every
 * training row is trained on (MNIST's {@code t10k} files, for example); without one they are the
 * last {@code rows} training rows, which are then not trained on.
 *
 * @param train   the rows to train on
 * @param heldOut the held-out rows, or null when none are held out
 */
public record HoldOut(Dataset train, Dataset heldOut) {

    public HoldOut {
        Objects.requireNonNull(train, "train");
    }

    /**
     * Splits by the rule above.
     *
     * @param train the training data
     * @param test  a separate test set with the same columns, or null
     * @param rows  how many rows to hold out ({@code >= 0}; 0 for none)
     */
    public static HoldOut split(Dataset train, Dataset test, int rows) {
        Objects.requireNonNull(train, "train");
        if (rows < 0) {
            throw new IllegalArgumentException("hold-out rows must be >= 0, found " + rows);
        }
        if (test != null && test.cols() != train.cols()) {
            throw new IllegalArgumentException("test data " + test.name() + " has " + test.cols()
                    + " columns but the training data " + train.name() + " has " + train.cols());
        }
        if (rows == 0) {
            return new HoldOut(train, null);
        }
        if (test != null) {
            return new HoldOut(train, test.slice(0, Math.min(rows, test.rows())));
        }
        int kept = trainingCount(train.name(), train.rows(), rows, "rows");
        return new HoldOut(train.slice(0, kept), train.slice(kept, train.rows()));
    }

    /**
     * How many of {@code total} examples are trained on when the last {@code rows} are held out by the rule
     * above, for training data that are not a {@link Dataset} (sequences, digit strings).
     *
     * @param name the training data's name, for the message
     * @param unit what an example is called, plural (rows, sequences, strings), for the message
     * @throws IllegalArgumentException when {@code rows} is negative, or positive and leaves nothing to train on
     *         (with none held out, empty data are the trainer's to refuse)
     */
    public static int trainingCount(String name, int total, int rows, String unit) {
        if (rows < 0) {
            throw new IllegalArgumentException("hold-out " + unit + " must be >= 0, found " + rows);
        }
        if (rows > 0 && total <= rows) {
            throw new IllegalArgumentException("a hold-out of " + rows + " " + unit + " leaves no training " + unit
                    + ": " + name + " has " + total + " (hold out fewer " + unit + ", or none)");
        }
        return total - rows;
    }
}
