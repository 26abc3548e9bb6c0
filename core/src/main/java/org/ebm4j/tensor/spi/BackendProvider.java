package org.ebm4j.tensor.spi;

import org.ebm4j.tensor.Backend;

/**
 * The {@link java.util.ServiceLoader} entry point of a backend module
 * ({@code META-INF/services/org.ebm4j.tensor.spi.BackendProvider}).
 *
 * <p>The constructor must be cheap and must not touch native code. {@link #probe()} decides
 * whether the backend can run here; it must catch {@link LinkageError} and native exceptions,
 * turn them into a reason a user can act on, and cache its answer.
 */
public interface BackendProvider {

    /** The selection name ({@code "cpu"}, {@code "cuda"}). */
    String name();

    /** Higher wins when several probes succeed (CUDA above CPU). */
    int priority();

    /** Whether this backend can run on this machine and, if not, why. Cached after the first call. */
    Probe probe();

    /** Creates the backend; only called after a successful {@link #probe()}. */
    Backend create();

    /**
     * Whether the backend can run as {@code variant} (the part after the colon of a selection such
     * as {@code "cuda:1"}, a device). Backends without variants answer unavailable, saying so.
     */
    default Probe probe(String variant) {
        return Probe.unavailable("backend '" + name() + "' takes no variant, found '" + name() + ":" + variant + "'");
    }

    /** Creates the backend as {@code variant}; only called after a successful {@link #probe(String)}. */
    default Backend create(String variant) {
        throw new IllegalArgumentException("backend '" + name() + "' takes no variant, found '" + name() + ":" + variant + "'");
    }
}
