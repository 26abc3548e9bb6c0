package org.ebm4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On a GPU: the device against the Java spec, element for element. Philox words, uniforms and
 * Bernoulli samples (plain and fused sigmoid-Bernoulli, including inputs on the u ~ p ties) must be
 * bit-identical to {@link Philox} and the {@link org.ebm4j.tensor.Sampler} formulas; GEMM (cuBLAS and
 * the own kernel) and the reductions within float bounds of double references. Skipped, with the
 * probe's reason, where no CUDA device is usable.
 */
@ExtendWith(RequiresCudaDevice.class)
class CudaDeviceParityTest {
    private static CudaBackend backend;
    private static CudaBackend kernelGemm;

    @BeforeAll
    static void open() {
        CudaBackendProvider provider = new CudaBackendProvider();
        assumeTrue(provider.probe().available(), "no usable CUDA device: " + provider.probe().reason());
        backend = (CudaBackend) provider.create();
        kernelGemm = WithProperty.get(CudaBackend.GEMM_PROPERTY, "kernel", () -> new CudaBackend(0));
        System.out.println("CUDA parity on " + backend.describe());
    }

    @AfterAll
    static void close() {
        if (kernelGemm != null) {
            kernelGemm.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static float[] randoms(SplittableRandom rnd, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * (float) rnd.nextDouble();
        }
        return v;
    }

    @Test
    void philoxWordsAreTheJavaGenerators() {
        long[][] positions = {{0L, 0, 0L, 0}, {-1L, -1, -1L, -1}, {0x299f31d0a4093822L, 0x03707344, 0x13198a2e85a308d3L, 0x243f6a88},
            {12345L, 7, 0x1_0000_0003L, 0x7fff_fff0}};
        int[] expect = new int[4];
        for (long[] pos : positions) {
            int quads = 1 << 14;
            try (Tensor out = backend.allocate(quads, 4)) {
                backend.philoxWords(pos[0], (int) pos[1], pos[2], (int) pos[3], out);
                float[] got = out.toArray();
                for (int q = 0; q < quads; q++) {
                    Philox.block((int) pos[3] + q, (int) pos[2], (int) (pos[2] >>> 32), (int) pos[1], (int) pos[0],
                            (int) (pos[0] >>> 32), expect, 0);
                    for (int j = 0; j < 4; j++) {
                        assertEquals(expect[j], Float.floatToRawIntBits(got[4 * q + j]), "quad " + q + " word " + j);
                    }
                }
            }
        }
    }

    @Test
    void uniformsAreBitIdenticalAndNormalsWithinAnUlp() {
        RandomStream rng = new RandomStream(-77L, 3, 0x1_2345_6789L);
        try (Tensor u = backend.allocate(1001, 37); Tensor z = backend.allocate(999, 41)) {
            long du = rng.drawIndex();
            backend.sampler().fillUniform(u, rng);
            long dz = rng.drawIndex();
            backend.sampler().fillNormal(z, 0.5f, 2f, rng);
            float[] gu = u.toArray();
            float[] gz = z.toArray();
            for (int e = 0; e < gu.length; e++) {
                assertEquals(Float.floatToIntBits(Philox.uniform(-77L, 3, du, e)), Float.floatToIntBits(gu[e]), "uniform " + e);
            }
            int exact = 0;
            for (int e = 0; e < gz.length; e++) {
                float want = 0.5f + 2f * Philox.normal(-77L, 3, dz, e);
                assertTrue(Math.abs(gz[e] - want) <= 2 * Math.ulp(want) + 2 * Math.ulp(2f), "normal " + e + ": " + gz[e] + " vs " + want);
                exact += gz[e] == want ? 1 : 0;
            }
            assertTrue(exact >= gz.length * 0.999, exact + " of " + gz.length + " normals bit-identical");
        }
    }

    @Test
    void fusedSigmoidBernoulliSamplesAreTheJavaSpecs() {
        int rows = 1000, cols = 500;
        SplittableRandom rnd = new SplittableRandom(11);
        float[] x = randoms(rnd, rows * cols, -6f, 6f);
        float[] bias = randoms(rnd, cols, -1f, 1f);
        float scale = 0.8f;
        RandomStream rng = new RandomStream(2024L, 1, 5L);
        long draw = rng.drawIndex();
        for (int e = 0; e < x.length; e += 3) {  // every third element on a tie u ~ sigmoid(z)
            double u = Math.min(Math.max(Philox.uniform(2024L, 1, draw, e), 1e-6), 1 - 1e-6);
            x[e] = (float) Math.log(u / (1 - u)) / scale - bias[e % cols];
        }
        x[1] = Float.NaN;
        try (Tensor tx = backend.fromArray(x, rows, cols); Tensor tb = backend.fromArray(bias, 1, cols);
             Tensor probs = backend.allocate(rows, cols); Tensor samples = backend.allocate(rows, cols)) {
            backend.sampler().sampleSigmoidBernoulli(tx, tb, scale, probs, samples, rng);
            float[] p = probs.toArray();
            float[] s = samples.toArray();
            int mismatches = 0;
            for (int e = 0; e < x.length; e++) {
                float z = scale * (x[e] + bias[e % cols]);
                float pj = 1f / (1f + (float) Math.exp(-z));
                float want = Philox.uniform(2024L, 1, draw, e) < pj ? 1f : 0f;
                mismatches += s[e] != want ? 1 : 0;
                if (!Float.isNaN(pj)) {
                    assertTrue(Math.abs(p[e] - pj) <= 4 * Math.ulp(pj), "probability " + e + ": " + p[e] + " vs " + pj);
                }
            }
            assertEquals(0, mismatches, "samples differing from the Java spec");
            assertTrue(Float.isNaN(p[1]) && s[1] == 0f, "NaN input: NaN probability, 0 sample");
            // samples-only, in place (samples aliasing x), same draw: the same samples
            rng.setDrawIndex(draw);
            backend.sampler().sampleSigmoidBernoulli(tx, tb, scale, null, tx, rng);
            float[] inPlace = tx.toArray();
            for (int e = 0; e < x.length; e++) {
                assertEquals(s[e], inPlace[e], "in-place sample " + e);
            }
        }
    }

    @Test
    void theSigmoidBernoulliEpilogueIsGemmThenSampleToTheBit() {
        // 128 rows per SM and two column tiles: a v2 plan with one slice on any device, so the epilogue runs
        int sms = kernelGemm.context().info().multiprocessors();
        int m = 128 * sms + 3;
        int k = 300;
        int n = 250;
        SplittableRandom rnd = new SplittableRandom(12);
        for (boolean transB : new boolean[] {false, true}) {
            assertTrue(KernelGemm.sigmoidBernoulliKernel(m, n, k, sms, true, transB) != null, "the shape must fuse");
            try (Tensor a = kernelGemm.fromArray(randoms(rnd, m * k, -0.3f, 0.3f), m, k);
                 Tensor b = transB ? kernelGemm.fromArray(randoms(rnd, n * k, -0.3f, 0.3f), n, k)
                         : kernelGemm.fromArray(randoms(rnd, k * n, -0.3f, 0.3f), k, n);
                 Tensor bias = kernelGemm.fromArray(randoms(rnd, n, -1f, 1f), 1, n);
                 Tensor pre = kernelGemm.allocate(m, n); Tensor probs = kernelGemm.allocate(m, n);
                 Tensor samples = kernelGemm.allocate(m, n); Tensor onlySamples = kernelGemm.allocate(m, n);
                 Tensor wantProbs = kernelGemm.allocate(m, n); Tensor wantSamples = kernelGemm.allocate(m, n)) {
                kernelGemm.sampler().sampleSigmoidBernoulliProduct(a, b, transB, bias, pre, probs, samples,
                        new RandomStream(77L, 2, 9L));
                kernelGemm.sampler().sampleSigmoidBernoulliProduct(a, b, transB, bias, pre, null, onlySamples,
                        new RandomStream(77L, 2, 9L));
                kernelGemm.gemm(false, transB, 1f, a, b, 0f, pre);
                kernelGemm.sampler().sampleSigmoidBernoulli(pre, bias, 1f, wantProbs, wantSamples,
                        new RandomStream(77L, 2, 9L));
                float[] want = wantSamples.toArray();
                assertEquals(Arrays.toString(Arrays.copyOf(wantProbs.toArray(), 8)),
                        Arrays.toString(Arrays.copyOf(probs.toArray(), 8)), "first probabilities");
                assertTrue(Arrays.equals(wantProbs.toArray(), probs.toArray()), "probabilities, b^T " + transB);
                assertTrue(Arrays.equals(want, samples.toArray()), "samples, b^T " + transB);
                assertTrue(Arrays.equals(want, onlySamples.toArray()), "samples without probabilities, b^T " + transB);
            }
        }
    }

    @Test
    void unitUpdatesAndMetropolisFollowTheSpec() {
        int chains = 300, n = 20;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] w = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                w[i * n + j] = w[j * n + i] = (float) (rnd.nextDouble() - 0.5);
            }
        }
        float[] state = new float[chains * n];
        for (int i = 0; i < state.length; i++) {
            state[i] = rnd.nextBoolean() ? 1f : 0f;
        }
        float[] field = randoms(rnd, chains * n, -2f, 2f);
        UnitRule rule = UnitRule.stochastic(0f, 1f, 0.9f);
        RandomStream rng = new RandomStream(9L, 0, 100L);
        try (Tensor ts = backend.fromArray(state, chains, n); Tensor tf = backend.fromArray(field, chains, n);
             Tensor tw = backend.fromArray(w, n, n)) {
            long draw = rng.drawIndex();
            backend.sampler().updateUnit(ts, tf, tw, 4, rule, null, rng);
            for (int r = 0; r < chains; r++) {
                int idx = r * n + 4;
                float v = Philox.uniform(9L, 0, draw, r) < rule.probabilityHigh(field[idx]) ? 1f : 0f;
                float d = v - state[idx];
                state[idx] = v;
                if (d != 0f) {
                    for (int j = 0; j < n; j++) {
                        field[r * n + j] += d * w[4 * n + j];
                    }
                }
            }
            float[] gs = ts.toArray();
            float[] gf = tf.toArray();
            for (int i = 0; i < state.length; i++) {
                assertEquals(state[i], gs[i], "state " + i);
                assertEquals(field[i], gf[i], "field " + i);
            }
        }
        float[] cur = randoms(rnd, chains * 3, -1f, 1f);
        float[] prop = randoms(rnd, chains * 3, -1f, 1f);
        float[] ec = randoms(rnd, chains, 0f, 2f);
        float[] ep = randoms(rnd, chains, 0f, 2f);
        ep[0] = Float.NaN;
        ep[1] = Float.POSITIVE_INFINITY;
        try (Tensor tc = backend.fromArray(cur, chains, 3); Tensor tp = backend.fromArray(prop, chains, 3);
             Tensor tec = backend.fromArray(ec, chains, 1); Tensor tep = backend.fromArray(ep, chains, 1);
             Tensor acc = backend.allocate(chains, 1)) {
            long draw = rng.drawIndex();
            backend.sampler().metropolisSelect(tc, tec, tp, tep, acc, rng);
            float[] ga = acc.toArray();
            float[] gc = tc.toArray();
            for (int r = 0; r < chains; r++) {
                boolean ok = !Float.isNaN(ep[r]) && ep[r] != Float.POSITIVE_INFINITY
                        && Philox.uniform(9L, 0, draw, r) < (float) Math.exp(ec[r] - ep[r]);
                assertEquals(ok ? 1f : 0f, ga[r], "chain " + r);
                for (int j = 0; j < 3; j++) {
                    assertEquals((ok ? prop : cur)[r * 3 + j], gc[r * 3 + j]);
                }
            }
        }
    }

    @Test
    void gemmInAllTransposeCasesWithBothImplementations() {
        // the last two take the own kernels' other plans (KernelGemm.plan): 144 large tiles (v2 on
        // devices of up to 144 SMs) and a deep product with one tile (v2 with k split)
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {65, 63, 17}, {100, 500, 784}, {784, 500, 100}, {129, 70, 257},
            {2048, 1152, 64}, {100, 60, 5000}};
        SplittableRandom rnd = new SplittableRandom(5);
        for (CudaBackend b : new CudaBackend[] {backend, kernelGemm}) {
            for (int[] s : sizes) {
                int m = s[0], n = s[1], k = s[2];
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 2) != 0, tb = (t & 1) != 0;
                    float[] a = randoms(rnd, m * k, -1f, 1f);
                    float[] bb = randoms(rnd, k * n, -1f, 1f);
                    float[] c = randoms(rnd, m * n, -1f, 1f);
                    float beta = t % 2 == 0 ? 0f : 0.5f;
                    float[] cIn = beta == 0f ? nanFilled(m * n) : c;
                    try (Tensor A = b.fromArray(a, ta ? k : m, ta ? m : k); Tensor B = b.fromArray(bb, tb ? n : k, tb ? k : n);
                         Tensor C = b.fromArray(cIn, m, n)) {
                        b.gemm(ta, tb, 1.5f, A, B, beta, C);
                        float[] got = C.toArray();
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double acc = 0, mag = 0;
                                for (int p = 0; p < k; p++) {
                                    double av = ta ? a[p * m + i] : a[i * k + p];
                                    double bv = tb ? bb[j * k + p] : bb[p * n + j];
                                    acc += av * bv;
                                    mag += Math.abs(av * bv);
                                }
                                double want = 1.5 * acc + (beta == 0f ? 0 : beta * c[i * n + j]);
                                double tol = (k + 3) * 0x1p-23 * (1.5 * mag + 1);
                                assertTrue(Math.abs(got[i * n + j] - want) <= tol, b.describe().get("gemm") + " " + m + "x" + n
                                        + "x" + k + " trans " + ta + "," + tb + " at " + i + "," + j + ": " + got[i * n + j] + " vs " + want);
                            }
                        }
                    }
                }
            }
        }
    }

    private static float[] nanFilled(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, Float.NaN);
        return v;
    }

    @Test
    void reductionsAgainstDoubleReferences() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (int[] s : new int[][] {{1, 1}, {10000, 500}, {3, 100000}, {257, 3}}) {
            int rows = s[0], cols = s[1];
            float[] x = randoms(rnd, rows * cols, -1f, 1f);
            float[] y = randoms(rnd, rows * cols, -1f, 1f);
            float[] bias = randoms(rnd, cols, -2f, 2f);
            double[] colRef = new double[cols];
            double[] rowRef = new double[rows];
            double[] spRef = new double[rows];
            double sum = 0, dot = 0, abs = 0;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    double v = x[r * cols + j];
                    colRef[j] += v;
                    rowRef[r] += v;
                    double z = 0.5 * (double) (x[r * cols + j] + bias[j]);
                    spRef[r] += z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
                    sum += v;
                    dot += v * y[r * cols + j];
                    abs += Math.abs(v);
                }
            }
            try (Tensor tx = backend.fromArray(x, rows, cols); Tensor ty = backend.fromArray(y, rows, cols);
                 Tensor tb = backend.fromArray(bias, 1, cols); Tensor cs = backend.allocate(1, cols);
                 Tensor rs = backend.allocate(rows, 1); Tensor sp = backend.allocate(rows, 1)) {
                assertEquals(sum, backend.sum(tx), 1e-12 * abs + 1e-300);
                assertEquals(dot, backend.dot(tx, ty), 1e-12 * abs + 1e-300);
                backend.fill(cs, Float.NaN);
                backend.columnSums(tx, 2f, 0f, cs);
                backend.rowSums(tx, rs);
                backend.softplusRowSums(tx, tb, 0.5f, sp);
                float[] gc = cs.toArray();
                float[] gr = rs.toArray();
                float[] gs = sp.toArray();
                for (int j = 0; j < cols; j++) {
                    assertEquals(2 * colRef[j], gc[j], 1e-6 * 2 * rows + 1e-6, "column " + j);
                }
                for (int r = 0; r < rows; r++) {
                    assertEquals(rowRef[r], gr[r], 1e-6 * cols + 1e-6, "row " + r);
                    assertEquals(spRef[r], gs[r], 2e-6 * spRef[r] + 1e-6, "softplus row " + r);
                }
            }
        }
    }

    @Test
    void closingABackendFreesItsOpenTensorsAndTheyCannotBeUsedAfter() {
        long mib = 1L << 20;
        long before = backend.context().memoryInfo()[0];
        CudaBackend other = new CudaBackend(0);
        Tensor left = other.allocate(4096, 4096);  // 64 MiB, never closed by hand
        other.sum(left);
        other.close();
        assertTrue(left.isClosed(), "the backend's close closes its tensors");
        assertThrows(IllegalStateException.class, () -> left.copyFrom(new float[left.size()], 0));
        left.close();  // a second close frees nothing
        long after = backend.context().memoryInfo()[0];
        // the primary context stays (backend holds it), so leaked memory would show; allocation granularity is 2 MiB
        assertTrue(after >= before - 4 * mib, "free device memory " + before / mib + " MiB before, " + after / mib + " MiB after");
    }

    @Test
    void twoBackendsUsedInTurnFromOneThreadEachSeeTheirOwnData() {
        Tensor a = backend.fromArray(new float[] {1, 2, 3}, 1, 3);
        Tensor ones = backend.fromArray(new float[] {1, 1, 1}, 1, 3);
        Tensor b = kernelGemm.fromArray(new float[] {10, 20, 30}, 1, 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(6.0 + i * 3, backend.sum(a), 0.0);
            backend.addRowVector(a, ones, 1f, a);
            assertEquals(60.0, kernelGemm.sum(b), 0.0);
        }
        a.close();
        ones.close();
        b.close();
    }

    @Test
    void outOfMemoryIsAClearErrorNamingTheRequest() {
        List<Tensor> held = new ArrayList<>();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                for (int i = 0; i < 1000; i++) {
                    held.add(backend.allocate(1 << 15, 1 << 15));  // 4 GiB each
                }
            });
            assertTrue(e.getMessage().startsWith("CUDA out of memory: could not allocate 4294967296 bytes (4096 MiB) for a 32768x32768 tensor"),
                    e.getMessage());
        } finally {
            held.forEach(Tensor::close);
        }
        try (Tensor after = backend.allocate(10, 10)) {
            assertEquals(0.0, backend.sum(after), "the backend keeps working after an out-of-memory error");
        }
    }
}
