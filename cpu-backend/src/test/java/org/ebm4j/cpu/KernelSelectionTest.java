package org.ebm4j.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.spi.BackendProvider;
import org.ebm4j.tensor.spi.Probe;
import org.ebm4j.testing.SystemProperties;
import org.junit.jupiter.api.Test;

/**
 * Kernel-set choice. Each Surefire execution says which set it expects in
 * {@code -Debm.test.expectedKernels}: the vector run starts the JVM with the incubator module and
 * {@code -Debm.cpu.kernels=vector}, the scalar run starts it without the module and without the
 * property, so the scalar run sees the automatic fallback exactly as a user would.
 */
class KernelSelectionTest {

    private static String expected() {
        String e = System.getProperty("ebm.test.expectedKernels");
        assumeTrue(e != null, "ebm.test.expectedKernels is set by the Surefire executions");
        return e;
    }

    @Test
    void defaultSelectionIsTheExpectedSet() {
        String expected = expected();
        assertEquals(expected, KernelSelection.fromSystemProperty().kernels().name());
        try (CpuBackend b = new CpuBackend()) {
            Map<String, Object> d = b.describe();
            assertEquals("cpu", d.get("backend"));
            assertEquals(expected, d.get("kernels"));
            assertEquals(b.threads(), d.get("threads"));
            assertTrue(d.get("gemm") instanceof String && !((String) d.get("gemm")).isBlank(), d.toString());
            assertTrue(d.get("kernelsReason") instanceof String && !((String) d.get("kernelsReason")).isBlank());
            if (expected.equals("vector")) {
                assertTrue((Integer) d.get("vectorBits") >= 128, d.toString());
            } else {
                assertFalse(d.containsKey("vectorBits"), d.toString());
            }
        }
    }

    @Test
    void scalarRunFallsBackWithAWarningThatSaysHowToFixIt() {
        assumeTrue(expected().equals("scalar"));
        assertFalse(KernelSelection.vectorModulePresent());
        KernelSelection auto = KernelSelection.select("auto");
        assertEquals("scalar", auto.kernels().name());
        assertTrue(auto.warning().contains("--add-modules jdk.incubator.vector"), auto.warning());
        assertTrue(auto.reason().contains("--add-modules jdk.incubator.vector"), auto.reason());
        assertEquals(auto.reason(), KernelSelection.fromSystemProperty().reason());
    }

    @Test
    void forcingVectorWithoutTheModuleSaysHowToFixIt() {
        assumeTrue(!KernelSelection.vectorModulePresent());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelSelection.select("vector"));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
        assertTrue(e.getMessage().contains("ebm.cpu.kernels"), e.getMessage());
    }

    @Test
    void vectorRunHasTheModuleAndAutoPicksVectorOnWideShapes() {
        assumeTrue(expected().equals("vector"));
        assertTrue(KernelSelection.vectorModulePresent());
        KernelSelection auto = KernelSelection.select("auto");
        KernelSelection forced = KernelSelection.select("vector");
        assertNull(forced.warning());
        if (forced.kernels().vectorBits() / Float.SIZE >= KernelSelection.MIN_AUTO_LANES) {
            assertEquals("vector", auto.kernels().name());
            assertNull(auto.warning());
        } else {
            assertEquals("scalar", auto.kernels().name());
            assertTrue(auto.reason().contains("float lanes"), auto.reason());
        }
    }

    @Test
    void scalarCanAlwaysBeForced() {
        KernelSelection s = KernelSelection.select(" Scalar ");
        assertEquals("scalar", s.kernels().name());
        assertNull(s.warning());
        assertTrue(s.reason().contains("forced"));
    }

    @Test
    void unknownValueNamesThePropertyAndTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelSelection.select("avx"));
        assertTrue(e.getMessage().contains("ebm.cpu.kernels"), e.getMessage());
        assertTrue(e.getMessage().contains("auto, scalar, vector"), e.getMessage());
        assertTrue(e.getMessage().contains("'avx'"), e.getMessage());
    }

    @Test
    void providerIsFoundAndAlwaysAvailable() {
        String expected = expected();
        BackendProvider cpu = Backends.providers().stream().filter(p -> p.name().equals("cpu")).findFirst()
                .orElseThrow(() -> new AssertionError("no cpu provider on the class path"));
        assertEquals(CpuBackendProvider.PRIORITY, cpu.priority());
        assertEquals(10, cpu.priority());
        Probe probe = cpu.probe();
        assertTrue(probe.available(), probe.reason());
        assertTrue(probe.reason().contains("kernels=" + expected), probe.reason());
        assertTrue(probe.reason().contains("threads="), probe.reason());
        try (Backend b = cpu.create()) {
            assertEquals("cpu", b.name());
            assertEquals(expected, b.describe().get("kernels"));
        }
    }

    @Test
    void selectingCpuByNameWorks() {
        expected();
        Backends.Selection s = Backends.select("cpu");
        try (Backend b = s.backend()) {
            assertEquals("cpu", b.name());
        }
    }

    // ---- the stderr notice of the scalar fallback ------------------------------------------------

    /** What {@code action} printed on {@code System.err}, with {@code -Debm.cpu.quiet} set to {@code quiet} (null: unset). */
    private static String stderrOf(String quiet, Supplier<KernelSelection> action) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            SystemProperties.restoring(KernelSelection.QUIET_PROPERTY, () -> {
                SystemProperties.set(KernelSelection.QUIET_PROPERTY, quiet);
                action.get();
            });
        } finally {
            System.setErr(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /**
     * How many times {@code action} printed the notice on {@code System.err} (a line of its own; the
     * test logger may add its WARN to the same stream), with {@code -Debm.cpu.quiet} set to
     * {@code quiet} (null: unset).
     */
    private static int noticesPrinted(String quiet, Supplier<KernelSelection> action) {
        int n = 0;
        for (String line : stderrOf(quiet, action).split("\\R")) {
            if (line.equals(ScalarFallbackNotice.TEXT)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void theScalarFallbackForAMissingModuleIsSaidOnStderrOnce() {
        ScalarFallbackNotice notice = new ScalarFallbackNotice();
        KernelSelection[] chosen = new KernelSelection[1];
        assertEquals(1, noticesPrinted(null, () -> chosen[0] = KernelSelection.select("auto", false, notice)));
        assertEquals(0, noticesPrinted(null, () -> KernelSelection.select("auto", false, notice)), "only once");
        String text = ScalarFallbackNotice.TEXT;
        assertTrue(text.contains("--add-modules jdk.incubator.vector") && text.contains("about 6x slower")
                && text.contains("-Debm.cpu.quiet=true"), text);
        assertEquals("scalar", chosen[0].kernels().name());
        assertTrue(chosen[0].reason().contains("about 6x slower") && chosen[0].reason().contains("--add-modules "
                + KernelSelection.VECTOR_MODULE), chosen[0].reason());
        try (CpuBackend b = new CpuBackend(chosen[0], 1)) {
            assertEquals(chosen[0].reason(), b.describe().get("kernelsReason"));
        }
    }

    @Test
    void theQuietPropertySilencesTheNoticeButNotTheReason() {
        ScalarFallbackNotice notice = new ScalarFallbackNotice();
        KernelSelection[] chosen = new KernelSelection[1];
        assertEquals(0, noticesPrinted("true", () -> chosen[0] = KernelSelection.select("auto", false, notice)));
        assertTrue(chosen[0].reason().contains("--add-modules"), chosen[0].reason());
        assertEquals(1, noticesPrinted("false", () -> KernelSelection.select("auto", false, notice)),
                "quiet=false does not silence it");
    }

    @Test
    void forcedScalarKernelsAndAReadableModulePrintNothing() {
        ScalarFallbackNotice notice = new ScalarFallbackNotice();
        assertEquals(0, noticesPrinted(null, () -> KernelSelection.select("scalar", false, notice)));
        assertEquals(0, noticesPrinted(null, () -> KernelSelection.select("scalar", true, notice)));
        if (KernelSelection.vectorModulePresent()) {
            assertEquals(0, noticesPrinted(null, () -> KernelSelection.select("auto", true, notice)));
        }
        // Not used up by the calls above: the first real fallback prints it.
        assertEquals(1, noticesPrinted(null, () -> KernelSelection.select("auto", false, notice)));
    }
}
