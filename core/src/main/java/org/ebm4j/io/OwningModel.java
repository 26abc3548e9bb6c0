package org.ebm4j.io;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The life cycle shared by models that own backend memory: the {@link Provenance} they carry, their
 * model file with that provenance, a check that refuses use after {@link #close()}, and an idempotent
 * close that releases what they own once. A family's model extends it, writes its file in
 * {@link #modelFile(Provenance)} and calls {@link #checkOpen()} before touching its parameters.
 */
public abstract class OwningModel<R> implements SavedModel {
    private final R owned;
    private final Provenance provenance;
    private final String what;
    private final Runnable release;
    private boolean closed;

    /**
     * @param owned      what the model owns (its parameters on a backend)
     * @param provenance where the model came from
     * @param what       the model in words, for the closed-model error ({@code "chain model"})
     * @param release    frees what the model owns; run once, on the first {@link #close()}
     */
    protected OwningModel(R owned, Provenance provenance, String what, Runnable release) {
        this.owned = Objects.requireNonNull(owned, "owned");
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        this.what = what;
        this.release = Objects.requireNonNull(release, "release");
    }

    /** The model's parameters and metadata with {@code provenance} in it (the model is open). */
    protected abstract ModelFile modelFile(Provenance provenance);

    /**
     * {@code build}'s model, or, when {@code build} throws, {@code release} run before the exception goes
     * on: a model under construction owns its fresh parameters before the model object exists.
     */
    protected static <M> M releasingOnFailure(Runnable release, Supplier<M> build) {
        try {
            return build.get();
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    @Override
    public final ModelFile toModelFile() {
        checkOpen();
        return modelFile(provenance);
    }

    @Override
    public final Provenance provenance() {
        return provenance;
    }

    /**
     * What the model owns.
     *
     * @throws IllegalStateException when the model is closed
     */
    protected final R owned() {
        checkOpen();
        return owned;
    }

    /** @throws IllegalStateException when the model is closed */
    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this " + what + " is closed");
        }
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release.run();
        }
    }
}
