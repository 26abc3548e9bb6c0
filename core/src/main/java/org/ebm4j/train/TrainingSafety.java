package org.ebm4j.train;

import java.util.Objects;

/**
 * What {@link TrainingRun} watches besides the epochs: divergence and early stopping.
 *
 * <p>Divergence: after an epoch, a non-finite value in the model's tensors, a non-finite watched
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
