package org.ebm4j.cpu.internal.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ebm4j.cpu.internal.CpuParallel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both SGEMM implementations against a double-precision reference: all four transpose cases, awkward
 * sizes, padded leading dimensions (whose padding holds NaN, so reading it would show), alpha/beta
 * including {@code beta == 0} over a NaN-filled C, and bit-identical results for 1, 2 and 3 threads.
 * The vector implementation skips itself when {@code jdk.incubator.vector} is not in the boot layer
 * (the scalar-kernels Surefire run).
 */
class SgemmTest {
    private static final int[] SIZES = {1, 3, 7, 16, 33, 100, 257};
    private static final boolean[][] TRANSPOSES = {{false, false}, {true, false}, {false, true}, {true, true}};

    private static CpuParallel one;
    private static CpuParallel two;
    private static CpuParallel three;

    @BeforeAll
    static void pools() {
        one = new CpuParallel(1);
        two = new CpuParallel(2);
        three = new CpuParallel(3);
    }

    @AfterAll
    static void closePools() {
        one.close();
        two.close();
        three.close();
    }

    static Stream<String> impls() {
        return Stream.of("scalar", "vector");
    }

    static Stream<Arguments> implsAndTransposes() {
        List<Arguments> list = new ArrayList<>();
        for (String impl : List.of("scalar", "vector")) {
            for (boolean[] t : TRANSPOSES) {
                list.add(Arguments.of(impl, t[0], t[1]));
            }
        }
        return list.stream();
    }

    /** A new instance; for "vector", skips the test unless the incubator module is present. */
    private static Sgemm create(String impl, CpuParallel parallel) {
        if (impl.equals("scalar")) {
            return new ScalarSgemm(parallel);
        }
        Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "jdk.incubator.vector is not in the boot layer (run with --add-modules jdk.incubator.vector)");
        try {
            return (Sgemm) Class.forName("org.ebm4j.cpu.internal.vector.VectorSgemm")
                    .getConstructor(CpuParallel.class).newInstance(parallel);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot create VectorSgemm", e);
        }
    }

    /** Guards the 256-bit Surefire run: it must really run the narrow (6 x 2 vectors) tile. */
    @org.junit.jupiter.api.Test
    void vectorTileFollowsTheLaneCount() {
        String lanes = System.getProperty("ebm.test.expectedFloatLanes");
        Assumptions.assumeTrue(lanes != null, "no lane count expected in this run");
        BlockedSgemm g = (BlockedSgemm) create("vector", one);
        int l = Integer.parseInt(lanes);
        assertEquals(6, g.mr);
        assertEquals((l >= 16 ? 4 : 2) * l, g.nr, "tile columns for " + l + " float lanes");
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("implsAndTransposes")
    void matchesReferenceOnAwkwardSizes(String impl, boolean transA, boolean transB) {
        Sgemm g = create(impl, two);
        SplittableRandom rnd = new SplittableRandom(17 + (transA ? 1 : 0) + (transB ? 2 : 0));
        int checked = 0;
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    // Every pairing of small sizes, and the big ones where the product stays cheap.
                    if ((long) m * n * k > 300_000) {
                        continue;
                    }
                    Case c = new Case(transA, transB, m, n, k, 0, rnd);
                    c.runAndCheck(g, 1f, 0f);
                    checked++;
                }
            }
        }
        assertTrue(checked > 250, "expected most size triples to be checked, got " + checked);
        // A few big ones: every tile kind, several depth blocks, column panels split across threads,
        // B read in place (m <= 256, alpha 1, B not transposed) and packed (m = 257, 784).
        new Case(transA, transB, 257, 257, 257, 0, rnd).runAndCheck(g, 1f, 0f);
        new Case(transA, transB, 100, 500, 784, 0, rnd).runAndCheck(g, 1f, 0f);
        new Case(transA, transB, 784, 500, 100, 0, rnd).runAndCheck(g, 1f, 0f);
        // Wide enough that a depth block of packed B is swept in several L2-sized column groups.
        new Case(transA, transB, 33, 1500, 400, 0, rnd).runAndCheck(g, 1f, 0f);
    }

    /**
     * Every row tail (0 to mr - 1 rows below the last full strip) against every column tail (0 to nr
     * columns past four full panels), on one and two threads: the edge paths, including the packed A
     * strips of a transposed or bottom-cut A, see every width their tile allows. The products are big
     * enough (over 2M flops) that two threads really split them.
     */
    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("implsAndTransposes")
    void everyRowAndColumnTailMatchesTheReference(String impl, boolean transA, boolean transB) {
        BlockedSgemm g1 = (BlockedSgemm) create(impl, one);
        BlockedSgemm g2 = (BlockedSgemm) create(impl, two);
        SplittableRandom rnd = new SplittableRandom(61);
        for (int m = 10 * g1.mr; m < 11 * g1.mr; m++) {
            for (int n = 4 * g1.nr; n <= 5 * g1.nr; n++) {
                Case c = new Case(transA, transB, m, n, 300, 1, rnd);
                float[] single = c.run(g1, 0.75f, 0.5f);
                c.runAndCheck(g2, 0.75f, 0.5f);
                assertArrayEquals(single, c.c, "1 vs 2 threads at m=" + m + " n=" + n);
            }
        }
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("implsAndTransposes")
    void paddedLeadingDimensionsAreRespected(String impl, boolean transA, boolean transB) {
        Sgemm g = create(impl, two);
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] shapes = {{1, 1, 1}, {7, 33, 16}, {33, 7, 100}, {100, 257, 33}, {13, 45, 300}};
        for (int[] s : shapes) {
            for (int pad : new int[] {1, 5, 19}) {
                Case c = new Case(transA, transB, s[0], s[1], s[2], pad, rnd);
                c.runAndCheck(g, 1f, 0f);
                c.runAndCheck(g, -0.5f, 1f);
            }
        }
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("implsAndTransposes")
    void alphaAndBetaCombine(String impl, boolean transA, boolean transB) {
        Sgemm g = create(impl, two);
        SplittableRandom rnd = new SplittableRandom(23);
        float[] alphas = {1f, -0.5f, 2.5f, 0f};
        float[] betas = {0f, 1f, 0.75f, -2f};
        for (int[] s : new int[][] {{3, 7, 1}, {16, 33, 100}, {33, 100, 257}, {100, 16, 600}}) {
            for (float alpha : alphas) {
                for (float beta : betas) {
                    new Case(transA, transB, s[0], s[1], s[2], 3, rnd).runAndCheck(g, alpha, beta);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("impls")
    void betaZeroIgnoresNaNInC(String impl) {
        Sgemm g = create(impl, two);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int[] s : new int[][] {{1, 1, 1}, {7, 33, 257}, {257, 100, 16}, {100, 500, 784}}) {
            Case c = new Case(false, false, s[0], s[1], s[2], 0, rnd);
            Arrays.fill(c.c, Float.NaN);
            c.runAndCheck(g, 1.5f, 0f);
            for (float v : c.c) {
                assertFalse(Float.isNaN(v), "beta == 0 must not read C");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("impls")
    void emptyInnerDimensionScalesC(String impl) {
        Sgemm g = create(impl, one);
        float[] c = {1f, 2f, Float.NaN, 4f};
        g.sgemm(false, false, 2, 2, 0, 1f, new float[0], 1, new float[0], 2, 0.5f, c, 2);
        assertArrayEquals(new float[] {0.5f, 1f, Float.NaN, 2f}, c);
        g.sgemm(false, false, 2, 2, 0, 1f, new float[0], 1, new float[0], 2, 0f, c, 2);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, c);
    }

    @ParameterizedTest
    @MethodSource("impls")
    void nanAndInfinityInOperandsPropagate(String impl) {
        Sgemm g = create(impl, two);
        SplittableRandom rnd = new SplittableRandom(8);
        Case c = new Case(false, false, 37, 70, 300, 0, rnd);
        c.a[5 * c.lda + 123] = Float.NaN;          // row 5 of A
        c.b[17 * c.ldb + 41] = Float.POSITIVE_INFINITY; // column 41 of B; A[0][17] is not 0
        g.sgemm(false, false, c.m, c.n, c.k, 1f, c.a, c.lda, c.b, c.ldb, 0f, c.c, c.ldc);
        for (int j = 0; j < c.n; j++) {
            assertTrue(Float.isNaN(c.c[5 * c.ldc + j]), "NaN in A row 5 must reach C[5][" + j + "]");
        }
        for (int i = 0; i < c.m; i++) {
            if (i != 5) {
                assertTrue(Float.isInfinite(c.c[i * c.ldc + 41]), "infinity in B column 41 must reach C[" + i + "][41]");
                assertFalse(Float.isNaN(c.c[i * c.ldc + 40]), "C[" + i + "][40] must be finite");
            }
        }
        // alpha == 0 is not a shortcut: IEEE says 0 * NaN = NaN.
        Case z = new Case(false, false, 4, 4, 4, 0, rnd);
        z.a[0] = Float.NaN;
        g.sgemm(false, false, 4, 4, 4, 0f, z.a, z.lda, z.b, z.ldb, 0f, z.c, z.ldc);
        assertTrue(Float.isNaN(z.c[0]));
        assertEquals(0f, z.c[z.ldc], 0f);
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("implsAndTransposes")
    void threadCountDoesNotChangeResults(String impl, boolean transA, boolean transB) {
        Sgemm g1 = create(impl, one);
        Sgemm g2 = create(impl, two);
        Sgemm g3 = create(impl, three);
        SplittableRandom rnd = new SplittableRandom(99);
        for (int[] s : new int[][] {{100, 500, 784}, {784, 500, 100}, {257, 33, 300}, {7, 1000, 64}}) {
            Case c = new Case(transA, transB, s[0], s[1], s[2], 2, rnd);
            float[] r1 = c.run(g1, 0.5f, 0.25f);
            float[] r2 = c.run(g2, 0.5f, 0.25f);
            float[] r3 = c.run(g3, 0.5f, 0.25f);
            assertArrayEquals(r1, r2, "1 vs 2 threads at " + Arrays.toString(s));
            assertArrayEquals(r1, r3, "1 vs 3 threads at " + Arrays.toString(s));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void reusedWorkspacesGiveFreshResults(String impl) {
        Sgemm reused = create(impl, two);
        SplittableRandom rnd = new SplittableRandom(41);
        Case big = new Case(true, false, 300, 700, 900, 0, rnd);
        Case small = new Case(false, true, 5, 9, 3, 1, rnd);
        float[] bigFirst = big.run(reused, 1f, 0f);
        float[] smallAfterBig = small.run(reused, 1f, 0f);
        float[] bigAgain = big.run(reused, 1f, 0f);
        assertArrayEquals(bigFirst, bigAgain);
        assertArrayEquals(small.run(create(impl, two), 1f, 0f), smallAfterBig);
        small.runAndCheck(reused, 1f, 0f);
    }

    /**
     * One product with its operands stored as the transpose flags say, leading dimensions padded by
     * {@code pad} (padding of A and B holds NaN, padding of C a sentinel that must survive).
     */
    private static final class Case {
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final int lda;
        final int ldb;
        final int ldc;
        final float[] a;
        final float[] b;
        final float[] c;
        final float[] c0;

        Case(boolean transA, boolean transB, int m, int n, int k, int pad, SplittableRandom rnd) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            int aRows = transA ? k : m;
            int aCols = transA ? m : k;
            int bRows = transB ? n : k;
            int bCols = transB ? k : n;
            this.lda = aCols + pad;
            this.ldb = bCols + pad;
            this.ldc = n + pad;
            this.a = matrix(aRows, aCols, lda, Float.NaN, rnd);
            this.b = matrix(bRows, bCols, ldb, Float.NaN, rnd);
            this.c0 = matrix(m, n, ldc, 12345f, rnd);
            this.c = c0.clone();
        }

        private static float[] matrix(int rows, int cols, int ld, float padding, SplittableRandom rnd) {
            float[] x = new float[rows * ld];
            Arrays.fill(x, padding);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    x[i * ld + j] = (float) (rnd.nextDouble() * 2 - 1);
                }
            }
            return x;
        }

        float opA(int i, int p) {
            return transA ? a[p * lda + i] : a[i * lda + p];
        }

        float opB(int p, int j) {
            return transB ? b[j * ldb + p] : b[p * ldb + j];
        }

        /** Runs on a fresh copy of the initial C and returns it. */
        float[] run(Sgemm g, float alpha, float beta) {
            float[] out = c0.clone();
            g.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, out, ldc);
            return out;
        }

        void runAndCheck(Sgemm g, float alpha, float beta) {
            float[] initial = c.clone();
            g.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            // Worst-case float error of a k-term dot product plus the alpha/beta roundings and the
            // per-depth-block merges: gamma_(2k+8) times the magnitudes involved.
            double gamma = (2.0 * k + 8) * Math.ulp(1f) / 2 * 1.01;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double dot = 0;
                    double mag = 0;
                    for (int p = 0; p < k; p++) {
                        double prod = (double) opA(i, p) * opB(p, j);
                        dot += prod;
                        mag += Math.abs(prod);
                    }
                    double cInit = beta == 0f ? 0 : initial[i * ldc + j];
                    double want = alpha * dot + beta * cInit;
                    double tol = gamma * (Math.abs(alpha) * mag + Math.abs(beta * cInit)) + Float.MIN_NORMAL;
                    float got = c[i * ldc + j];
                    if (!(Math.abs(got - want) <= tol)) {
                        fail(String.format("%s transA=%b transB=%b m=%d n=%d k=%d alpha=%s beta=%s: C[%d][%d] = %s, want %s (tol %.3g)",
                                g.name(), transA, transB, m, n, k, alpha, beta, i, j, got, want, tol));
                    }
                }
                for (int j = n; j < ldc; j++) {
                    assertEquals(initial[i * ldc + j], c[i * ldc + j], 0f, "padding of C row " + i + " was written");
                }
            }
        }
    }
}
