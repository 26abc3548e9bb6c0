package org.ebm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the CUDA backend relies on in the shipped PTX, checked without nvcc or a GPU. */
class PtxResourcesTest {

    @Test
    void everyModuleLoadsOnCuda12DriversAndTargetsSm75() {
        Pattern version = Pattern.compile("^\\.version (\\d+)\\.(\\d+)$", Pattern.MULTILINE);
        for (String module : PtxResources.MODULES) {
            String ptx = PtxResources.text(module);
            Matcher m = version.matcher(ptx);
            assertTrue(m.find(), module + ".ptx has no .version line");
            int v = Integer.parseInt(m.group(1)) * 10 + Integer.parseInt(m.group(2));
            assertTrue(v <= 80, module + ".ptx says .version " + m.group(1) + "." + m.group(2)
                    + "; CUDA 12.0 drivers JIT at most 8.0");
            assertTrue(ptx.contains("\n.target sm_75\n"), module + ".ptx must target sm_75");
            assertTrue(ptx.contains("\n.address_size 64\n"), module + ".ptx must be 64-bit");
            assertFalse(ptx.indexOf('\0') >= 0, module + ".ptx must be plain text (the loader appends the NUL)");
        }
    }

    @Test
    void entryPointsAreUniqueAcrossModules() {
        List<String> all = PtxResources.entryPoints();
        assertEquals(all.size(), all.stream().distinct().count(), "duplicate kernel names: " + all);
        assertTrue(all.containsAll(List.of("sample_sigmoid_bernoulli", "sgemm_nn", "column_sums_partial", "leapfrog")), all.toString());
    }

    @Test
    void committedPtxasReportCoversEveryKernelOnBothArchitecturesWithoutSpills() throws Exception {
        List<String> lines = Files.readAllLines(KernelTestPrograms.MODULE.resolve("ptxas-report.txt"));
        for (String module : PtxResources.MODULES) {
            for (String entry : PtxResources.entryPoints(module)) {
                for (String arch : List.of("sm_80", "sm_90")) {
                    String prefix = module + ".ptx " + arch + " " + entry + ":";
                    String line = lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                            .orElseThrow(() -> new AssertionError("ptxas-report.txt lacks " + prefix
                                    + " (rebuild with nvcc/ptxas and -Debm.ptx.update=true)"));
                    assertTrue(line.endsWith(" 0/0 B spills"), line);
                }
            }
        }
    }
}
