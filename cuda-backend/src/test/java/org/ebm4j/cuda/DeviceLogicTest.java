package org.ebm4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jcuda.driver.CUresult;
import org.ebm4j.tensor.spi.Probe;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend's decisions that need no device: which context a thread must switch to, which
 * allocations a close frees, the SGEMM plan (kernel, grid, k-slices) at shapes past the old grid limits, which cubin
 * a device loads, device ordinals, and which driver errors poison a device.
 */
class DeviceLogicTest {

    @Test
    void aThreadSwitchesBackToAContextAfterUsingAnother() {
        ContextBinding<String> binding = new ContextBinding<>();
        List<String> made = new ArrayList<>();
        for (String ctx : new String[] {"device0", "device1", "device0", "device0", "device1"}) {
            binding.bind(ctx, () -> made.add(ctx));
        }
        // every change of context is a cuCtxSetCurrent; a repeat of the current one is not
        assertEquals(List.of("device0", "device1", "device0", "device1"), made);
    }

    @Test
    void eachThreadBindsForItselfAndAFailedSwitchIsRetried() throws Exception {
        ContextBinding<String> binding = new ContextBinding<>();
        AtomicInteger calls = new AtomicInteger();
        assertTrue(binding.bind("a", calls::incrementAndGet));
        Thread other = new Thread(() -> binding.bind("a", calls::incrementAndGet));
        other.start();
        other.join();
        assertEquals(2, calls.get(), "a context current on one thread is not current on another");
        assertThrows(IllegalStateException.class, () -> binding.bind("b", () -> {
            throw new IllegalStateException("cuCtxSetCurrent failed");
        }));
        assertTrue(binding.bind("b", calls::incrementAndGet), "a failed switch must not be recorded as done");
        binding.forget("b");
        assertTrue(binding.bind("b", calls::incrementAndGet), "a forgotten (closed) context is bound again");
        assertEquals(4, calls.get());
    }

    @Test
    void aCloseFreesWhatIsStillOpenAndNothingIsFreedTwice() {
        OpenAllocations<String> open = openAllocations("w", "h", "v");
        assertTrue(open.remove("h"), "the first close of a tensor frees it");
        assertFalse(open.remove("h"), "a second close frees nothing");
        List<String> freed = new ArrayList<>();
        assertEquals(2, open.closeAll(t -> {
            if (open.remove(t)) {
                freed.add(t);
            }
        }));
        assertEquals(List.of("w", "v"), freed);
        assertFalse(open.remove("w"), "a tensor closed after its backend frees nothing: the backend did");
        assertEquals(0, open.size());
    }

    @Test
    void aFailedFreeDoesNotStopTheOthers() {
        OpenAllocations<String> open = openAllocations("a", "b", "c");
        List<String> tried = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open.closeAll(t -> {
            tried.add(t);
            if (!t.equals("c")) {
                throw new IllegalStateException("cuMemFree(" + t + ") failed");
            }
        }));
        assertEquals(List.of("a", "b", "c"), tried);
        assertEquals("cuMemFree(a) failed", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertEquals(0, open.size());
    }

    /** A registry holding {@code names} as open allocations, in order. */
    private static OpenAllocations<String> openAllocations(String... names) {
        OpenAllocations<String> open = new OpenAllocations<>();
        for (String name : names) {
            open.add(name);
        }
        return open;
    }

    /** Every C row and column lies in a block the plan launches (y covering the rest by looping) and every k in one slice. */
    private static KernelGemm.Plan assertCovers(int m, int n, int k, int sms) {
        KernelGemm.Plan p = KernelGemm.plan(m, n, k, sms, true);
        int tile = p.v2() ? Kernel.GEMM2_TILE : Kernel.GEMM_TILE;
        String what = m + "x" + n + "x" + k + ": " + p;
        assertTrue(p.gridX() >= 1 && p.gridY() >= 1 && p.gridY() <= KernelGemm.MAX_GRID_Y, what);
        assertTrue((long) p.gridX() * tile >= m && (long) (p.gridX() - 1) * tile < m, what);
        long nTiles = (n + (long) tile - 1) / tile;
        assertEquals(Math.min(nTiles, KernelGemm.MAX_GRID_Y), p.gridY(), what);
        assertTrue(p.slices() >= 1 && p.slices() <= KernelGemm.MAX_SLICES, what);
        assertTrue((long) p.slices() * p.sliceDepth() >= k && (long) (p.slices() - 1) * p.sliceDepth() < k, what);
        if (p.slices() > 1) {
            assertEquals(0, p.sliceDepth() % Kernel.GEMM2_DEPTH, what);
        }
        return p;
    }

    @Test
    void theGemmPlanFitsTheDeviceLimitsAtHugeShapes() {
        // the old grid put the m-tiles on Y: any m above 65535 * 64 = 4,194,240 could not launch
        assertCovers(4_194_241, 500, 784, 132);
        assertCovers(Integer.MAX_VALUE, 784, 500, 132);
        assertCovers(784, Integer.MAX_VALUE, 500, 132);
        assertCovers(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 132);
        assertCovers(64, 64 * 65535, 1, 132);
        assertCovers(65, 64 * 65535 + 1, 7, 1);
        assertCovers(1, 1, 1, 132);
        for (int k : new int[] {4096, 4097, 10_000, 65_536, 1 << 30}) {
            assertCovers(784, 500, k, 132);
            assertCovers(3, 5, k, 16);
        }
    }

    @Test
    void theGemmPlanTakesLargeTilesForLargeProductsAndSplitsDeepSkinnyOnes() {
        int h200 = 132;
        KernelGemm.Plan cube = assertCovers(4096, 4096, 4096, h200);
        assertEquals(new KernelGemm.Plan(true, 32, 32, 1, 4096), cube);
        // the RBM's forward product at batch 100 makes 4 large tiles: v1's 16 serve the device better
        assertEquals(new KernelGemm.Plan(false, 2, 8, 1, 784), assertCovers(100, 500, 784, h200));
        assertTrue(assertCovers(10_000, 500, 784, h200).v2(), "batch 10,000 forward: 316 large tiles");
        // the weight gradient v^T h: 7 x 4 large tiles, so k = batch is split
        assertEquals(new KernelGemm.Plan(false, 13, 8, 1, 100), assertCovers(784, 500, 100, h200));
        KernelGemm.Plan gradient = assertCovers(784, 500, 10_000, h200);
        assertEquals(new KernelGemm.Plan(true, 7, 4, 9, 1112), gradient, "ceil(264 / 28) = 10 wanted, 10,000 / 1,024 = 9 allowed");
        // without v2 (the comparison runs), v1 for every shape
        assertEquals(new KernelGemm.Plan(false, 13, 8, 1, 10_000), KernelGemm.plan(784, 500, 10_000, h200, false));
        assertEquals(new KernelGemm.Plan(false, 64, 64, 1, 4096), KernelGemm.plan(4096, 4096, 4096, h200, false));
    }

    @Test
    void theSigmoidBernoulliEpilogueRunsOnlyWhereThePlanIsOneV2Slice() {
        int h200 = 132;
        // batch 10,000 forward, v W and h W^T: 316 and 632 large tiles, one slice each
        assertEquals(Kernel.SGEMM2_NN_SIGMOID_BERNOULLI, KernelGemm.sigmoidBernoulliKernel(10_000, 500, 784, h200, true, false));
        assertEquals(Kernel.SGEMM2_NT_SIGMOID_BERNOULLI, KernelGemm.sigmoidBernoulliKernel(10_000, 784, 500, h200, true, true));
        // batch 100: v1 serves the device better, so GEMM then sample
        assertNull(KernelGemm.sigmoidBernoulliKernel(100, 500, 784, h200, true, false));
        // a deep skinny product is split over k: its slices are summed by a second kernel, no epilogue
        assertEquals(9, KernelGemm.plan(784, 500, 10_000, h200, true).slices());
        assertNull(KernelGemm.sigmoidBernoulliKernel(784, 500, 10_000, h200, true, false));
        // v1 only (the comparison runs): never
        assertNull(KernelGemm.sigmoidBernoulliKernel(10_000, 500, 784, h200, false, false));
        for (int[] s : new int[][] {{1, 1, 1}, {129, 257, 33}, {4096, 4096, 4096}, {784, 500, 4096}}) {
            KernelGemm.Plan p = KernelGemm.plan(s[0], s[1], s[2], h200, true);
            assertEquals(p.v2() && p.slices() == 1, KernelGemm.sigmoidBernoulliKernel(s[0], s[1], s[2], h200, true, true) != null,
                    p.toString());
        }
    }

    @Test
    void aDeviceLoadsTheNewestCubinOfItsMajorVersionNotAboveIt() {
        int[] shipped = {80, 90};
        assertEquals(80, PtxModule.bestCubin(shipped, 8, 0));   // A100
        assertEquals(80, PtxModule.bestCubin(shipped, 8, 6));   // A10, RTX 30xx
        assertEquals(80, PtxModule.bestCubin(shipped, 8, 9));   // L4, RTX 40xx
        assertEquals(90, PtxModule.bestCubin(shipped, 9, 0));   // H100, H200
        assertEquals(-1, PtxModule.bestCubin(shipped, 7, 5));   // T4: PTX
        assertEquals(-1, PtxModule.bestCubin(shipped, 10, 0));  // B200: PTX
        assertEquals(-1, PtxModule.bestCubin(shipped, 12, 0));  // RTX 50xx: PTX
        assertEquals(-1, PtxModule.bestCubin(new int[] {86}, 8, 0), "an sm_86 cubin does not run on sm_80");
        assertEquals(-1, PtxModule.bestCubin(new int[0], 9, 0));
    }

    @Test
    void theKernelsJarShipsCubinsWhenTheBuildHadPtxas() {
        boolean ptxas = System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH").split(":"))
                .anyMatch(d -> new java.io.File(d, "ptxas").canExecute());
        for (String m : Kernel.MODULES) {
            int[] cubins = PtxModule.shippedCubins(m);
            if (ptxas) {
                assertArrayEquals(PtxModule.CUBIN_ARCHS, cubins, m + ": the build ran ptxas, so both cubins must be shipped");
            }
        }
    }

    @Test
    void deviceOrdinalsAreCheckedWithTheirSourceNamed() {
        assertEquals(0, CudaBackendProvider.parseDevice("0", "cuda:0"));
        assertEquals(3, CudaBackendProvider.parseDevice(" 3 ", "-Debm.cuda.device= 3 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaBackendProvider.parseDevice("gpu1", "cuda:gpu1"));
        assertEquals("cuda:gpu1: expected a CUDA device ordinal (0, 1, ...), found 'gpu1'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CudaBackendProvider.parseDevice("-1", "cuda:-1"));
        assertThrows(IllegalArgumentException.class, () -> CudaBackendProvider.parseDevice(null, "x"));
        assertEquals(null, DeviceProbe.missingDevice(1, 2));
        assertEquals("CUDA device 2 was requested but the driver reports 2 device(s), numbered 0 to 1"
                + " (CUDA_VISIBLE_DEVICES may hide some)", DeviceProbe.missingDevice(2, 2));
        assertEquals("no CUDA device: the NVIDIA driver is installed but reports no GPU", DeviceProbe.missingDevice(0, 0));
    }

    @Test
    void aBadDevicePropertyMakesTheProbeSayWhy() {
        WithProperty.run(CudaBackendProvider.DEVICE_PROPERTY, "first", () -> {
            Probe p = new CudaBackendProvider().probe();
            assertFalse(p.available());
            assertEquals("-Debm.cuda.device=first: expected a CUDA device ordinal (0, 1, ...), found 'first'", p.reason());
            assertThrows(IllegalArgumentException.class, () -> new CudaBackendProvider().create());
        });
    }

    @Test
    void probesAreKeptPerDeviceAndAFaultMarksOnlyThatDevice() {
        DeviceProbes probes = new DeviceProbes();
        AtomicInteger runs = new AtomicInteger();
        Probe first = probes.get(0, d -> {
            runs.incrementAndGet();
            return Probe.ok("device " + d);
        });
        assertSame(first, probes.get(0, d -> Probe.ok("again")));
        assertEquals("device 1", probes.get(1, d -> {
            runs.incrementAndGet();
            return Probe.ok("device " + d);
        }).reason());
        assertEquals(2, runs.get(), "one probe per device");
        probes.markFaulted(0, "cuStreamSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)");
        Probe after = probes.get(0, d -> Probe.ok("not run again"));
        assertFalse(after.available());
        assertEquals("CUDA device 0 faulted earlier in this process and its context cannot be used again (restart the JVM):"
                + " cuStreamSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)", after.reason());
        assertTrue(probes.get(1, d -> Probe.ok("not run again")).available());
        assertEquals(null, probes.takeParked(0));
    }

    @Test
    void kernelFaultsAreStickyAndOtherFailuresAreNot() {
        for (int s : new int[] {CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, CUresult.CUDA_ERROR_LAUNCH_FAILED,
                CUresult.CUDA_ERROR_MISALIGNED_ADDRESS, CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION,
                CUresult.CUDA_ERROR_HARDWARE_STACK_ERROR}) {
            assertTrue(CudaCheck.isSticky(s), CUresult.stringFor(s));
        }
        for (int s : new int[] {CUresult.CUDA_SUCCESS, CUresult.CUDA_ERROR_OUT_OF_MEMORY, CUresult.CUDA_ERROR_INVALID_VALUE,
                CUresult.CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU}) {
            assertFalse(CudaCheck.isSticky(s), CUresult.stringFor(s));
        }
    }

    @Test
    void aLaunchIsNamedWithItsKernelAndGeometry() {
        assertEquals("sgemm_nt<<<2x8, 256>>>", CudaContext.launchDescription(Kernel.SGEMM_NT, 2, 8, 1, 256));
        assertEquals("sgemm2_tn<<<7x4x9, 256>>>", CudaContext.launchDescription(Kernel.SGEMM2_TN, 7, 4, 9, 256));
    }
}
