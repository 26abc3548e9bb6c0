package org.ebm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.ebm4j.cpu.CpuBackend;
import org.ebm4j.cpu.KernelSelection;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CUDA sampler kernels (compiled for the CPU) against the Java spec: {@link Philox} and the
 * formulas of {@link org.ebm4j.tensor.Sampler}'s Javadoc, evaluated here in plain Java. Java writes
 * the cases, {@code kernel_tests parity} runs the kernels on them, and Java compares element for
 * element: random words, uniforms and Bernoulli samples must be bit-identical, probabilities equal
 * within 4 ulp (the kernel's fast expf), normals bit-identical.
 */
class KernelParityTest {
    private static final int MAGIC = 0x45424D31;
    private static final List<Case> CASES = new ArrayList<>();
    private static List<float[][]> results;

    /** One kernel invocation: kind, stream position, shape, int and float parameters, input arrays. */
    record Case(int kind, long seed, int stream, long draw, int rows, int cols, int[] ints, float[] floats, float[][] arrays) {
    }

    static final int PHILOX = 1, UNIFORM = 2, NORMAL = 3, BERNOULLI = 4, SIGMOID_BERNOULLI = 5, GAUSSIAN = 6,
            UPDATE_UNIT = 7, METROPOLIS = 8;

    @BeforeAll
    static void runKernels() throws Exception {
        KernelTestPrograms.requireBuilt();
        SplittableRandom rnd = new SplittableRandom(20240611L);
        // Philox words at the known-answer counters and elsewhere (quad0 high, draw above 2^32).
        CASES.add(new Case(PHILOX, 0L, 0, 0L, 0, 0, new int[] {0, 3}, new float[0], new float[0][]));
        CASES.add(new Case(PHILOX, -1L, -1, -1L, 0, 0, new int[] {-1, 1}, new float[0], new float[0][]));
        CASES.add(new Case(PHILOX, 0x299f31d0a4093822L, 0x03707344, 0x13198a2e85a308d3L, 0, 0,
                new int[] {0x243f6a88, 1}, new float[0], new float[0][]));
        CASES.add(new Case(PHILOX, 0x5DEECE66DL, 9, 0x1_0000_0007L, 0, 0, new int[] {0x7ffffff0, 40}, new float[0], new float[0][]));
        // Uniforms and normals: odd sizes, negative seed, stream ids, draw beyond 32 bits.
        CASES.add(new Case(UNIFORM, -42L, 3, 0x2_0000_0001L, 7, 13, new int[0], new float[0], new float[0][]));
        CASES.add(new Case(UNIFORM, 7L, 0, 0L, 1, 1, new int[0], new float[0], new float[0][]));
        CASES.add(new Case(NORMAL, 123L, 1, 77L, 9, 11, new int[0], new float[] {0.25f, 1.75f}, new float[0][]));
        CASES.add(new Case(NORMAL, 123L, 1, 78L, 1, 1, new int[0], new float[] {0f, 1f}, new float[0][]));
        // Bernoulli with saturation and NaN.
        float[] probs = randoms(rnd, 301, -0.25f, 1.25f);
        probs[0] = Float.NaN;
        probs[1] = Float.POSITIVE_INFINITY;
        probs[2] = Float.NEGATIVE_INFINITY;
        probs[3] = 0f;
        probs[4] = 1f;
        CASES.add(new Case(BERNOULLI, 5L, 2, 8L, 1, 301, new int[0], new float[0], new float[][] {probs}));
        // The fused sampler, with inputs placed on the ties u == sigmoid(z).
        for (int withBias = 0; withBias < 2; withBias++) {
            int rows = 23, cols = 37;
            long seed = 99L + withBias;
            float scale = withBias == 0 ? 1f : 0.6f;
            float[] bias = withBias == 1 ? randoms(rnd, cols, -1f, 1f) : null;
            float[] x = randoms(rnd, rows * cols, -5f, 5f);
            for (int e = 0; e < x.length; e += 2) {
                double u = Math.min(Math.max(Philox.uniform(seed, 4, 12L, e), 1e-6), 1 - 1e-6);
                float z = (float) Math.log(u / (1 - u));
                float xe = z / scale - (bias == null ? 0f : bias[e % cols]);
                for (int s = 0; s < (e / 2) % 4; s++) {
                    xe = (e % 4 == 0) ? Math.nextUp(xe) : Math.nextDown(xe);
                }
                x[e] = xe;
            }
            x[1] = Float.NaN;
            x[3] = Float.POSITIVE_INFINITY;
            x[5] = Float.NEGATIVE_INFINITY;
            CASES.add(new Case(SIGMOID_BERNOULLI, seed, 4, 12L, rows, cols, new int[] {1 - withBias}, new float[] {scale},
                    new float[][] {x, bias}));
        }
        // Gaussian units around a mean.
        CASES.add(new Case(GAUSSIAN, 31L, 0, 3L, 5, 9, new int[0], new float[] {0.5f},
                new float[][] {randoms(rnd, 45, -2f, 2f), randoms(rnd, 9, -1f, 1f)}));
        CASES.add(new Case(GAUSSIAN, 31L, 0, 4L, 3, 3, new int[0], new float[] {2f}, new float[][] {randoms(rnd, 9, -2f, 2f), null}));
        // Single-unit updates: stochastic (0,1) at T = 0.7 with clamps, threshold (-1,+1).
        for (int stochastic = 0; stochastic < 2; stochastic++) {
            int chains = 29, n = 8, unit = 3;
            float low = stochastic == 1 ? 0f : -1f;
            float[] w = new float[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    w[i * n + j] = w[j * n + i] = (float) (rnd.nextDouble() * 2 - 1);
                }
            }
            float[] state = new float[chains * n];
            float[] clamp = new float[chains * n];
            for (int i = 0; i < state.length; i++) {
                state[i] = rnd.nextBoolean() ? 1f : low;
                clamp[i] = i % 5 == 0 ? 1f : 0f;
            }
            float[] field = randoms(rnd, chains * n, -3f, 3f);
            field[unit] = Float.NaN;  // chain 0: a NaN field gives low
            float invT = stochastic == 1 ? 1f / 0.7f : Float.POSITIVE_INFINITY;
            CASES.add(new Case(UPDATE_UNIT, 17L, 2, 40L + stochastic, chains, n, new int[] {unit, stochastic},
                    new float[] {low, 1f, invT}, new float[][] {state, field, w, stochastic == 1 ? clamp : null}));
        }
        // Metropolis select with NaN, +inf and -inf energies.
        int chains = 33, cols = 4;
        float[] ec = randoms(rnd, chains, 0f, 3f);
        float[] ep = randoms(rnd, chains, 0f, 3f);
        ep[0] = Float.NaN;
        ep[1] = Float.POSITIVE_INFINITY;
        ep[2] = Float.NEGATIVE_INFINITY;
        ec[3] = Float.NaN;
        CASES.add(new Case(METROPOLIS, 8L, 1, 6L, chains, cols, new int[0], new float[0],
                new float[][] {randoms(rnd, chains * cols, -1f, 1f), ec, randoms(rnd, chains * cols, -1f, 1f), ep}));

        Path in = Files.createTempFile(KernelTestPrograms.BIN, "parity", ".in");
        Path out = Files.createTempFile(KernelTestPrograms.BIN, "parity", ".out");
        try {
            Files.write(in, encode(CASES));
            KernelTestPrograms.Run run = KernelTestPrograms.run(KernelTestPrograms.KERNEL_TESTS, "parity", in.toString(),
                    out.toString());
            assertEquals(0, run.exitCode(), run.output());
            results = decode(Files.readAllBytes(out));
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
        assertEquals(CASES.size(), results.size());
    }

    @Test
    void philoxWordsMatchTheJavaGenerator() {
        int checked = 0;
        for (int c : casesOf(PHILOX)) {
            Case k = CASES.get(c);
            float[] words = results.get(c)[0];
            int[] expect = new int[4];
            for (int q = 0; q < k.ints[1]; q++) {
                Philox.block(k.ints[0] + q, (int) k.draw, (int) (k.draw >>> 32), k.stream, (int) k.seed,
                        (int) (k.seed >>> 32), expect, 0);
                for (int j = 0; j < 4; j++) {
                    assertEquals(Integer.toHexString(expect[j]), Integer.toHexString(Float.floatToRawIntBits(words[4 * q + j])),
                            "case " + c + " quad " + q + " word " + j);
                    checked++;
                }
            }
        }
        assertEquals(4 * (3 + 1 + 1 + 40), checked);
        // The known answer of DESIGN.md, through the kernel: key (0,0), counter 0 -> 6627e8d5 ...
        assertEquals(0x6627e8d5, Float.floatToRawIntBits(results.get(0)[0][0]));
    }

    @Test
    void uniformsAndNormalsAreBitIdentical() {
        for (int c : casesOf(UNIFORM, NORMAL)) {
            Case k = CASES.get(c);
            float[] got = results.get(c)[0];
            for (int e = 0; e < k.rows * k.cols; e++) {
                float expect = k.kind == UNIFORM ? Philox.uniform(k.seed, k.stream, k.draw, e)
                        : k.floats[0] + k.floats[1] * Philox.normal(k.seed, k.stream, k.draw, e);
                assertBits(expect, got[e], "case " + c + " element " + e);
            }
        }
    }

    @Test
    void bernoulliSamplesAreIdentical() {
        Case k = only(BERNOULLI);
        float[] got = results.get(CASES.indexOf(k))[0];
        float[] p = k.arrays[0];
        for (int e = 0; e < p.length; e++) {
            float expect = Philox.uniform(k.seed, k.stream, k.draw, e) < p[e] ? 1f : 0f;
            assertEquals(expect, got[e], "element " + e + " p=" + p[e]);
        }
    }

    @Test
    void fusedSigmoidBernoulliSamplesAreIdenticalToTheJavaSpec() {
        int ties = 0, checked = 0;
        for (int c : casesOf(SIGMOID_BERNOULLI)) {
            Case k = CASES.get(c);
            float[] x = k.arrays[0], bias = k.arrays[1];
            float scale = k.floats[0];
            float[] probs = results.get(c)[0], samples = results.get(c)[1];
            assertEquals(k.ints[0] == 1, probs != null, "probs are written only when asked for");
            for (int e = 0; e < x.length; e++) {
                float z = scale * (x[e] + (bias == null ? 0f : bias[e % k.cols]));
                float p = 1f / (1f + (float) Math.exp(-z));
                float u = Philox.uniform(k.seed, k.stream, k.draw, e);
                assertEquals(u < p ? 1f : 0f, samples[e], "case " + c + " element " + e + ": u=" + u + " p=" + p);
                if (Math.abs(u - p) <= 8 * Math.ulp(p)) {
                    ties++;
                }
                if (probs != null) {
                    if (Float.isNaN(p)) {
                        assertTrue(Float.isNaN(probs[e]), "NaN input gives a NaN probability");
                    } else {
                        assertTrue(Math.abs(probs[e] - p) <= 4 * Math.ulp(p), "element " + e + ": " + probs[e] + " vs " + p);
                    }
                }
                checked++;
            }
            assertEquals(0f, samples[1], "NaN input gives a 0 sample");
            assertEquals(1f, samples[3], "+inf input gives p = 1");
            assertEquals(0f, samples[5], "-inf input gives p = 0");
        }
        assertEquals(2 * 23 * 37, checked);
        assertTrue(ties > 100, "the cases must put many elements on a tie u ~ p, found " + ties);
    }

    /**
     * The same cases through the CPU backend itself (its scalar kernels, the Java spec path): the
     * emulated CUDA kernels must give the same samples, uniforms and Gaussian units bit for bit, and
     * probabilities within 4 ulp.
     */
    @Test
    void samplersAgreeWithTheCpuBackendsScalarKernels() {
        try (CpuBackend cpu = new CpuBackend(KernelSelection.select("scalar"), 2)) {
            int compared = 0;
            for (int c = 0; c < CASES.size(); c++) {
                Case k = CASES.get(c);
                RandomStream rng = new RandomStream(k.seed, k.stream, k.draw);
                String what = "case " + c + " (kind " + k.kind + ") ";
                if (k.kind == SIGMOID_BERNOULLI) {
                    try (Tensor x = cpu.fromArray(k.arrays[0], k.rows, k.cols);
                         Tensor b = k.arrays[1] == null ? null : cpu.fromArray(k.arrays[1], 1, k.cols);
                         Tensor p = cpu.allocate(k.rows, k.cols); Tensor s = cpu.allocate(k.rows, k.cols)) {
                        cpu.sampler().sampleSigmoidBernoulli(x, b, k.floats[0], p, s, rng);
                        float[] cpuP = p.toArray();
                        float[] cpuS = s.toArray();
                        float[] cudaP = results.get(c)[0];
                        float[] cudaS = results.get(c)[1];
                        for (int e = 0; e < cpuS.length; e++) {
                            assertEquals(cpuS[e], cudaS[e], what + "sample " + e);
                            if (cudaP != null && !Float.isNaN(cpuP[e])) {
                                assertTrue(Math.abs(cpuP[e] - cudaP[e]) <= 4 * Math.ulp(cpuP[e]),
                                        what + "probability " + e + ": cpu " + cpuP[e] + ", cuda " + cudaP[e]);
                            }
                            compared++;
                        }
                    }
                } else if (k.kind == UNIFORM || k.kind == GAUSSIAN || k.kind == BERNOULLI) {
                    int rows = k.kind == BERNOULLI ? 1 : k.rows;
                    int cols = k.kind == BERNOULLI ? k.arrays[0].length : k.cols;
                    try (Tensor out = cpu.allocate(rows, cols);
                         Tensor in = k.kind == UNIFORM ? null : cpu.fromArray(k.arrays[0], rows, cols);
                         Tensor b = k.kind == GAUSSIAN && k.arrays[1] != null ? cpu.fromArray(k.arrays[1], 1, cols) : null) {
                        if (k.kind == UNIFORM) {
                            cpu.sampler().fillUniform(out, rng);
                        } else if (k.kind == GAUSSIAN) {
                            cpu.sampler().sampleGaussian(in, b, k.floats[0], out, rng);
                        } else {
                            cpu.sampler().sampleBernoulli(in, out, rng);
                        }
                        float[] got = out.toArray();
                        for (int e = 0; e < got.length; e++) {
                            assertBits(got[e], results.get(c)[0][e], what + "element " + e);
                            compared++;
                        }
                    }
                }
            }
            assertTrue(compared > 2000, "compared " + compared);
        }
    }

    @Test
    void gaussianSamplesAreBitIdentical() {
        for (int c : casesOf(GAUSSIAN)) {
            Case k = CASES.get(c);
            float[] mean = k.arrays[0], bias = k.arrays[1], got = results.get(c)[0];
            for (int e = 0; e < mean.length; e++) {
                float m = bias == null ? mean[e] : mean[e] + bias[e % k.cols];
                assertBits(m + k.floats[0] * Philox.normal(k.seed, k.stream, k.draw, e), got[e], "case " + c + " element " + e);
            }
        }
    }

    @Test
    void unitUpdatesFollowTheSamplerSpec() {
        for (int c : casesOf(UPDATE_UNIT)) {
            Case k = CASES.get(c);
            int n = k.cols, unit = k.ints[0];
            UnitRule rule = k.ints[1] == 1 ? UnitRule.stochastic(k.floats[0], k.floats[1], 1f / k.floats[2])
                    : UnitRule.threshold(k.floats[0], k.floats[1]);
            float[] state = k.arrays[0].clone(), field = k.arrays[1].clone(), w = k.arrays[2], clamp = k.arrays[3];
            for (int r = 0; r < k.rows; r++) {
                int idx = r * n + unit;
                if (clamp != null && clamp[idx] != 0f) {
                    continue;
                }
                float h = field[idx];
                float v = rule.isStochastic()
                        ? (Philox.uniform(k.seed, k.stream, k.draw, r) < rule.probabilityHigh(h) ? rule.high() : rule.low())
                        : (h >= 0f ? rule.high() : rule.low());
                float d = v - state[idx];
                state[idx] = v;
                if (d != 0f) {
                    for (int j = 0; j < n; j++) {
                        field[r * n + j] += d * w[unit * n + j];
                    }
                }
            }
            float[] gotState = results.get(c)[0], gotField = results.get(c)[1];
            for (int i = 0; i < state.length; i++) {
                assertEquals(state[i], gotState[i], "case " + c + " state " + i);
                assertBits(field[i], gotField[i], "case " + c + " field " + i);
            }
            assertEquals(rule.low(), gotState[unit], "a NaN field gives low");
        }
    }

    @Test
    void metropolisSelectFollowsTheSamplerSpec() {
        Case k = only(METROPOLIS);
        float[][] got = results.get(CASES.indexOf(k));
        float[] cur = k.arrays[0], ec = k.arrays[1], prop = k.arrays[2], ep = k.arrays[3];
        int accepted = 0;
        for (int r = 0; r < k.rows; r++) {
            float u = Philox.uniform(k.seed, k.stream, k.draw, r);
            boolean ok = !Float.isNaN(ep[r]) && ep[r] != Float.POSITIVE_INFINITY && u < (float) Math.exp(ec[r] - ep[r]);
            accepted += ok ? 1 : 0;
            assertEquals(ok ? 1f : 0f, got[2][r], "chain " + r);
            assertBits(ok ? ep[r] : ec[r], got[1][r], "energy of chain " + r);
            for (int j = 0; j < k.cols; j++) {
                assertEquals((ok ? prop : cur)[r * k.cols + j], got[0][r * k.cols + j], "chain " + r + " column " + j);
            }
        }
        assertEquals(0f, got[2][0], "NaN proposal energy is rejected");
        assertEquals(0f, got[2][1], "+inf proposal energy is rejected");
        assertEquals(1f, got[2][2], "-inf proposal energy is accepted");
        assertTrue(accepted > 3 && accepted < k.rows - 3, "accepted " + accepted);
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private static Case only(int kind) {
        int[] cases = casesOf(kind);
        assertEquals(1, cases.length, "cases of kind " + kind);
        return CASES.get(cases[0]);
    }

    /** The indices (into {@code CASES} and {@code results}) of the cases of the given kinds, in order. */
    private static int[] casesOf(int... kinds) {
        return IntStream.range(0, CASES.size())
                .filter(c -> IntStream.of(kinds).anyMatch(kind -> CASES.get(c).kind == kind))
                .toArray();
    }

    private static void assertBits(float expect, float got, String what) {
        if (Float.floatToIntBits(expect) != Float.floatToIntBits(got)) {
            throw new AssertionError(what + ": expected " + expect + " but the kernel gave " + got);
        }
    }

    private static float[] randoms(SplittableRandom rnd, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * (float) rnd.nextDouble();
        }
        return v;
    }

    private static byte[] encode(List<Case> cases) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(cases.size());
        for (Case k : cases) {
            b.putInt(k.kind).putLong(k.seed).putInt(k.stream).putLong(k.draw).putInt(k.rows).putInt(k.cols);
            b.putInt(k.ints.length);
            for (int v : k.ints) {
                b.putInt(v);
            }
            b.putInt(k.floats.length);
            for (float v : k.floats) {
                b.putFloat(v);
            }
            b.putInt(k.arrays.length);
            for (float[] a : k.arrays) {
                b.putInt(a == null ? -1 : a.length);
                if (a != null) {
                    for (float v : a) {
                        b.putFloat(v);
                    }
                }
            }
        }
        bytes.write(b.array(), 0, b.position());
        return bytes.toByteArray();
    }

    private static List<float[][]> decode(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int count = b.getInt();
        List<float[][]> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            float[][] arrays = new float[b.getInt()][];
            for (int i = 0; i < arrays.length; i++) {
                int len = b.getInt();
                if (len >= 0) {
                    arrays[i] = new float[len];
                    for (int j = 0; j < len; j++) {
                        arrays[i][j] = b.getFloat();
                    }
                }
            }
            out.add(arrays);
        }
        return out;
    }
}
