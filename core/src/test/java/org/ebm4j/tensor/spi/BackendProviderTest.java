package org.ebm4j.tensor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackendProviderTest {
    /** A provider that implements only what every backend must: no variants. */
    private static final BackendProvider PLAIN = new FixedProvider("plain", 0, Probe.ok("ready"), null);

    @Test
    void aBackendWithoutVariantsRefusesOneSayingSo() {
        Probe p = PLAIN.probe("1");
        assertFalse(p.available());
        assertEquals("backend 'plain' takes no variant, found 'plain:1'", p.reason());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PLAIN.create("1"));
        assertEquals("backend 'plain' takes no variant, found 'plain:1'", e.getMessage());
    }
}
