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
}
