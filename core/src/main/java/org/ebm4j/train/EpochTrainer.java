package org.ebm4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;

/**
 * The one training contract of the library: an epoch loop over minibatch updates, with
 * listeners and a host snapshot of the trainer's state ({@link #state()}/{@link #restore}) that
 * {@link CheckpointWriter} stores beside the model's parameters, atomically. Every trainer (RBM,
 * both DBN phases, Boltzmann machines, energy models) extends it, so listeners, progress bars, checkpoints and resumption work the same for
 * all of them.
 *
 * <p>A subclass implements one epoch's updates ({@link #runEpoch}), the number of updates per
 * epoch and its state; the loop, the epoch count, the timing and the listener
 * calls live here, and so do the positions of the random streams the trainer opens with
 * {@link #openStream}. Not thread-safe: one trainer belongs to one training loop.
 */
public abstract class EpochTrainer implements AutoCloseable {
    private static final String RATE_HALVINGS = "rate_halvings";
    private final String kind;
    private final int epochs;
    private final List<OwnStream> streams = new ArrayList<>();
    private int epochsDone;
    private int rateHalvings;
    private boolean stopRequested;

    /**
     * @param kind   the {@link #kind()} of the trainer
     * @param epochs the planned number of epochs ({@code >= 1})
     */
    protected EpochTrainer(String kind, int epochs) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, found " + epochs);
        }
        this.epochs = epochs;
    }

    /**
     * Opens {@code id} under {@code seed} as one of the trainer's streams: its position is part of
     * {@link #state()} (counter {@code <role>_draw}, restored by {@link #restore}) and of
     * {@link #drawPositions()}.
     */
    protected final RandomStream openStream(StreamId id, long seed, String role) {
        RandomStream s = id.open(seed);
        streams.add(new OwnStream(id, role + "_draw", s));
        return s;
    }

    /**
     * Where the streams of {@link #openStream} stand now, by stream name in lower case (for example
     * {@code rbm_sampling}), in the order opened: for a model's provenance.
     */
    public final Map<String, Long> drawPositions() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (OwnStream s : streams) {
            m.put(s.id().name().toLowerCase(Locale.ROOT), s.stream().drawIndex());
        }
        return m;
    }

    /**
     * The factor {@code 0.5^n} by which the trainer must multiply its learning rate after {@code n}
     * calls of {@link #halveRate} (divergence rollbacks); part of {@link #state()} (counter
     * {@code rate_halvings}).
     */
    protected final double rateFactor() {
        return Math.scalb(1.0, -rateHalvings);
    }

    /** Halves the learning rate of every later update (see {@link #rateFactor()}). */
    public final void halveRate() {
        rateHalvings++;
    }

    /** How often the rate was halved. */
    final int rateHalvings() {
        return rateHalvings;
    }

    /** Sets how often the rate was halved (a rollback keeps the halvings the restored state predates). */
    final void rateHalvings(int n) {
        rateHalvings = n;
    }

    /** Ends {@link #train} after the epoch in progress (early stopping). */
    public final void stop() {
        stopRequested = true;
    }

    /** Called by the loop after each update with the 1-based update number of the epoch. */
    @FunctionalInterface
    protected interface BatchDone {
        void after(int batch);
    }

    /**
     * Runs the updates of epoch {@code epochIndex} (0-based), calling {@code done} after each,
     * and returns the learning rate it used.
     */
    protected abstract double runEpoch(int epochIndex, BatchDone done);

    /**
     * Takes the first update of a fresh run on its first minibatch, as the first epoch would, and returns
     * true; or returns false, doing nothing, where the trainer offers no such trial (the default).
     * {@link TrainingRun#requireStableFirstUpdate} calls it between a {@link #state()} and a
     * {@link #restore}, so it may advance streams and optimizer state freely.
     */
    protected boolean firstUpdate() {
        return false;
    }

    /** Updates per epoch (a last partial batch counts as one). */
    public abstract int batchesPerEpoch();

    /**
     * A name for the kind of trainer, stored with its state so that a state is never restored
     * into another kind (for example {@code "rbm"}, {@code "dbn-finetune"}).
     */
    public final String kind() {
        return kind;
    }

    /** What the trainer needs besides the parameters to continue exactly: see {@link TrainingState}. */
    public final TrainingState state() {
        TrainingState.Builder b = TrainingState.builder(kind, epochsDone);
        for (OwnStream s : streams) {
            b.counter(s.counter(), s.stream().drawIndex());
        }
        b.counter(RATE_HALVINGS, rateHalvings);
        saveState(b);
        return b.build();
    }

    /** Adds the trainer's own counters and arrays (not the positions of its streams) to {@code state}. */
    protected abstract void saveState(TrainingState.Builder state);

    /**
     * Continues from a snapshot taken by {@link #state()} of a trainer of the same kind and
     * configuration; the model's parameters are restored separately (they live in the model).
     */
    public final void restore(TrainingState state) {
        state.checkFits(kind, epochs);
        long[] draws = new long[streams.size()];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = state.counter(streams.get(i).counter());
        }
        restoreState(state);
        for (int i = 0; i < draws.length; i++) {
            streams.get(i).stream().setDrawIndex(draws[i]);
        }
        epochsDone = state.epochsDone();
        // States written before rollbacks existed ran at the full rate.
        rateHalvings = state.counters().getOrDefault(RATE_HALVINGS, 0L).intValue();
    }

    /**
     * Restores the trainer's own counters and arrays from {@code state} (already checked to be of this
     * kind and to hold the streams' positions).
     */
    protected abstract void restoreState(TrainingState state);

    /** Runs the remaining epochs (up to {@link #epochs()}, or until {@link #stop()}), calling the listeners. */
    public final void train(List<? extends TrainingListener> listeners) {
        stopRequested = false;
        for (TrainingListener l : listeners) {
            l.onStart(epochsDone + 1, epochs, batchesPerEpoch());
        }
        while (epochsDone < epochs && !stopRequested) {
            trainEpoch(listeners);
        }
        for (TrainingListener l : listeners) {
            l.onEnd();
        }
    }

    /** One epoch, whether or not the planned epochs are done (a caller may train further by hand). */
    public final void trainEpoch(List<? extends TrainingListener> listeners) {
        long start = System.nanoTime();
        int epoch = epochsDone + 1;
        int batches = batchesPerEpoch();
        double lr = runEpoch(epochsDone, batch -> {
            for (int i = 0; i < listeners.size(); i++) {
                listeners.get(i).onBatch(epoch, batch, batches);
            }
        });
        epochsDone = epoch;
        double seconds = (System.nanoTime() - start) * 1e-9;
        for (TrainingListener l : listeners) {
            l.onEpochEnd(epoch, lr, seconds);
        }
    }

    /** Completed epochs. */
    public final int epochsDone() {
        return epochsDone;
    }

    /** Planned epochs. */
    public final int epochs() {
        return epochs;
    }

    private record OwnStream(StreamId id, String counter, RandomStream stream) {
    }
}
