package org.ebm4j.io;

import java.util.Objects;

/**
 * What a {@link SavedModel} that owns one resource (its energy, its network) shares with every other: the
 * provenance, the file written from the resource, the check that the model is still open, and an
 * idempotent close that frees the resource.
 *
 * @param <T> the owned resource
 */
public abstract class OwningSavedModel<T> implements SavedModel {
    private final T owned;
    private final Provenance provenance;
    private final String what;
    private boolean closed;

    /**
     * @param owned      the resource, closed by {@link #close()} through {@link #release}
     * @param provenance where the model came from
     * @param what       the model in messages, for example {@code "segmentation recognizer"}
     */
    protected OwningSavedModel(T owned, Provenance provenance, String what) {
        this.owned = Objects.requireNonNull(owned, "owned");
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        this.what = what;
    }

    /** The owned resource. @throws IllegalStateException once the model is closed */
    protected final T owned() {
        if (closed) {
            throw new IllegalStateException("this " + what + " is closed");
        }
        return owned;
    }

    /** The model file of {@code owned} with {@code provenance}. */
    protected abstract ModelFile toModelFile(T owned, Provenance provenance);

    /** Frees {@code owned}'s memory. */
    protected abstract void release(T owned);

    @Override
    public final ModelFile toModelFile() {
        return toModelFile(owned(), provenance);
    }

    @Override
    public final Provenance provenance() {
        return provenance;
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release(owned);
        }
    }
}
