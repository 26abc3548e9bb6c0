package org.ebm4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.ebm4j.io.ModelFile;

/**
 * Runs an {@link EpochTrainer} the way every {@code fit} of the library does: restores a
 * resumed state, writes checkpoints, evaluates the per-epoch metrics and hands each epoch's
 * {@link EpochReport} to the listeners. The model families only say what their trainer, model
 * file and metrics are.
 */
public final class TrainingRun {
    /** Per-epoch metrics of a model being trained, by name (insertion order is report order). */
    @FunctionalInterface
    public interface Metrics {
        /** The metrics after epoch {@code epoch} (1-based), or an empty map when none are due. */
        Map<String, Double> evaluate(int epoch, int epochs);

        /** No metrics. */
        static Metrics none() {
            return (epoch, epochs) -> Map.of();
        }

        /**
         * {@code metrics} every {@code every} epochs and after the last one; other epochs report
         * timing only. Adds {@code metrics_seconds}, the time the evaluation took.
         */
        static Metrics every(int every, Supplier<Map<String, Double>> metrics) {
            if (every < 1) {
                throw new IllegalArgumentException("metrics interval must be >= 1 epoch, found " + every);
            }
            return (epoch, epochs) -> {
                if (epoch % every != 0 && epoch != epochs) {
                    return Map.of();
                }
                long start = System.nanoTime();
                Map<String, Double> m = new LinkedHashMap<>(metrics.get());
                m.put("metrics_seconds", (System.nanoTime() - start) * 1e-9);
                return m;
            };
        }
    }

    private TrainingRun() {
    }

    /**
     * Trains the remaining epochs of {@code trainer}.
     *
     * @param resume           the state to continue from, or null for a fresh run
     * @param model            the model's file as it stands, for checkpoints
     * @param checkpointing    where to write checkpoints
     * @param examplesPerEpoch training rows per epoch (for the throughput in the reports)
     * @param metrics          the per-epoch metrics
     * @param listeners        told about the run, its batches, epochs and reports
     */
    public static void run(EpochTrainer trainer, TrainingState resume, Supplier<ModelFile> model,
                           Checkpointing checkpointing, int examplesPerEpoch, Metrics metrics,
                           List<? extends TrainingListener> listeners) {
        Objects.requireNonNull(checkpointing, "checkpointing");
        Objects.requireNonNull(metrics, "metrics");
        if (resume != null) {
            trainer.restore(resume);
        }
        List<TrainingListener> all = new ArrayList<>(listeners);
        if (checkpointing.enabled()) {
            all.add(new CheckpointWriter(trainer, model, checkpointing.path(), checkpointing.every(), p -> { }));
        }
        all.add(new TrainingListener() {
            @Override
            public void onEpochEnd(int epoch, double learningRate, double seconds) {
                EpochReport r = new EpochReport(epoch, trainer.epochs(), learningRate, seconds,
                        examplesPerEpoch / seconds, metrics.evaluate(epoch, trainer.epochs()));
                for (TrainingListener l : listeners) {
                    l.onReport(r);
                }
            }
        });
        trainer.train(all);
    }
}
