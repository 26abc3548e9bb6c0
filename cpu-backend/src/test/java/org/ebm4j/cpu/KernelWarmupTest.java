package org.ebm4j.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.testing.SystemProperties;
import org.junit.jupiter.api.Test;

class KernelWarmupTest {
    @Test
    void propertySwitchesTheWarmupOff() {
        SystemProperties.restoring(KernelWarmup.PROPERTY, () -> {
            System.setProperty(KernelWarmup.PROPERTY, "false");
            assertFalse(KernelWarmup.enabled());
            assertNull(KernelWarmup.startOnce(KernelSelection.fromSystemProperty()));
            System.setProperty(KernelWarmup.PROPERTY, " FALSE ");
            assertFalse(KernelWarmup.enabled());
            System.setProperty(KernelWarmup.PROPERTY, "true");
            assertTrue(KernelWarmup.enabled());
            System.clearProperty(KernelWarmup.PROPERTY);
            assertTrue(KernelWarmup.enabled());
            System.setProperty(KernelWarmup.PROPERTY, "no");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, KernelWarmup::enabled);
            assertEquals("-Debm.cpu.warmup must be true or false (unset: true), found 'no'", e.getMessage());
        });
    }

    /** A few rounds run to the end on this run's kernel set, and a backend used meanwhile is unaffected. */
    @Test
    void warmupRunsBesideABackendWithoutChangingItsResults() throws InterruptedException {
        KernelSelection sel = KernelSelection.fromSystemProperty();
        float[] expected;
        try (CpuBackend b = new CpuBackend(sel, 2)) {
            expected = product(b);
        }
        Thread t = new Thread(() -> KernelWarmup.run(sel, 20));
        t.start();
        try (CpuBackend b = new CpuBackend(sel, 2)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(product(b)));
            }
        }
        t.join(120_000);
        assertFalse(t.isAlive(), "20 warm-up rounds did not finish in two minutes");
    }

    private static float[] product(CpuBackend b) {
        int m = 7;
        int k = 300;
        int n = 90;
        float[] a = new float[m * k];
        float[] w = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 13) * 0.25f - 1f;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 7) * 0.125f - 0.3f;
        }
        try (var ta = b.fromArray(a, m, k); var tw = b.fromArray(w, k, n); var c = b.allocate(m, n)) {
            b.gemm(false, false, 1f, ta, tw, 0f, c);
            return c.toArray();
        }
    }
}
