package org.ebm4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An epoch's running mean loss per example and its training error, for trainers that report both (the
 * metrics {@code loss} and {@code train_error} of their {@link EpochReport}s). Not thread-safe.
 */
public final class LossErrorTally {
    private double loss;
    private long errors;
    private long examples;

    /** Forgets the epoch so far. */
    public void reset() {
        loss = 0;
        errors = 0;
        examples = 0;
    }

    /** One example's loss, and whether the model got it wrong. */
    public void add(double exampleLoss, boolean wrong) {
        loss += exampleLoss;
        errors += wrong ? 1 : 0;
        examples++;
    }

    /** A batch's summed loss over {@code count} examples, {@code wrong} of which the model got wrong. */
    public void addBatch(double lossSum, long wrong, long count) {
        loss += lossSum;
        errors += wrong;
        examples += count;
    }

    /** {@code loss} (the mean per example) and {@code train_error} (the fraction wrong); NaN before any example. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", examples == 0 ? Double.NaN : loss / examples);
        m.put("train_error", examples == 0 ? Double.NaN : (double) errors / examples);
        return m;
    }
}
