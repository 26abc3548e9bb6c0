package org.ebm4j.tensor.spi;

import org.ebm4j.tensor.Backend;

/**
 * A backend provider for selection tests: a fixed name, priority and probe answer, and {@code backend}
 * as what it creates (null where the test never creates one). It has no variants.
 */
public record FixedProvider(String name, int priority, Probe probe, Backend backend) implements BackendProvider {

    @Override
    public Backend create() {
        if (backend == null) {
            throw new UnsupportedOperationException("provider '" + name + "' was given no backend to create");
        }
        return backend;
    }
}
