package org.ebm4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.ebm4j.data.Standardization;
import org.ebm4j.io.RbmModelFile;
import org.ebm4j.rbm.RbmTrainer;

/**
 * Writes an {@link RbmCheckpoint} every {@code every} epochs and after the last one, atomically,
 * so a run killed at any moment can be resumed from its last complete checkpoint.
 */
public final class CheckpointWriter implements TrainingListener {
    private final RbmTrainer trainer;
    private final Path path;
    private final int every;
    private final Map<String, String> metadata;
    private final Standardization standardization;
    private final float[] visibleMeans;
    private final Consumer<Path> onWritten;

    /**
     * @param metadata        extra model metadata (data source, binarization...), stored with each checkpoint
     * @param standardization the data transform to store, or null
     * @param visibleMeans    the training data's per-visible means to store, or null
     * @param onWritten       told about each written checkpoint (may be a no-op)
     */
    public CheckpointWriter(RbmTrainer trainer, Path path, int every, Map<String, String> metadata,
                            Standardization standardization, float[] visibleMeans, Consumer<Path> onWritten) {
        if (every <= 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1 epoch, found " + every);
        }
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        this.path = Objects.requireNonNull(path, "path");
        this.every = every;
        this.metadata = Map.copyOf(metadata);
        this.standardization = standardization;
        this.visibleMeans = visibleMeans;
        this.onWritten = Objects.requireNonNull(onWritten, "onWritten");
    }

    @Override
    public void onEpochEnd(int epoch, double learningRate, double seconds) {
        if (epoch % every != 0 && epoch != trainer.config().epochs()) {
            return;
        }
        try {
            snapshot().write(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + path + ": " + e.getMessage(), e);
        }
        onWritten.accept(path);
    }

    /** The trainer's current state as a checkpoint. */
    public RbmCheckpoint snapshot() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>(metadata);
        m.putAll(trainer.config().toMetadata());
        return new RbmCheckpoint(new RbmModelFile(trainer.model().parameters(), m, standardization, visibleMeans), trainer.state());
    }
}
