package org.ebm4j.tensor.spi;

import java.util.Objects;

/**
 * The answer of {@link BackendProvider#probe()}: available, or not with a reason that says what
 * is missing and what to do about it.
 */
public record Probe(boolean available, String reason) {
    public Probe {
        Objects.requireNonNull(reason, "reason");
    }

    public static Probe ok(String detail) {
        return new Probe(true, detail);
    }

    public static Probe unavailable(String reason) {
        return new Probe(false, reason);
    }
}
