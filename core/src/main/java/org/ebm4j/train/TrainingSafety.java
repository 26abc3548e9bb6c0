package org.ebm4j.train;

import java.util.Objects;

/**
 * What {@link TrainingRun} watches besides the epochs: divergence and early stopping.
 *
 * <p>Divergence: after an epoch, a non-finite value in the model's tensors, a finite explosion of
 * one (its largest magnitude above {@link #MAX_GROWTH} times what it was after the last good epoch,
 * or than 1 when that was smaller), a non-finite watched
 * metric, or a watched metric worse than the best so far by more than {@code explosion} times the
 * best's magnitude (at least 1) rolls the model and the trainer back to the last epoch that was
 * fine and halves the learning rate ({@link EpochTrainer#halveRate}); after {@code maxRollbacks}
 * rollbacks the next divergence ends the run with an error. Each rollback is told to the listeners
 * ({@link TrainingListener#onRollback}).
 *
 * <p>Early stopping (when {@code patience > 0}): the run stops once the watched metric has not
 * improved for {@code patience} evaluations, and the model is given the parameters of the best
 * evaluation ({@link TrainingListener#onEarlyStop}).
 *
 * @param metric         the watched metric's name (see the model's per-epoch metrics), or null for none
 * @param higherIsBetter whether larger values of the metric are better
 * @param patience       evaluations without improvement before stopping; 0 for no early stopping
 * @param maxRollbacks   rollbacks allowed ({@code >= 0})
 * @param explosion      how much worse than the best the metric may get before it counts as diverged ({@code > 0})
 */
public record TrainingSafety(String metric, boolean higherIsBetter, int patience, int maxRollbacks,
                             double explosion) {
    /** The default {@code explosion}: a metric ten times its best magnitude worse than the best has diverged. */
    public static final double DEFAULT_EXPLOSION = 10.0;

    /**
     * How many times its last good magnitude (at least 1) a tensor may grow to in one epoch before the
     * epoch counts as diverged, like a NaN: three orders of magnitude. A weight or bias past 1000 in a
     * model of sigmoid or softplus units saturates every unit it feeds (sigmoid(1000) is 1 in double
     * precision), which leaves no gradient to recover with, and no healthy epoch moves a parameter of
     * order 1 by 999: its step is the learning rate times a gradient bounded by the batch's unit
     * activities (at most 1 a row for binary units), so only an exploding rate gets there (the
     * {@code --lr 1e8} that took RBM weights to 2.6e25).
     */
    public static final double MAX_GROWTH = 1000.0;

    public TrainingSafety {
        SettingChecks.atLeast("patience", patience, 0);
        SettingChecks.atLeast("max_rollbacks", maxRollbacks, 0);
        SettingChecks.positiveFinite("explosion factor", explosion);
        if (patience > 0) {
            Objects.requireNonNull(metric, "early stopping needs a metric to watch");
        }
    }

    /** No checks at all: no watched metric, no early stopping, no divergence detection. */
    public static TrainingSafety none() {
        return new TrainingSafety(null, false, 0, 0, DEFAULT_EXPLOSION);
    }

    /** Whether {@code value} is better than {@code best} (any finite value is better than NaN). */
    boolean better(double value, double best) {
        return Double.isNaN(best) || (higherIsBetter ? value > best : value < best);
    }

    /** Whether {@code value} is non-finite or worse than {@code best} by more than the explosion factor allows. */
    boolean exploded(double value, double best) {
        if (!Double.isFinite(value)) {
            return true;
        }
        if (Double.isNaN(best)) {
            return false;
        }
        double worse = higherIsBetter ? best - value : value - best;
        return worse > explosion * Math.max(Math.abs(best), 1.0);
    }
}
