package org.ebm4j.tensor.reference;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.spi.BackendProvider;
import org.ebm4j.tensor.spi.Probe;

/**
 * A provider for {@link ReferenceBackend}, for selection tests that pass provider lists to
 * {@link org.ebm4j.tensor.Backends#select(String, java.util.List)}. Deliberately not listed in
 * {@code META-INF/services}: the test-jar is on other modules' test class paths, where automatic
 * selection must never pick the reference backend.
 */
public final class ReferenceBackendProvider implements BackendProvider {
    /** Below any real backend. */
    public static final int PRIORITY = -1000;

    @Override
    public String name() {
        return ReferenceBackend.NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Probe probe() {
        return Probe.ok("plain single-threaded reference loops (tests only)");
    }

    @Override
    public Backend create() {
        return new ReferenceBackend();
    }
}
