package org.ebm4j.train;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Callbacks from a training loop. {@link #onBatch} runs after every update and must be cheap
 * (it sits inside the training loop); {@link #onEpochEnd} may evaluate metrics or write
 * checkpoints; {@link #onReport} receives the epoch's metrics. Epochs are counted from 1 here: {@code epoch} is the number of completed epochs
 * after the one that just ended.
 */
public interface TrainingListener {

    /** Before the first epoch of this run (also when resuming: {@code firstEpoch > 1}). */
    default void onStart(int firstEpoch, int epochs, int batchesPerEpoch) {
    }

    /** After update {@code batch} (1-based) of {@code batches} in epoch {@code epoch} (1-based). */
    default void onBatch(int epoch, int batch, int batches) {
    }

    /** After epoch {@code epoch} (1-based) finished, {@code seconds} of training time. */
    default void onEpochEnd(int epoch, double learningRate, double seconds) {
    }

    /**
     * After {@link #onEpochEnd}, once the epoch's metrics are known: the library's one-call
     * {@code fit} methods evaluate them (as often as their options ask) and report every epoch
     * here, so printing and logging need no access to the model.
     */
    default void onReport(EpochReport report) {
    }

    /**
     * A resumed run, before it trains on: the metrics an epoch before its checkpoint reported (timings
     * left out, {@link TrainingState.Reported}), once for each such epoch in order, so that a listener that
     * draws the run's history (a learning curve) draws the epochs of the interrupted process too.
     */
    default void onPastReport(int epoch, Map<String, Double> metrics) {
    }

    /**
     * Training diverged in epoch {@code epoch} ({@code reason} says how): the model and the trainer
     * went back to the state after epoch {@code backTo} and the learning rate is now {@code rateFactor}
     * times the planned one ({@link TrainingSafety}).
     */
    default void onRollback(int epoch, int backTo, String reason, double rateFactor) {
    }

    /**
     * Early stopping after epoch {@code epoch}: the watched {@code metric} was best, {@code best}, after
     * epoch {@code bestEpoch}, whose parameters the model now has ({@link TrainingSafety}).
     */
    default void onEarlyStop(int epoch, int bestEpoch, String metric, double best) {
    }

    /** After the last epoch (not called when training fails). */
    default void onEnd() {
    }

    /** A listener that hands every epoch's report to {@code action} and ignores the other calls. */
    static TrainingListener forReports(Consumer<? super EpochReport> action) {
        Objects.requireNonNull(action, "action");
        return new TrainingListener() {
            @Override
            public void onReport(EpochReport report) {
                action.accept(report);
            }
        };
    }
}
