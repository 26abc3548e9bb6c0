package org.ebm4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;

/**
 * Writes a checkpoint (the model file as it stands plus {@link EpochTrainer#state()}) every {@code every} epochs and after the last one,
 * atomically (temporary file, fsync, rename), so a run killed at any moment leaves its last
 * complete checkpoint; the one checkpoint writer of every trainer. A checkpoint is a complete
 * model file (any reader of the model reads it) plus the trainer's {@link TrainingState}.
 */
public final class CheckpointWriter implements TrainingListener {
    private final EpochTrainer trainer;
    private final Supplier<ModelFile> model;
    private final Path path;
    private final int every;
    private final Consumer<Path> onWritten;
    private final Supplier<List<TrainingState.Reported>> reports;

    /**
     * @param model     the model's file as it stands (parameters, metadata, provenance), asked for at each checkpoint
     * @param onWritten told about each written checkpoint (may be a no-op)
     */
    public CheckpointWriter(EpochTrainer trainer, Supplier<ModelFile> model, Path path, int every,
                            Consumer<Path> onWritten) {
        this(trainer, model, path, every, onWritten, List::of);
    }

    /** As above, the checkpoints carrying the run's {@code reports} as they stand ({@link TrainingState#reports}). */
    CheckpointWriter(EpochTrainer trainer, Supplier<ModelFile> model, Path path, int every, Consumer<Path> onWritten,
                     Supplier<List<TrainingState.Reported>> reports) {
        if (every <= 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1 epoch, found " + every);
        }
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        this.model = Objects.requireNonNull(model, "model");
        this.path = Objects.requireNonNull(path, "path");
        this.every = every;
        this.onWritten = Objects.requireNonNull(onWritten, "onWritten");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    @Override
    public void onEpochEnd(int epoch, double learningRate, double seconds) {
        if (epoch % every != 0 && epoch != trainer.epochs()) {
            return;
        }
        ModelFile snapshot = snapshot();
        try {
            // A diverged run stops here, before its NaNs replace the last good checkpoint (which a
            // loader would refuse anyway).
            for (ModelFile.Entry e : snapshot.tensors().values()) {
                ModelFile.requireFinite(e, "training after epoch " + epoch);
            }
        } catch (ModelFormatException e) {
            throw new IllegalStateException(e.getMessage() + "; the checkpoint " + path + " keeps the last finite state");
        }
        try {
            snapshot.write(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + path + ": " + e.getMessage(), e);
        }
        onWritten.accept(path);
    }

    /** The checkpoint as it would be written now. */
    public ModelFile snapshot() {
        ModelFile f = model.get();
        trainer.state().withReports(reports.get()).writeTo(f);
        return f;
    }

    /** A checkpoint read back: the model file and the trainer state it carries. */
    public record Checkpoint(ModelFile model, TrainingState state) {
        /**
         * Refuses a checkpoint whose state is not that of the trainer a run in {@code phase} writes: a
         * run of several phases (pretraining, then fine-tuning or joint training) checkpoints the state
         * of a different trainer in each.
         *
         * @param source  the file, for the message
         * @param phase   the phase the checkpoint's metadata names
         * @param trainer the {@link EpochTrainer#kind()} that phase's checkpoints hold
         * @throws ModelFormatException naming the phase, the trainer expected and the one found
         */
        public void requireTrainer(String source, String phase, String trainer) throws ModelFormatException {
            if (!state.trainer().equals(trainer)) {
                throw new ModelFormatException(source + ": a " + phase + " checkpoint must hold the state of a '"
                        + trainer + "' trainer, found '" + state.trainer() + "'");
            }
        }
    }

    /** Reads a checkpoint; a model file without a training state is refused, naming the file. */
    public static Checkpoint read(Path path) throws IOException {
        String source = path.toString();
        ModelFile f = ModelFile.read(path);
        if (!TrainingState.isIn(f)) {
            throw new ModelFormatException(source + ": not a checkpoint (it holds a model but no training state)");
        }
        return new Checkpoint(f, TrainingState.readFrom(f, source));
    }
}
