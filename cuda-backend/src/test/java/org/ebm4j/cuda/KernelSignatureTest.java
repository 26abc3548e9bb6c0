package org.ebm4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java side of every kernel launch against the shipped PTX, without a GPU: every entry point
 * has a {@link Kernel} with the same parameter types, and launches with wrong arguments are
 * refused before they reach the driver.
 */
class KernelSignatureTest {
    private static final Pattern ENTRY = Pattern.compile("\\.visible \\.entry (\\w+)\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param \\.(\\w+) ");

    /** PTX entry name -> parameter type letters (P/L both .u64, I .u32/.s32, F .f32). */
    private static Map<String, String> ptxEntries(String module) {
        String ptx = new String(PtxModule.readPtx(module), StandardCharsets.US_ASCII);
        Map<String, String> entries = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            StringBuilder sig = new StringBuilder();
            Matcher p = PARAM.matcher(m.group(2));
            while (p.find()) {
                switch (p.group(1)) {
                    case "u64": sig.append('8'); break;
                    case "u32": case "s32": sig.append('I'); break;
                    case "f32": sig.append('F'); break;
                    default: sig.append('?');
                }
            }
            entries.put(m.group(1), sig.toString());
        }
        return entries;
    }

    @Test
    void everyPtxEntryPointHasAKernelWithTheSameParameterTypes() {
        Set<Kernel> seen = EnumSet.noneOf(Kernel.class);
        List<String> problems = new ArrayList<>();
        for (String module : Kernel.MODULES) {
            for (Map.Entry<String, String> e : ptxEntries(module).entrySet()) {
                Kernel k = null;
                for (Kernel c : Kernel.values()) {
                    if (c.symbol.equals(e.getKey())) {
                        k = c;
                    }
                }
                if (k == null) {
                    problems.add(module + ".ptx entry " + e.getKey() + " has no Kernel constant");
                    continue;
                }
                seen.add(k);
                String asPtx = k.signature.replace('P', '8').replace('L', '8');
                if (!k.module.equals(module) || !asPtx.equals(e.getValue())) {
                    problems.add(k + ": Java says " + k.module + " " + k.signature + ", the PTX says " + module + " " + e.getValue());
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(EnumSet.allOf(Kernel.class), seen, "Kernel constants without a PTX entry point");
    }

    @Test
    void launchesWithWrongArgumentsAreRefusedInJava() {
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> new LaunchArguments(Kernel.FILL_VALUE).bind(null, 3));
        assertEquals("kernel fill_value takes 3 arguments (PIF) but was given 2", count.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> new LaunchArguments(Kernel.FILL_VALUE).bind(null, 3, 1.0));
        assertEquals("kernel fill_value argument 2 must be a Float but is Double", type.getMessage());
        IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
                () -> new LaunchArguments(Kernel.FILL_UNIFORM).bind(null, 4, 7, 0, 0L));
        assertEquals("kernel fill_uniform argument 2 must be a Long but is Integer", seed.getMessage());
        new LaunchArguments(Kernel.FILL_UNIFORM).bind(null, 4, 7L, 0, 0L);  // the right types pass
    }

    @Test
    void everyLaunchRefillsOneParameterArray() {
        LaunchArguments args = new LaunchArguments(Kernel.FILL_UNIFORM);  // PILIL: out, n, seed, stream, draw
        jcuda.Pointer first = args.bind(null, 4, -7L, 3, 1L << 40);
        jcuda.NativePointerObject valueSlot = args.slot(1);
        assertTrue(LaunchArguments.isNullPointer(args.slot(0)));
        assertEquals(4, args.value(1));
        assertEquals(-7L, args.value(2));
        assertEquals(3, args.value(3));
        assertEquals(1L << 40, args.value(4));
        jcuda.driver.CUdeviceptr workspace = new jcuda.driver.CUdeviceptr();
        assertSame(first, args.bind(workspace, 1000, 5L, 0, 2L), "no new parameter array per launch");
        assertSame(valueSlot, args.slot(1), "value slots keep their pointer; only the value changes");
        assertEquals(1000, args.value(1));
        assertEquals(5L, args.value(2));
        assertEquals(2L, args.value(4));
        assertTrue(!LaunchArguments.isNullPointer(args.slot(0)), "a workspace pointer replaces the null");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> args.bind(null, 4, 7L, 0, 0));
        assertEquals("kernel fill_uniform argument 4 must be a Long but is Integer", bad.getMessage());
        LaunchArguments scale = new LaunchArguments(Kernel.SCALE_VALUES);  // FPPI
        scale.bind(-0.5f, null, null, 9);
        assertEquals(Float.floatToRawIntBits(-0.5f), scale.value(0));
        assertEquals(9, scale.value(3));
    }

    @Test
    void theSigmoidBernoulliEpilogueArgumentsMatchBothKernelSignatures() {
        for (Kernel k : new Kernel[] {Kernel.SGEMM2_NN_SIGMOID_BERNOULLI, Kernel.SGEMM2_NT_SIGMOID_BERNOULLI}) {
            LaunchArguments args = new LaunchArguments(k);
            // m, n, k, a, lda, b, ldb, bias, probs, samples, seed, stream, draw; null tensors bind as null pointers
            args.bind(KernelGemm.sigmoidBernoulliArguments(300, 500, 784, null, 784, null, 500, null, null, null,
                    -7L, 3, 1L << 40));
            assertEquals(300, args.value(0));
            assertEquals(500, args.value(1));
            assertEquals(784, args.value(2));
            assertEquals(784, args.value(4));
            assertEquals(500, args.value(6));
            assertEquals(-7L, args.value(10));
            assertEquals(3, args.value(11));
            assertEquals(1L << 40, args.value(12));
            for (int pointer : new int[] {3, 5, 7, 8, 9}) {
                assertTrue(LaunchArguments.isNullPointer(args.slot(pointer)), k + " argument " + pointer);
            }
        }
    }

    @Test
    void ptxResourcesAreNulTerminatedTextFromTheKernelsJar() {
        for (String module : Kernel.MODULES) {
            byte[] ptx = PtxModule.readPtx(module);
            assertEquals(0, ptx[ptx.length - 1], module + ".ptx must end with NUL for cuModuleLoadData");
            for (int i = 0; i < ptx.length - 1; i++) {
                assertTrue(ptx[i] != 0, module + ".ptx has a NUL inside at " + i);
            }
        }
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> PtxModule.readPtx("nope"));
        assertTrue(missing.getMessage().contains(" org/ebm4j/kernels/nope.ptx "), missing.getMessage());
    }

    @Test
    void driverFailuresNameTheCallAndTheStatus() {
        CudaCheck.CudaFailure f = assertThrows(CudaCheck.CudaFailure.class,
                () -> CudaCheck.check(jcuda.driver.CUresult.CUDA_ERROR_OUT_OF_MEMORY, "cuMemAlloc(4000000 bytes)"));
        assertEquals("cuMemAlloc(4000000 bytes) failed: CUDA_ERROR_OUT_OF_MEMORY (2)", f.getMessage());
        CudaCheck.check(jcuda.driver.CUresult.CUDA_SUCCESS, "cuInit(0)");
        String oom = CudaTensor.outOfMemory(40_000_000_000L, "a 100000x100000 tensor").getMessage();
        assertTrue(oom.startsWith("CUDA out of memory: could not allocate 40000000000 bytes (38146 MiB) for a 100000x100000 tensor"),
                oom);
    }
}
