package org.ebm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.tensor.reference.ReferenceBackendProvider;
import org.ebm4j.tensor.spi.BackendProvider;
import org.ebm4j.tensor.spi.Probe;
import org.ebm4j.testing.SystemProperties;
import org.junit.jupiter.api.Test;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class BackendsTest {

    /**
     * A provider with a scripted probe that counts its calls; the record's {@code name()} and
     * {@code priority()} are the provider's.
     */
    private record FakeProvider(String name, int priority, Supplier<Probe> script, Backend backend, int[] calls)
            implements BackendProvider {
        FakeProvider(String name, int priority, Supplier<Probe> script) {
            this(name, priority, script, new ReferenceBackend(), new int[2]);
        }

        @Override
        public Probe probe() {
            calls[0]++;
            return script.get();
        }

        @Override
        public Backend create() {
            calls[1]++;
            return backend;
        }

        int probes() {
            return calls[0];
        }

        int creates() {
            return calls[1];
        }
    }

    private static FakeProvider ok(String name, int priority) {
        return new FakeProvider(name, priority, () -> Probe.ok(name + " ready"));
    }

    private static FakeProvider unavailable(String name, int priority, String reason) {
        return new FakeProvider(name, priority, () -> Probe.unavailable(reason));
    }

    @Test
    void highestPriorityAvailableWins() {
        FakeProvider cpu = ok("cpu", 10);
        FakeProvider cuda = ok("cuda", 100);
        FakeProvider slow = ok("slow", 1);
        Backends.Selection s = Backends.select("auto", List.of(slow, cpu, cuda));
        assertSame(cuda.backend(), s.backend());
        assertEquals("auto", s.requested());
        assertEquals(List.of(), s.skipped());
        assertEquals(1, cuda.creates());
        assertEquals(0, cpu.creates() + slow.creates(), "only the chosen provider creates a backend");
        assertEquals(0, cpu.probes() + slow.probes(), "providers below the chosen one are not probed");
    }

    @Test
    void unavailableProvidersAreSkippedWithTheirReasons() {
        FakeProvider cuda = unavailable("cuda", 100, "libcuda.so.1 not found: install the NVIDIA driver");
        FakeProvider other = unavailable("other", 50, "disabled");
        FakeProvider cpu = ok("cpu", 10);
        Backends.Selection s = Backends.select(null, List.of(cpu, other, cuda));
        assertSame(cpu.backend(), s.backend());
        assertEquals(List.of(new Backends.Skipped("cuda", 100, "libcuda.so.1 not found: install the NVIDIA driver"),
                new Backends.Skipped("other", 50, "disabled")), s.skipped());
        assertEquals(0, cuda.creates(), "an unavailable provider never creates");
    }

    @Test
    void probesThatThrowAreSkippedNotFatal() {
        FakeProvider link = new FakeProvider("cuda", 100, () -> {
            throw new UnsatisfiedLinkError("no jcuda-12.6.0 in java.library.path");
        });
        FakeProvider noClass = new FakeProvider("cuda2", 90, () -> {
            throw new NoClassDefFoundError("jcuda/driver/JCudaDriver");
        });
        FakeProvider runtime = new FakeProvider("broken", 80, () -> {
            throw new IllegalStateException("device busy");
        });
        FakeProvider silent = new FakeProvider("silent", 70, () -> null);
        FakeProvider cpu = ok("cpu", 10);
        Backends.Selection s = Backends.select("auto", List.of(cpu, link, noClass, runtime, silent));
        assertSame(cpu.backend(), s.backend());
        List<Backends.Skipped> skipped = s.skipped();
        assertEquals(4, skipped.size());
        assertTrue(skipped.get(0).reason().contains("UnsatisfiedLinkError")
                && skipped.get(0).reason().contains("java.library.path"), skipped.get(0).reason());
        assertTrue(skipped.get(1).reason().contains("NoClassDefFoundError"), skipped.get(1).reason());
        assertTrue(skipped.get(2).reason().contains("device busy"), skipped.get(2).reason());
        assertEquals("probe returned no answer", skipped.get(3).reason());
    }

    @Test
    void nothingAvailableIsAnErrorListingEveryReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("auto",
                List.of(unavailable("cuda", 100, "no GPU"), unavailable("cpu", 10, "no memory"))));
        assertTrue(e.getMessage().contains("cuda: no GPU") && e.getMessage().contains("cpu: no memory"), e.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> Backends.select("auto", List.of()));
        assertTrue(none.getMessage().contains("ebm4j-cpu-backend"), none.getMessage());
    }

    @Test
    void forcedUnknownNameListsTheKnownNames() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backends.select("tpu", List.of(ok("cpu", 10), ok("cuda", 100))));
        String m = e.getMessage();
        assertTrue(m.contains("'tpu'") && m.contains("unknown") && m.contains("cuda, cpu"), m);
        assertTrue(m.contains(Backends.PROPERTY) && m.contains(Backends.ENV), "says how to choose: " + m);
    }

    @Test
    void forcedUnavailableNameGivesTheReason() {
        FakeProvider cpu = ok("cpu", 10);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("cuda",
                List.of(cpu, unavailable("cuda", 100, "CUDA driver 12.0 is older than the PTX needs"))));
        assertTrue(e.getMessage().contains("'cuda'") && e.getMessage().contains("older than the PTX needs"),
                e.getMessage());
        assertEquals(0, cpu.creates(), "no fallback when a name is forced");
    }

    @Test
    void forcedNameBeatsPriorityAndIsCaseInsensitive() {
        FakeProvider cuda = ok("cuda", 100);
        FakeProvider cpu = ok("cpu", 10);
        Backends.Selection s = Backends.select("  CPU ", List.of(cuda, cpu));
        assertSame(cpu.backend(), s.backend());
        assertEquals("cpu", s.requested());
        assertEquals(1, s.skipped().size());
        assertEquals("cuda", s.skipped().get(0).name());
        assertTrue(s.skipped().get(0).reason().contains("not requested"), s.skipped().get(0).reason());
        assertEquals(0, cuda.creates());
    }

    @Test
    void blankRequestMeansAuto() {
        FakeProvider cuda = ok("cuda", 100);
        assertSame(cuda.backend(), Backends.select("  ", List.of(ok("cpu", 10), cuda)).backend());
    }

    @Test
    void systemPropertyTakesPrecedenceOverTheEnvironment() {
        SystemProperties.restoring(Backends.PROPERTY, () -> {
            System.setProperty(Backends.PROPERTY, " Reference ");
            assertEquals("reference", Backends.requestedName());
            Backends.Selection s = Backends.select(Backends.requestedName(),
                    List.of(ok("cpu", 10), new ReferenceBackendProvider()));
            assertEquals("reference", s.backend().name());
            System.setProperty(Backends.PROPERTY, "");
            String env = System.getenv(Backends.ENV);
            String want = env == null || env.isBlank() ? Backends.AUTO : env.trim().toLowerCase(Locale.ROOT);
            assertEquals(want, Backends.requestedName(), "a blank property falls back to " + Backends.ENV);
            System.clearProperty(Backends.PROPERTY);
            assertEquals(want, Backends.requestedName());
        });
    }

    /** The test-jar rides on other modules' test class paths: it must not register the reference backend. */
    @Test
    void theReferenceBackendIsNotAServiceLoaderProvider() {
        for (BackendProvider p : Backends.providers()) {
            assertTrue(!p.name().equals(ReferenceBackend.NAME), "reference backend found by ServiceLoader");
        }
    }
}
