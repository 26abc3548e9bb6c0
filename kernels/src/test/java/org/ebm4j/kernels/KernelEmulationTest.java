package org.ebm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the C++ checks of every kernel (compiled for the CPU through {@code cuda_emu.h}) and the
 * ThreadSanitizer run of the shared-memory kernels. Each PASS/FAIL line of the C++ program becomes
 * one test, and every kernel in the PTX must be covered by a passing check, so a new kernel
 * without a test fails the build.
 */
class KernelEmulationTest {

    /** Which check (a substring of its PASS line) covers each PTX entry point. */
    static final Map<String, String> COVERAGE = new LinkedHashMap<>();

    static {
        COVERAGE.put("philox_words", "philox known-answer vector 3");
        COVERAGE.put("fill_uniform", "fill_uniform n=1001");
        COVERAGE.put("fill_normal", "fill_normal n=999");
        COVERAGE.put("sample_bernoulli", "sample_bernoulli: u < p");
        COVERAGE.put("sample_sigmoid_bernoulli", "sample_sigmoid_bernoulli 20x50 with bias");
        COVERAGE.put("sample_gaussian", "sample_gaussian with bias");
        COVERAGE.put("unit_decide", "update_unit stochastic with clamped units");
        COVERAGE.put("unit_field_update", "update_unit threshold(-1,+1)");
        COVERAGE.put("leapfrog", "leapfrog energy error is O(eps^2)");
        COVERAGE.put("metropolis_decide", "metropolis select");
        COVERAGE.put("metropolis_copy", "metropolis select");
        COVERAGE.put("fill_value", "fill_value");
        COVERAGE.put("copy_values", "copy_values");
        COVERAGE.put("gather_rows", "gather_rows");
        COVERAGE.put("gather_ordered_rows", "gather_ordered_rows with offset, bad entries give NaN rows");
        COVERAGE.put("momentum_step", "momentum_step decay -0.0003 equals its two axpy_values");
        COVERAGE.put("add_row_vector", "add_row_vector");
        COVERAGE.put("add_values", "add_values in place");
        COVERAGE.put("sub_values", "sub_values");
        COVERAGE.put("mul_values", "mul_values");
        COVERAGE.put("scale_values", "scale_values");
        COVERAGE.put("axpy_values", "axpy_values");
        COVERAGE.put("sigmoid_bias", "sigmoid_bias with bias");
        COVERAGE.put("activation", "activation log1p_square with bias value and derivative");
        COVERAGE.put("threshold_values", "threshold_values");
        COVERAGE.put("column_sums_partial", "column sums 130x70");
        COVERAGE.put("column_sums_finish", "column sums 257x3");
        COVERAGE.put("row_sums", "row_sums 6x150");
        COVERAGE.put("softplus_row_sums", "softplus_row_sums does not overflow");
        COVERAGE.put("row_squared_norms", "row_squared_norms 6x150 with and without weights");
        COVERAGE.put("softmax_cross_entropy", "softmax_cross_entropy 9x10");
        COVERAGE.put("argmax_rows", "argmax_rows ties, NaN and infinities");
        COVERAGE.put("sum_partial", "dot 130x70 in double");
        COVERAGE.put("sum_finish", "sum 130x70 in double");
        COVERAGE.put("sum_finish_into", "sum_finish_into stores the rounded total in its slot");
        COVERAGE.put("bias_momentum_step", "bias_momentum_step direct 100x70/100 keep 0.9");
        COVERAGE.put("sgemm_nn", "sgemm_nn");
        COVERAGE.put("sgemm_nt", "sgemm_nt");
        COVERAGE.put("sgemm_tn", "sgemm_tn");
        COVERAGE.put("sgemm_tt", "sgemm_tt");
        COVERAGE.put("sgemm2_nn", "sgemm2_nn");
        COVERAGE.put("sgemm2_nt", "sgemm2_nt");
        COVERAGE.put("sgemm2_tn", "sgemm2_tn");
        COVERAGE.put("sgemm2_tt", "sgemm2_tt");
        COVERAGE.put("sgemm_splitk_reduce", "split-K 1/8/16 deep");
        COVERAGE.put("sgemm2_nn_sigmoid_bernoulli", "sgemm2_nn_sigmoid_bernoulli equals sgemm2 then sample_sigmoid_bernoulli");
        COVERAGE.put("sgemm2_nt_sigmoid_bernoulli", "sgemm2_nt_sigmoid_bernoulli equals sgemm2 then sample_sigmoid_bernoulli");
    }

    private static final Pattern LINE = Pattern.compile("^(PASS|FAIL) (.*)$", Pattern.MULTILINE);

    @TestFactory
    List<DynamicTest> everyKernelAgainstItsReference() throws Exception {
        KernelTestPrograms.requireBuilt();
        KernelTestPrograms.Run run = KernelTestPrograms.run(KernelTestPrograms.KERNEL_TESTS, "selftest");
        List<DynamicTest> tests = new ArrayList<>();
        List<String> passed = new ArrayList<>();
        Matcher m = LINE.matcher(run.output());
        while (m.find()) {
            boolean ok = m.group(1).equals("PASS");
            String line = m.group(2);
            if (ok) {
                passed.add(line);
            }
            tests.add(DynamicTest.dynamicTest(line.length() > 120 ? line.substring(0, 120) : line,
                    () -> assertTrue(ok, line)));
        }
        tests.add(DynamicTest.dynamicTest("the program ran to its summary and exited 0", () -> {
            assertTrue(run.output().contains(" passed, 0 failed"), run.output());
            assertEquals(0, run.exitCode(), run.output());
        }));
        tests.add(DynamicTest.dynamicTest("every PTX kernel is covered by a passing check", () -> {
            List<String> entries = PtxResources.entryPoints();
            for (String entry : entries) {
                String check = COVERAGE.get(entry);
                if (check == null) {
                    fail("kernel " + entry + " has no check in kernel_tests.cpp (add one and list it in COVERAGE)");
                }
                assertTrue(passed.stream().anyMatch(l -> l.contains(check)),
                        "kernel " + entry + ": its check '" + check + "' did not pass:\n" + run.output());
            }
            assertEquals(COVERAGE.size(), entries.size(), "COVERAGE lists kernels that the PTX lacks: " + COVERAGE.keySet()
                    + " vs " + entries);
        }));
        return tests;
    }

    @Test
    void sharedMemoryKernelsHaveNoDataRaceUnderThreadSanitizer() throws Exception {
        KernelTestPrograms.requireBuilt();
        KernelTestPrograms.Run run = KernelTestPrograms.run(KernelTestPrograms.RACE_TESTS);
        assertFalse(run.output().contains("ThreadSanitizer"), run.output());
        assertTrue(run.output().contains("10 passed, 0 failed"), run.output());
        assertEquals(0, run.exitCode(), run.output());
    }

    @Test
    void threadSanitizerReportsAMissingSyncthreads() throws Exception {
        KernelTestPrograms.requireBuilt();
        KernelTestPrograms.Run run = KernelTestPrograms.run(KernelTestPrograms.RACE_TESTS, "demo");
        assertTrue(run.output().contains("WARNING: ThreadSanitizer: data race"),
                "the deliberately racy kernel was not reported, so the race check proves nothing:\n" + run.output());
    }
}
