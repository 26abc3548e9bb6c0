package org.ebm4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.ebm4j.tensor.reference.ReferenceOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cuBLAS paths' logic that runs without a GPU: the row-major to column-major call (checked by
 * running it through a plain column-major SGEMM, the BLAS definition, against the row-major
 * reference), status names, which library the FFM binding looks for and what it says when there is
 * none, and the order FFM, JCublas2, own kernels.
 */
class CublasSelectionTest {

    /**
     * The BLAS definition of column-major SGEMM: {@code C = alpha op(A) op(B) + beta C}, {@code op(A)}
     * {@code m x k}, element {@code (i, j)} of a column-major array at {@code i + j * ld}.
     */
    private static void columnMajorSgemm(int opA, int opB, int m, int n, int k, float alpha, float[] a, int lda,
                                         float[] b, int ldb, float beta, float[] c, int ldc) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    double x = opA == CublasCall.OP_T ? a[p + i * lda] : a[i + p * lda];
                    double y = opB == CublasCall.OP_T ? b[j + p * ldb] : b[p + j * ldb];
                    acc += x * y;
                }
                c[i + j * ldc] = (float) (alpha * acc + (beta == 0 ? 0 : beta * c[i + j * ldc]));
            }
        }
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Awkward shapes (m, n, k: ones, primes, a tall and a deep one), each in the four transpose cases. */
    static Stream<Arguments> products() {
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {7, 2, 1}, {17, 33, 9}, {64, 1, 130}};
        return Arrays.stream(shapes).flatMap(s -> IntStream.range(0, 4).mapToObj(
                t -> Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0)));
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("products")
    void theColumnMajorCallComputesTheRowMajorProduct(int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom r = new SplittableRandom(5L * m + 7L * n + k);
        for (float[] ab : new float[][] {{1f, 0f}, {-0.5f, 1f}, {2f, 0.25f}}) {
            float[] a = random(r, m * k);
            float[] b = random(r, k * n);
            float[] c = random(r, m * n);
            double[] want = ReferenceOps.gemm(transA, transB, m, n, k, ab[0], a, b, ab[1], c);
            CublasCall call = CublasCall.of(transA, transB, m, n, k);
            float[] got = c.clone();
            columnMajorSgemm(call.opFirst(), call.opSecond(), call.m(), call.n(), call.k(), ab[0], b, call.ldFirst(), a,
                    call.ldSecond(), ab[1], got, call.ldc());
            for (int i = 0; i < m * n; i++) {
                // both sum the same k products in double and round once, so they agree to the float rounding
                assertEquals((float) want[i], got[i], Math.ulp((float) want[i]), "alpha=" + ab[0] + " beta=" + ab[1]
                        + " element " + i);
            }
        }
    }

    @Test
    void leadingDimensionsAreTheStoredRowLengths() {
        // a is stored k x m when transposed, b n x k: cuBLAS's leading dimensions are those row lengths
        assertEquals(new CublasCall(CublasCall.OP_N, CublasCall.OP_N, 5, 3, 7, 5, 7, 5), CublasCall.of(false, false, 3, 5, 7));
        assertEquals(new CublasCall(CublasCall.OP_T, CublasCall.OP_T, 5, 3, 7, 7, 3, 5), CublasCall.of(true, true, 3, 5, 7));
    }

    @Test
    void statusCodesAreNamedWithTheirValue() {
        assertEquals("CUBLAS_STATUS_NOT_INITIALIZED (1)", CublasStatus.name(1));
        assertEquals("CUBLAS_STATUS_EXECUTION_FAILED (13)", CublasStatus.name(13));
        assertEquals("unknown cuBLAS status (42)", CublasStatus.name(42));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CublasStatus.check(7, "cublasSgemm_v2(2x2x2)"));
        assertEquals("cublasSgemm_v2(2x2x2) failed: CUBLAS_STATUS_INVALID_VALUE (7)", e.getMessage());
        assertEquals("13.1.2", CublasStatus.version(130102));
    }

    @Test
    void librariesAreTriedNewestFirstAndAllMissingOnesAreNamed() {
        List<String> tried = new ArrayList<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmSelection.openFirst(
                CublasFfm.LIBRARIES, name -> {
                    tried.add(name);
                    throw new IllegalArgumentException("Cannot open library: " + name);
                }));
        assertEquals(List.of("libcublas.so.13", "libcublas.so.12"), tried);
        assertTrue(e.getMessage().startsWith("libcublas.so.13 and libcublas.so.12 not found"), e.getMessage());
        tried.clear();
        String found = GemmSelection.openFirst(CublasFfm.LIBRARIES, name -> {
            tried.add(name);
            if (name.endsWith(".13")) {
                throw new IllegalArgumentException("missing");
            }
            return name;
        });
        assertEquals("libcublas.so.12", found, "a CUDA 12 machine gets CUDA 12's cuBLAS through FFM too");
        assertEquals(List.of("libcublas.so.13", "libcublas.so.12"), tried);
    }

    @Test
    void theFfmBindingSaysWhyItCannotRun() {
        assertEquals("cuBLAS via FFM: needs JDK 22+, this is JDK 17", CublasFfm.unavailable(17, false));
        assertTrue(CublasFfm.unavailable(25, false).contains("built with a JDK older than 22"));
        assertNull(CublasFfm.unavailable(25, true));
        assertEquals(3, CublasFfm.mathMode(true), "CUBLAS_TF32_TENSOR_OP_MATH");
        assertEquals(0, CublasFfm.mathMode(false), "CUBLAS_DEFAULT_MATH: FP32 without tensor cores");
    }

    @Test
    void onJdk17TheFfmBindingIsSkippedWithTheReason() {
        assumeTrue(Runtime.version().feature() < FfmClasses.FFM_JDK, "this JVM has the FFM API");
        GemmSelection.Attempt<DeviceGemm> a = CublasFfm.tryCreate(null, false);
        assertNull(a.gemm());
        assertEquals("cuBLAS via FFM: needs JDK 22+, this is JDK " + Runtime.version().feature(), a.whyNot());
    }

    /** On JDK 22+ the build must have put the FFM class on the path, and its lookup runs for real. */
    @Test
    void onJdk22TheFfmClassIsBuiltAndLooksForCuda13ThenCuda12() throws Exception {
        assumeTrue(Runtime.version().feature() >= FfmClasses.FFM_JDK,
                "FFM (java.lang.foreign) is final only from JDK 22; this is JDK " + Runtime.version().feature());
        Class<?> c = CublasFfm.ffmClass();
        assertNotNull(c, "the JDK 22+ build must compile src/main/java22 onto the test class path");
        Method find = c.getDeclaredMethod("findLibrary");
        find.setAccessible(true);
        try {
            String name = (String) find.invoke(null);
            assertTrue(CublasFfm.LIBRARIES.contains(name), name);
        } catch (InvocationTargetException e) {
            // no cuBLAS on this machine (the build machines have none)
            assertTrue(e.getCause() instanceof IllegalArgumentException, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().startsWith("libcublas.so.13 and libcublas.so.12 not found"),
                    e.getCause().getMessage());
            GemmSelection.Attempt<DeviceGemm> a = CublasFfm.tryCreate(null, false);
            assertNull(a.gemm());
            assertTrue(a.whyNot().startsWith("cuBLAS via FFM: libcublas.so.13 and libcublas.so.12 not found"), a.whyNot());
        }
    }

    /** A binding that records that it was tried and gives what it is told to. */
    private static Supplier<GemmSelection.Attempt<String>> binding(List<String> tried, String name, boolean loads) {
        return () -> {
            tried.add(name);
            return loads ? GemmSelection.Attempt.loaded(name) : GemmSelection.Attempt.failed(name + ": not found");
        };
    }

    @Test
    void ffmComesBeforeJcublas2AndTheOwnKernelsComeLast() {
        List<String> tried = new ArrayList<>();
        assertEquals("ffm", GemmSelection.choose("auto", List.of(binding(tried, "ffm", true), binding(tried, "jcublas2", true)),
                why -> "kernel"));
        assertEquals(List.of("ffm"), tried, "JCublas2 is not even created when FFM loaded");
        tried.clear();
        assertEquals("jcublas2", GemmSelection.choose("auto", List.of(binding(tried, "ffm", false),
                binding(tried, "jcublas2", true)), why -> "kernel"));
        assertEquals(List.of("ffm", "jcublas2"), tried);
        assertEquals("own SGEMM v2: ffm: not found; jcublas2: not found", GemmSelection.choose("auto",
                List.of(binding(tried, "ffm", false), binding(tried, "jcublas2", false)), why -> "own SGEMM v2: " + why));
        tried.clear();
        assertEquals("kernel forced by -Debm.cuda.gemm=kernel", GemmSelection.choose("kernel",
                List.of(binding(tried, "ffm", true)), why -> "kernel " + why));
        assertEquals(List.of(), tried, "a forced kernel loads no cuBLAS");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GemmSelection.choose("cublas",
                List.of(binding(tried, "ffm", false), binding(tried, "jcublas2", false)), why -> "kernel"));
        assertEquals("-Debm.cuda.gemm=cublas was requested but no cuBLAS loaded: ffm: not found; jcublas2: not found",
                e.getMessage());
        assertEquals("cublas", GemmSelection.wanted(" CUBLAS "));
        assertEquals("auto", GemmSelection.wanted(null));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> GemmSelection.wanted("blas"));
        assertEquals("-Debm.cuda.gemm must be auto, cublas or kernel, found 'blas'", bad.getMessage());
    }
}
