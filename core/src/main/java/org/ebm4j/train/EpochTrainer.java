package org.ebm4j.train;

import java.util.List;

/**
 * The one training contract of the library: an epoch loop over minibatch updates, with
 * listeners and a host snapshot of the trainer's state ({@link #state()}/{@link #restore}) that
 * {@link CheckpointWriter} stores beside the model's parameters, atomically. Every trainer (RBM, both DBN phases, Boltzmann machines, energy
 * models) extends it, so listeners, progress bars, checkpoints and resumption work the same for
 * all of them.
 *
 * <p>A subclass implements one epoch's updates ({@link #runEpoch}), the number of updates per
 * epoch and its state; the loop, the epoch count, the timing and the listener
 * calls live here. Not thread-safe: one trainer belongs to one training loop.
 */
public abstract class EpochTrainer implements AutoCloseable {
    private final int epochs;
    private int epochsDone;

    /** @param epochs the planned number of epochs ({@code >= 1}) */
    protected EpochTrainer(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, found " + epochs);
        }
        this.epochs = epochs;
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

    /** Updates per epoch (a last partial batch counts as one). */
    public abstract int batchesPerEpoch();

    /**
     * A name for the kind of trainer, stored with its state so that a state is never restored
     * into another kind (for example {@code "rbm"}, {@code "dbn-finetune"}).
     */
    public abstract String kind();

    /** What the trainer needs besides the parameters to continue exactly: see {@link TrainingState}. */
    public final TrainingState state() {
        TrainingState.Builder b = TrainingState.builder(kind(), epochsDone);
        saveState(b);
        return b.build();
    }

    /** Adds the trainer's counters and arrays to {@code state}. */
    protected abstract void saveState(TrainingState.Builder state);

    /**
     * Continues from a snapshot taken by {@link #state()} of a trainer of the same kind and
     * configuration; the model's parameters are restored separately (they live in the model).
     */
    public final void restore(TrainingState state) {
        state.checkFits(kind(), epochs);
        restoreState(state);
        epochsDone = state.epochsDone();
    }

    /** Restores the trainer's counters and arrays from {@code state} (already checked to be of this kind). */
    protected abstract void restoreState(TrainingState state);

    /** Runs the remaining epochs (up to {@link #epochs()}), calling the listeners. */
    public final void train(List<? extends TrainingListener> listeners) {
        for (TrainingListener l : listeners) {
            l.onStart(epochsDone + 1, epochs, batchesPerEpoch());
        }
        while (epochsDone < epochs) {
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
}
