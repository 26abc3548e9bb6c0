package org.ebm4j.train;

import org.ebm4j.io.ModelFile;

/**
 * A trainer of one host number {@code x}, for tests of the training loop whose every value is known in
 * closed form: its model file holds {@code x} (as a 1x1 tensor) and its state holds {@code x}'s bits, so
 * both a rollback of the model and a restore of the trainer put {@code x} back. A subclass says what an
 * epoch does to {@code x}.
 */
abstract class ScalarTrainer extends EpochTrainer {
    private final int batches;
    /** The parameter. */
    double x;

    ScalarTrainer(String kind, int epochs, int batches, double x) {
        super(kind, epochs);
        this.batches = batches;
        this.x = x;
    }

    /** The model's file: {@code x} as the float tensor {@code x}. */
    final ModelFile file() {
        return new ModelFile().putMetadata("model", kind()).putTensor("x", 1, 1, new float[] {(float) x});
    }

    /** Puts a file {@link #file} gave back into the model. */
    final void load(ModelFile f) {
        x = f.tensors().get("x").data()[0];
    }

    @Override
    public final int batchesPerEpoch() {
        return batches;
    }

    @Override
    protected final void saveState(TrainingState.Builder state) {
        state.counter("x_bits", x);
    }

    @Override
    protected void restoreState(TrainingState state) {
        x = Double.longBitsToDouble(state.counter("x_bits"));
    }

    @Override
    public final void close() {
    }
}
