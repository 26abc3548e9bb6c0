package org.ebm4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
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
     * Trains the remaining epochs of {@code trainer} without divergence checks or early stopping:
     * {@link #run(EpochTrainer, TrainingState, Supplier, Consumer, Checkpointing, int, Metrics, TrainingSafety, List)}
     * with {@link TrainingSafety#none()}.
     */
    public static void run(EpochTrainer trainer, TrainingState resume, Supplier<ModelFile> model,
                           Checkpointing checkpointing, int examplesPerEpoch, Metrics metrics,
                           List<? extends TrainingListener> listeners) {
        run(trainer, resume, model, f -> { }, checkpointing, examplesPerEpoch, metrics, TrainingSafety.none(),
                listeners);
    }

    /**
     * Trains the remaining epochs of {@code trainer}, watching for divergence and early stopping as
     * {@code safety} says: after each epoch the metrics are evaluated and the model's file checked;
     * a diverged epoch is rolled back (model through {@code restoreModel}, trainer through
     * {@link EpochTrainer#restore}) with the rate halved, and a good one is reported to the listeners
     * and becomes the state rollbacks return to. Checkpoints are written after the check, so none
     * holds a diverged state; a checkpoint is written before the epoch is reported.
     *
     * @param resume           the state to continue from, or null for a fresh run
     * @param model            the model's file as it stands, for checkpoints and rollbacks
     * @param restoreModel     puts a file that {@code model} gave back into the model
     * @param checkpointing    where to write checkpoints
     * @param examplesPerEpoch training rows per epoch (for the throughput in the reports)
     * @param metrics          the per-epoch metrics
     * @param listeners        told about the run, its batches, epochs, reports, rollbacks and early stop
     * @throws IllegalStateException when training diverges after {@code safety.maxRollbacks()} rollbacks
     */
    public static void run(EpochTrainer trainer, TrainingState resume, Supplier<ModelFile> model,
                           Consumer<ModelFile> restoreModel, Checkpointing checkpointing, int examplesPerEpoch,
                           Metrics metrics, TrainingSafety safety, List<? extends TrainingListener> listeners) {
        Objects.requireNonNull(checkpointing, "checkpointing");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(restoreModel, "restoreModel");
        Objects.requireNonNull(safety, "safety");
        // The reports so far travel in the checkpoints, so a resumed run's listeners see the whole run.
        List<TrainingState.Reported> history = new ArrayList<>();
        if (resume != null) {
            trainer.restore(resume);
            history.addAll(resume.reports());
            for (TrainingState.Reported r : history) {
                for (TrainingListener l : listeners) {
                    l.onPastReport(r.epoch(), r.metrics());
                }
            }
        }
        List<TrainingListener> all = new ArrayList<>(listeners);
        CheckpointWriter writer = checkpointing.enabled() ? new CheckpointWriter(trainer, model,
                checkpointing.path(), checkpointing.every(), p -> { }, () -> history) : null;
        if (safety.equals(TrainingSafety.none())) {
            // Nothing to watch: no snapshots of the model; the metrics first, for the checkpoint's history.
            all.add(new TrainingListener() {
                @Override
                public void onEpochEnd(int epoch, double learningRate, double seconds) {
                    Map<String, Double> m = metrics.evaluate(epoch, trainer.epochs());
                    EpochReport r = report(trainer, epoch, learningRate, seconds, examplesPerEpoch, m, history);
                    if (writer != null) {
                        writer.onEpochEnd(epoch, learningRate, seconds);
                    }
                    tell(r, listeners);
                }
            });
            trainer.train(all);
            return;
        }
        Guard guard = new Guard(trainer, model, restoreModel, writer, metrics, safety, examplesPerEpoch, listeners,
                history);
        all.add(guard);
        trainer.train(all);
        guard.finish();
    }

    /**
     * Refuses, before any epoch runs, a learning rate whose first update explodes: takes the trainer's
     * first update ({@link EpochTrainer#firstUpdate}) on the model as it stands, then puts the model
     * ({@code restoreModel}) and the trainer ({@link EpochTrainer#restore}) back as they were, so the run
     * that follows is the one that would have run without the check. The update exploded when it left a
     * non-finite value in the model's tensors or grew the largest magnitude of one past
     * {@link TrainingSafety#MAX_GROWTH} times what it was (or than 1 when that was smaller): the rule
     * that rolls back a diverged epoch, applied to one update, which no rollback could save (every
     * halving of such a rate starts from the same first update). Nothing happens for a trainer without
     * a trial update.
     *
     * @param rateKey the options' key of the learning rate, which the refusal names
     * @throws SettingException naming {@code rateKey} and the growth found
     */
    public static void requireStableFirstUpdate(EpochTrainer trainer, Supplier<ModelFile> model,
                                                Consumer<ModelFile> restoreModel, String rateKey) {
        ModelFile before = model.get();
        TrainingState state = trainer.state();
        boolean tried;
        String reason;
        try {
            tried = trainer.firstUpdate();
            reason = tried ? explosion(before, model.get(), "update") : null;
        } finally {
            restoreModel.accept(before);
            trainer.restore(state);
        }
        if (reason != null) {
            throw new SettingException(rateKey, "the first update at this learning rate explodes (" + reason
                    + "); lower it");
        }
    }

    /**
     * Why the model's file {@code now} counts as diverged from {@code good}: a non-finite value, or a
     * tensor whose largest magnitude grew past {@link TrainingSafety#MAX_GROWTH} times its old one
     * (at least 1) in one {@code span} ("epoch", "update"); null when neither.
     */
    private static String explosion(ModelFile good, ModelFile now, String span) {
        for (ModelFile.Entry e : now.tensors().values()) {
            for (float x : e.data()) {
                if (!Float.isFinite(x)) {
                    return "non-finite value " + x + " in " + e.name();
                }
            }
            ModelFile.Entry before = good.tensors().get(e.name());
            if (before != null) {
                double was = Math.max(maxAbs(before.data()), 1.0);
                double is = maxAbs(e.data());
                if (is > TrainingSafety.MAX_GROWTH * was) {
                    return "the largest magnitude in " + e.name() + " grew from " + maxAbs(before.data()) + " to "
                            + is + " in one " + span;
                }
            }
        }
        return null;
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float x : values) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    /** The report of {@code epoch}, its metrics added to {@code history}. */
    private static EpochReport report(EpochTrainer trainer, int epoch, double learningRate, double seconds,
                                      int examplesPerEpoch, Map<String, Double> metrics,
                                      List<TrainingState.Reported> history) {
        EpochReport r = new EpochReport(epoch, trainer.epochs(), learningRate, seconds, examplesPerEpoch / seconds,
                metrics);
        TrainingState.Reported kept = TrainingState.Reported.of(r);
        if (kept != null) {
            history.add(kept);
        }
        return r;
    }

    private static void tell(EpochReport r, List<? extends TrainingListener> listeners) {
        for (TrainingListener l : listeners) {
            l.onReport(r);
        }
    }

    /** The per-epoch check: metrics, divergence, rollback, early stopping, report. */
    private static final class Guard implements TrainingListener {
        private final EpochTrainer trainer;
        private final Supplier<ModelFile> model;
        private final Consumer<ModelFile> restoreModel;
        private final CheckpointWriter writer;
        private final Metrics metrics;
        private final TrainingSafety safety;
        private final int examplesPerEpoch;
        private final List<? extends TrainingListener> listeners;
        private final List<TrainingState.Reported> history;
        private ModelFile good;
        private TrainingState goodState;
        private int rollbacks;
        private double best = Double.NaN;
        private ModelFile bestModel;
        private int bestEpoch;
        private int sinceBest;
        private boolean stopped;

        Guard(EpochTrainer trainer, Supplier<ModelFile> model, Consumer<ModelFile> restoreModel,
              CheckpointWriter writer, Metrics metrics, TrainingSafety safety, int examplesPerEpoch,
              List<? extends TrainingListener> listeners, List<TrainingState.Reported> history) {
            this.writer = writer;
            this.history = history;
            this.trainer = trainer;
            this.model = Objects.requireNonNull(model, "model");
            this.restoreModel = restoreModel;
            this.metrics = metrics;
            this.safety = safety;
            this.examplesPerEpoch = examplesPerEpoch;
            this.listeners = listeners;
            this.good = model.get();
            this.goodState = trainer.state();
        }

        @Override
        public void onEpochEnd(int epoch, double learningRate, double seconds) {
            Map<String, Double> m = metrics.evaluate(epoch, trainer.epochs());
            ModelFile now = model.get();
            String reason = divergence(now, m);
            if (reason != null) {
                if (rollbacks >= safety.maxRollbacks()) {
                    throw new IllegalStateException("training diverged in epoch " + epoch + " (" + reason + ") after "
                            + rollbacks + " rollback(s) with the learning rate halved each time; lower the learning "
                            + "rate or allow more rollbacks");
                }
                rollbacks++;
                int halvings = trainer.rateHalvings();
                restoreModel.accept(good);
                trainer.restore(goodState);
                trainer.rateHalvings(halvings + 1);
                double factor = trainer.rateFactor();
                for (TrainingListener l : listeners) {
                    l.onRollback(epoch, goodState.epochsDone(), reason, factor);
                }
                return;
            }
            good = now;
            goodState = trainer.state();
            EpochReport r = report(trainer, epoch, learningRate, seconds, examplesPerEpoch, m, history);
            if (writer != null) {
                writer.onEpochEnd(epoch, learningRate, seconds);
            }
            tell(r, listeners);
            Double watched = safety.metric() == null ? null : m.get(safety.metric());
            if (watched == null) {
                return;
            }
            if (safety.better(watched, best)) {
                best = watched;
                bestEpoch = epoch;
                sinceBest = 0;
                if (safety.patience() > 0) {
                    bestModel = now;
                }
            } else if (safety.patience() > 0 && ++sinceBest >= safety.patience() && epoch < trainer.epochs()) {
                stopped = true;
                trainer.stop();
                for (TrainingListener l : listeners) {
                    l.onEarlyStop(epoch, bestEpoch, safety.metric(), best);
                }
            }
        }

        /** Why the epoch counts as diverged, or null. */
        private String divergence(ModelFile now, Map<String, Double> m) {
            String exploded = explosion(good, now, "epoch");
            if (exploded != null) {
                return exploded;
            }
            Double watched = safety.metric() == null ? null : m.get(safety.metric());
            if (watched != null && safety.exploded(watched, best)) {
                return safety.metric() + " = " + watched + " against a best of " + best;
            }
            return null;
        }

        /** After the run: with early stopping, the model gets the best evaluation's parameters. */
        void finish() {
            if (safety.patience() > 0 && bestModel != null && (stopped || bestEpoch != trainer.epochsDone())) {
                restoreModel.accept(bestModel);
            }
        }
    }
}
