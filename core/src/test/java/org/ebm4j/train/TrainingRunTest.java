package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop of {@link EpochTrainer}, the checkpoints of {@link CheckpointWriter} and the run of
 * {@link TrainingRun} on a trainer whose every number is known: each of its two updates per epoch
 * draws once from its stream and adds {@code rate} to {@code x}, so after {@code e} epochs at the full
 * rate {@code x = 2 e rate} and the stream stands at draw {@code 2 e}.
 */
class TrainingRunTest {
    @TempDir
    Path dir;

    /** Adds the rate to x twice per epoch, drawing once per update; counts its restores. */
    private static final class Steps extends ScalarTrainer {
        private final RandomStream stream;
        private final double rate;
        /** What {@link #firstUpdate} adds to x; NaN: no trial update. */
        double trial = Double.NaN;
        int restores;

        Steps(int epochs, double rate) {
            super("steps", epochs, 2, 0);
            this.rate = rate;
            this.stream = openStream(StreamId.RBM_SAMPLING, 7L, "sampling");
        }

        @Override
        protected double runEpoch(int epochIndex, BatchDone done) {
            double r = rate * rateFactor();
            for (int b = 1; b <= 2; b++) {
                stream.nextDraw();
                x += r;
                done.after(b);
            }
            return r;
        }

        @Override
        protected boolean firstUpdate() {
            if (Double.isNaN(trial)) {
                return false;
            }
            stream.nextDraw();
            x += trial;
            return true;
        }

        @Override
        protected void restoreState(TrainingState state) {
            restores++;
            super.restoreState(state);
        }
    }

    /** Writes down reports (with what the checkpoint on disk held then) and the run's other events. */
    private static final class Reports implements TrainingListener {
        final List<String> events = new ArrayList<>();
        final List<EpochReport> reports = new ArrayList<>();
        private final Path checkpoint;

        Reports(Path checkpoint) {
            this.checkpoint = checkpoint;
        }

        @Override
        public void onReport(EpochReport r) {
            reports.add(r);
            String saved = "-";
            if (checkpoint != null && Files.exists(checkpoint)) {
                try {
                    saved = Integer.toString(CheckpointWriter.read(checkpoint).state().epochsDone());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            events.add("report " + r.epoch() + " saved " + saved);
        }

        @Override
        public void onRollback(int epoch, int backTo, String reason, double rateFactor) {
            events.add("rollback " + epoch);
        }

        @Override
        public void onEarlyStop(int epoch, int bestEpoch, String metric, double best) {
            events.add("stop " + epoch + " best " + bestEpoch);
        }
    }

    @Test
    void aTrainerNeedsAtLeastOneEpoch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Steps(0, 1));
        assertEquals("epochs must be >= 1, found 0", e.getMessage());
        assertEquals(1, new Steps(1, 1).epochs());
    }

    @Test
    void theStateHoldsTheStreamPositionsAndTheHalvings() {
        Steps s = new Steps(3, 0.5);
        assertEquals(Map.of("rbm_sampling", 0L), s.drawPositions());
        s.trainEpoch(List.of());
        s.halveRate();
        s.halveRate();
        s.trainEpoch(List.of());
        // Epoch 1 at 0.5, epoch 2 at 0.5 / 4: x = 2 (0.5 + 0.125).
        assertEquals(1.25, s.x, 1e-12);
        assertEquals(Map.of("rbm_sampling", 4L), s.drawPositions());
        TrainingState state = s.state();
        assertEquals(2, state.epochsDone());
        assertEquals(4L, state.counter("sampling_draw"));
        assertEquals(2L, state.counter("rate_halvings"));

        Steps back = new Steps(3, 0.5);
        back.restore(state);
        assertEquals(2, back.epochsDone());
        assertEquals(1.25, back.x, 1e-12);
        assertEquals(Map.of("rbm_sampling", 4L), back.drawPositions());
        assertEquals(0.25, back.rateFactor());
        back.train(List.of());
        assertEquals(1.5, back.x, 1e-12, "the third epoch runs at the quarter rate");
        assertEquals(Map.of("rbm_sampling", 6L), back.drawPositions());

        // A state written before rollbacks existed has no halvings: the full rate.
        TrainingState old = new TrainingState("steps", 1, Map.of("sampling_draw", 2L, "x_bits",
                Double.doubleToLongBits(1.0)), Map.of());
        Steps fromOld = new Steps(3, 0.5);
        fromOld.halveRate();
        fromOld.restore(old);
        assertEquals(1.0, fromOld.rateFactor());
        // A state with every entry this trainer reads is still refused when another kind, or a longer run, wrote it.
        Map<String, Long> counters = Map.of("sampling_draw", 2L, "x_bits", 0L);
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> new Steps(3, 1).restore(
                new TrainingState("other", 1, counters, Map.of())));
        assertTrue(kind.getMessage().contains("'other'") && kind.getMessage().contains("'steps'"), kind.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Steps(3, 1).restore(
                new TrainingState("steps", 4, counters, Map.of())));
        assertEquals("steps", s.kind());
    }

    /** A stop requested before {@code train} (by an earlier run's early stopping) does not stop the next one. */
    @Test
    void trainClearsAnEarlierStopAndTrainEpochGoesPastThePlan() {
        Steps s = new Steps(2, 1);
        s.stop();
        s.train(List.of());
        assertEquals(2, s.epochsDone());
        s.trainEpoch(List.of());
        assertEquals(3, s.epochsDone());
        assertEquals(6.0, s.x, 1e-12);
    }

    @Test
    void checkpointsAreWrittenEveryFewEpochsAndAfterTheLast() throws IOException {
        Path p = dir.resolve("c.ebm");
        Steps s = new Steps(5, 1);
        List<Integer> written = new ArrayList<>();
        assertThrows(IllegalArgumentException.class, () -> new CheckpointWriter(s, s::file, p, 0, q -> { }));
        CheckpointWriter w = new CheckpointWriter(s, s::file, p, 2, q -> {
            assertEquals(p, q);
            written.add(s.epochsDone());
        });
        s.train(List.of(w));
        assertEquals(List.of(2, 4, 5), written);
        CheckpointWriter.Checkpoint c = CheckpointWriter.read(p);
        assertEquals(5, c.state().epochsDone());
        assertEquals(10f, c.model().tensors().get("x").data()[0]);
        assertEquals(10L, c.state().counter("sampling_draw"));
        c.requireTrainer("c.ebm", "pretraining", "steps");
        ModelFormatException other = assertThrows(ModelFormatException.class,
                () -> c.requireTrainer("c.ebm", "fine-tuning", "dbn-finetune"));
        assertEquals("c.ebm: a fine-tuning checkpoint must hold the state of a 'dbn-finetune' trainer, found 'steps'",
                other.getMessage());
        ModelFile snapshot = new CheckpointWriter(s, s::file, p, 1, q -> { }).snapshot();
        assertEquals(java.util.Set.of("x"), snapshot.tensors().keySet(), "the model's tensors (the state has no arrays)");
        assertEquals("steps", snapshot.metadata().get("state.trainer"), "and the trainer's state");
    }

    /** A diverged state is not written over the last good checkpoint, and a failed write names the file. */
    @Test
    void aNonFiniteModelOrAFailedWriteIsRefused() throws IOException {
        Path p = dir.resolve("c.ebm");
        Steps s = new Steps(3, 1);
        CheckpointWriter w = new CheckpointWriter(s, s::file, p, 1, q -> { });
        s.trainEpoch(List.of(w));
        s.x = Double.POSITIVE_INFINITY;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.trainEpoch(List.of(w)));
        assertTrue(e.getMessage().contains("training after epoch 2") && e.getMessage().endsWith(
                "; the checkpoint " + p + " keeps the last finite state"), e.getMessage());
        assertEquals(1, CheckpointWriter.read(p).state().epochsDone());

        Path blocked = dir.resolve("file-not-dir");
        Files.writeString(blocked, "x");
        Steps t = new Steps(1, 1);
        CheckpointWriter bad = new CheckpointWriter(t, t::file, blocked.resolve("c.ebm"), 1, q -> { });
        UncheckedIOException io = assertThrows(UncheckedIOException.class, () -> t.train(List.of(bad)));
        assertTrue(io.getMessage().startsWith("cannot write checkpoint " + blocked.resolve("c.ebm") + ": "),
                io.getMessage());
    }

    /**
     * Without safety rules every epoch is reported after its checkpoint, with the rate the epoch used
     * and a throughput that is the examples over the epoch's seconds.
     */
    @Test
    void eachEpochIsReportedAfterItsCheckpoint() throws IOException {
        Path p = dir.resolve("c.ebm");
        Steps s = new Steps(3, 0.5);
        Reports log = new Reports(p);
        TrainingRun.run(s, null, s::file, Checkpointing.every(p, 2), 40,
                TrainingRun.Metrics.every(2, () -> Map.of("x", s.x)), List.of(log));
        assertEquals(List.of("report 1 saved -", "report 2 saved 2", "report 3 saved 3"), log.events);
        EpochReport first = log.reports.get(0);
        assertEquals(1, first.epoch());
        assertEquals(3, first.epochs());
        assertEquals(0.5, first.learningRate());
        assertTrue(first.trainSeconds() > 0 && first.trainSeconds() < 60, "seconds " + first.trainSeconds());
        assertEquals(40, first.examplesPerSecond() * first.trainSeconds(), 1e-6);
        assertEquals(Map.of(), first.metrics(), "metrics every 2 epochs: none after the first");
        assertEquals(2.0, log.reports.get(1).metrics().get("x"));
        double took = log.reports.get(1).metrics().get("metrics_seconds");
        assertTrue(took >= 0 && took < 60, "metrics_seconds " + took);
        assertEquals(3.0, log.reports.get(2).metrics().get("x"), "metrics after the last epoch too");
        // The checkpoint carries the reports with metrics (epochs 2 and 3), timings left out.
        List<TrainingState.Reported> kept = CheckpointWriter.read(p).state().reports();
        assertEquals(List.of(new TrainingState.Reported(2, Map.of("x", 2.0)), new TrainingState.Reported(3,
                Map.of("x", 3.0))), kept);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.Metrics.every(0, Map::of));
        assertEquals("metrics interval must be >= 1 epoch, found 0", e.getMessage());
        assertEquals(Map.of(), TrainingRun.Metrics.none().evaluate(3, 3));
        TrainingRun.Metrics everyEpoch = TrainingRun.Metrics.every(1, () -> Map.of("m", 1.0));
        assertEquals(1.0, everyEpoch.evaluate(1, 3).get("m"), "an interval of 1 evaluates every epoch");
    }

    /** With safety rules the checkpoints follow the good epochs only; a rolled-back epoch writes none. */
    @Test
    void aGuardedRunCheckpointsGoodEpochs() throws IOException {
        Path p = dir.resolve("g.ebm");
        Steps s = new Steps(3, 2000);
        Reports log = new Reports(p);
        // Epoch 1 grows x from 0 to 4000, past 1000 times the floor of 1: rolled back; at half the rate
        // it adds 2000, still past; at a quarter it adds 1000, not more than 1000 times 1: kept.
        List<Float> rolledBack = new ArrayList<>();
        TrainingRun.run(s, null, s::file, f -> {
            rolledBack.add(f.tensors().get("x").data()[0]);
            s.load(f);
        }, Checkpointing.every(p, 1), 1, TrainingRun.Metrics.none(), new TrainingSafety(null, false, 0, 2, 10),
                List.of(log));
        assertEquals(List.of(0f, 0f), rolledBack, "each rollback gives the model the last good file");
        assertEquals(List.of("rollback 1", "rollback 1", "report 1 saved 1", "report 2 saved 2", "report 3 saved 3"),
                log.events);
        assertEquals(3000, s.x, 1e-9);
        assertEquals(0.25, log.reports.get(0).learningRate() / 2000);
    }

    /**
     * Early stopping watches the metric after each good epoch; patience 2 without a stop (the last epoch
     * comes first) still leaves the model with the best epoch's parameters; a best last epoch is kept as
     * it is, without a restore.
     */
    @Test
    void theBestEpochIsRestoredAfterTheRunWhenItWasNotTheLast() {
        // Held-out loss |x - 2| with x = 2e: best (0) after epoch 1, then 2 and 4 (within the explosion
        // factor's 10 of the best); 3 epochs, patience 3.
        Steps s = new Steps(3, 1);
        List<Float> loaded = new ArrayList<>();
        Reports log = new Reports(null);
        TrainingRun.run(s, null, s::file, f -> {
            loaded.add(f.tensors().get("x").data()[0]);
            s.load(f);
        }, Checkpointing.none(), 1, (e, n) -> Map.of("loss", Math.abs(s.x - 2)),
                new TrainingSafety("loss", false, 3, 0, 10), List.of(log));
        assertEquals(List.of("report 1 saved -", "report 2 saved -", "report 3 saved -"), log.events);
        assertEquals(List.of(2f), loaded);
        assertEquals(2.0, s.x);

        Steps last = new Steps(2, 1);
        List<Float> none = new ArrayList<>();
        TrainingRun.run(last, null, last::file, f -> none.add(0f), Checkpointing.none(), 1,
                (e, n) -> Map.of("loss", -last.x), new TrainingSafety("loss", false, 3, 0, 10), List.of());
        assertEquals(List.of(), none, "the last epoch was the best: nothing to restore");

        // Patience 1 at the last epoch: worse, but the run ends anyway, so no early stop is announced.
        Steps end = new Steps(2, 1);
        Reports endLog = new Reports(null);
        TrainingRun.run(end, null, end::file, end::load, Checkpointing.none(), 1,
                (e, n) -> Map.of("loss", end.x), new TrainingSafety("loss", false, 1, 0, 10), List.of(endLog));
        assertEquals(List.of("report 1 saved -", "report 2 saved -"), endLog.events);
        assertEquals(2.0, end.x, "the best epoch's parameters");

        // Patience 0: the metric is watched for explosions only; a worse epoch never stops the run.
        Steps watched = new Steps(3, 1);
        Reports watchedLog = new Reports(null);
        TrainingRun.run(watched, null, watched::file, watched::load, Checkpointing.none(), 1,
                (e, n) -> Map.of("loss", watched.x), new TrainingSafety("loss", false, 0, 0, 10), List.of(watchedLog));
        assertEquals(List.of("report 1 saved -", "report 2 saved -", "report 3 saved -"), watchedLog.events);
        assertEquals(6.0, watched.x);
    }

    /**
     * The trial update must leave the model and the trainer as they were. It explodes past 1000 times the
     * largest magnitude before it, or 1 when that was smaller: from 0, +1000 is allowed and +1000.5 is not;
     * from 3, +2996 (to 2999) is allowed and +2998 (to 3001, past 1000 x 3) is not.
     */
    @Test
    void theFirstUpdateIsTriedAndUndone() {
        Steps fresh = new Steps(2, 1);
        fresh.trial = 1000;
        List<Float> models = new ArrayList<>();
        TrainingRun.requireStableFirstUpdate(fresh, fresh::file, f -> models.add(f.tensors().get("x").data()[0]),
                "learning_rate");
        assertEquals(List.of(0f), models, "the model is given back the file from before the trial");
        assertEquals(0.0, fresh.x);
        assertEquals(Map.of("rbm_sampling", 0L), fresh.drawPositions(), "the stream is put back");
        assertEquals(1, fresh.restores);

        Steps big = new Steps(2, 1);
        big.trial = 1000.5;
        SettingException e = assertThrows(SettingException.class,
                () -> TrainingRun.requireStableFirstUpdate(big, big::file, big::load, "learning_rate"));
        assertEquals("learning_rate", e.setting());
        assertTrue(e.detail().contains("the largest magnitude in x grew from 0.0 to 1000.5 in one update"),
                e.detail());
        assertEquals(0.0, big.x, "put back after a refusal too");

        Steps scaled = new Steps(2, 1);
        scaled.x = 3;
        scaled.trial = 2996;
        TrainingRun.requireStableFirstUpdate(scaled, scaled::file, scaled::load, "learning_rate");
        scaled.trial = 2998;
        assertThrows(SettingException.class,
                () -> TrainingRun.requireStableFirstUpdate(scaled, scaled::file, scaled::load, "learning_rate"));
        assertEquals(3.0, scaled.x);

        Steps nan = new Steps(2, 1);
        nan.trial = Double.NaN;
        TrainingRun.requireStableFirstUpdate(nan, nan::file, nan::load, "learning_rate");
        nan.trial = Double.POSITIVE_INFINITY;
        SettingException inf = assertThrows(SettingException.class,
                () -> TrainingRun.requireStableFirstUpdate(nan, nan::file, nan::load, "step_size"));
        assertEquals("step_size", inf.setting());
        assertTrue(inf.detail().contains("non-finite value Infinity in x"), inf.detail());
    }
}
