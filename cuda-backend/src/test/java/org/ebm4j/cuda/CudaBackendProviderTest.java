package org.ebm4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.spi.BackendProvider;
import org.ebm4j.tensor.spi.FixedProvider;
import org.ebm4j.tensor.spi.Probe;
import org.junit.jupiter.api.Test;

/**
 * Selection behaviour of the CUDA provider on a machine without a usable GPU (the build and CI
 * machines): the probe says why, auto selection falls back, forcing "cuda" fails with the same
 * reason. On a GPU machine these tests are skipped (the contract and parity suites run instead).
 */
class CudaBackendProviderTest {

    private static Probe probe() {
        return new CudaBackendProvider().probe();
    }

    private static void assumeNoGpu() {
        assumeFalse(probe().available(), "a CUDA device is available here; the no-GPU fallback tests do not apply");
    }

    /** A backend provider that always works: a stand-in for the CPU backend (not a dependency of this module). */
    private static BackendProvider standIn() {
        Backend backend = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "name": return "stand-in";
                        case "describe": return Map.of();
                        case "close": return null;
                        case "toString": return "stand-in backend";
                        case "hashCode": return 1;
                        case "equals": return proxy == args[0];
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
        return new FixedProvider("stand-in", 10, Probe.ok("always"), backend);
    }

    @Test
    void isRegisteredAsAServiceAboveTheCpuBackendsPriority() {
        BackendProvider cuda = Backends.providers().stream().filter(p -> p.name().equals("cuda")).findFirst()
                .orElseThrow(() -> new AssertionError("no 'cuda' provider in META-INF/services"));
        assertTrue(cuda instanceof CudaBackendProvider);
        assertEquals(100, cuda.priority());
        assertTrue(cuda.priority() > 10, "CUDA must outrank the CPU backend (priority 10)");
    }

    @Test
    void withoutADriverTheProbeSaysWhatToInstall() {
        assumeNoGpu();
        boolean driverInstalled = List.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1", "/usr/lib64/libcuda.so.1",
                "/usr/lib/wsl/lib/libcuda.so.1", "/usr/local/cuda/compat/libcuda.so.1").stream()
                .anyMatch(p -> Files.exists(Paths.get(p)));
        Probe p = probe();
        assertFalse(p.available());
        if (!driverInstalled) {
            assertEquals("no NVIDIA driver: libcuda.so.1 not found (install a driver for CUDA 12 or 13)", p.reason());
        } else {
            assertFalse(p.reason().isBlank());
        }
    }

    @Test
    void theProbeRunsOnceAndIsCachedAcrossProviderInstances() {
        Probe first = new CudaBackendProvider().probe();
        Probe second = new CudaBackendProvider().probe();
        assertSame(first, second);
    }

    @Test
    void autoSelectionFallsBackWithTheProbeReason() {
        assumeNoGpu();
        Backends.Selection s = Backends.select("auto", List.of(new CudaBackendProvider(), standIn()));
        assertEquals("stand-in", s.backend().name());
        assertEquals(1, s.skipped().size());
        Backends.Skipped skipped = s.skipped().get(0);
        assertEquals("cuda", skipped.name());
        assertEquals(100, skipped.priority());
        assertEquals(probe().reason(), skipped.reason());
    }

    @Test
    void forcingCudaFailsWithTheSameReason() {
        assumeNoGpu();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backends.select("cuda", List.of(new CudaBackendProvider(), standIn())));
        assertEquals("backend 'cuda' was requested but is unavailable: " + probe().reason(), e.getMessage());
        // the same through ServiceLoader, as -Debm.backend=cuda / EBM_BACKEND=cuda / --backend cuda do it
        IllegalStateException viaServices = assertThrows(IllegalStateException.class, () -> Backends.select("CUDA"));
        assertTrue(viaServices.getMessage().endsWith(probe().reason()), viaServices.getMessage());
    }

    @Test
    void aDeviceIsSelectedAsAVariantAndOtherBackendsRefuseVariants() {
        IllegalStateException badOrdinal = assertThrows(IllegalStateException.class,
                () -> Backends.select("cuda:x", List.of(new CudaBackendProvider(), standIn())));
        assertEquals("backend 'cuda:x' was requested but is unavailable: cuda:x: expected a CUDA device ordinal (0, 1, ...),"
                + " found 'x'", badOrdinal.getMessage());
        IllegalStateException noVariants = assertThrows(IllegalStateException.class,
                () -> Backends.select("stand-in:2", List.of(new CudaBackendProvider(), standIn())));
        assertEquals("backend 'stand-in:2' was requested but is unavailable: backend 'stand-in' takes no variant, found"
                + " 'stand-in:2'", noVariants.getMessage());
        assumeNoGpu();
        IllegalStateException device = assertThrows(IllegalStateException.class,
                () -> Backends.select("cuda:1", List.of(new CudaBackendProvider(), standIn())));
        assertTrue(device.getMessage().startsWith("backend 'cuda:1' was requested but is unavailable: "), device.getMessage());
    }

    @Test
    void createRefusesWhenTheProbeFailed() {
        assumeNoGpu();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CudaBackendProvider().create());
        assertTrue(e.getMessage().contains(probe().reason()), e.getMessage());
    }

    @Test
    void linkErrorsAreTranslatedIntoWhatIsMissing() {
        assertEquals("no NVIDIA driver: libcuda.so.1 not found (install a driver for CUDA 12 or 13)",
                CudaBackendProvider.explainLinkError(new UnsatisfiedLinkError(
                        "/tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file")));
        String old = CudaBackendProvider.explainLinkError(new UnsatisfiedLinkError(
                "/tmp/libJCudaDriver-12.6.0-linux-x86_64.so: undefined symbol: cuCtxCreate_v4"));
        assertTrue(old.startsWith("the NVIDIA driver is too old for JCuda 12.6 (undefined symbol: cuCtxCreate_v4)"), old);
        String other = CudaBackendProvider.explainLinkError(new UnsatisfiedLinkError("no JCudaDriver in java.library.path"));
        assertTrue(other.contains("no JCudaDriver in java.library.path"), other);
    }
}
