package org.ebm4j.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how often a training run writes its checkpoint (see {@link CheckpointWriter}). Not a
 * training option: it changes no result, so it is not part of a model's provenance.
 *
 * @param path  the checkpoint file, replaced atomically each time; null for none
 * @param every write after every this many epochs (and after the last one)
 */
public record Checkpointing(Path path, int every) {
    private static final Checkpointing NONE = new Checkpointing(null, 1);

    public Checkpointing {
        if (every < 1) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1 epoch, found " + every);
        }
    }

    /** No checkpoints. */
    public static Checkpointing none() {
        return NONE;
    }

    /** A checkpoint at {@code path} after every {@code every} epochs and after the last. */
    public static Checkpointing every(Path path, int every) {
        return new Checkpointing(Objects.requireNonNull(path, "path"), every);
    }

    public boolean enabled() {
        return path != null;
    }
}
