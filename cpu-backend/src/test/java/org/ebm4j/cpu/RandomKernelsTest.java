package org.ebm4j.cpu;

import static org.ebm4j.cpu.TestBackends.EPS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;
import org.junit.jupiter.api.Test;

/**
 * The sampler on every kernel set against the Philox specification in core: uniforms bit-identical
 * to {@link Philox#uniform}, normals within float tolerance of {@link Philox#normal}, Bernoulli
 * samples exactly {@code uniform < p}, one draw per call.
 */
class RandomKernelsTest extends OnEveryKernelSet {
    private static final long SEED = 0x1234_5678_9ABC_DEF0L;
    private static final int STREAM = 7;
    @EveryShape
    void uniformsAreBitIdenticalToPhilox(int rows, int cols) {
        for (CpuBackend b : backends) {
            RandomStream rng = new RandomStream(SEED, STREAM, 5_000_000_000L);
            Tensor out = b.allocate(rows, cols);
            b.sampler().fillUniform(out, rng);
            b.sampler().fillUniform(out, rng);
            assertEquals(5_000_000_002L, rng.drawIndex(), "one draw per call");
            float[] got = out.toArray();
            for (int e = 0; e < got.length; e++) {
                float want = Philox.uniform(SEED, STREAM, 5_000_000_001L, e);
                if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got[e])) {
                    throw new AssertionError(TestBackends.label(b, rows, cols) + " uniform " + e + ": expected "
                            + want + ", got " + got[e]);
                }
            }
        }
    }

    /** Ranges that start and end inside a Philox quad, through the kernels directly. */
    @Test
    void uniformRangesStartAnywhere() {
        for (KernelSelection sel : TestBackends.selections()) {
            CpuKernels k = sel.kernels();
            float[] dst = new float[300];
            for (long first : new long[] {0, 1, 2, 3, 5, 62, 63, 64, 1_000_001, (1L << 33) + 3}) {
                for (int count : new int[] {0, 1, 2, 3, 4, 5, 31, 32, 33, 64, 65, 127, 200}) {
                    java.util.Arrays.fill(dst, -1f);
                    long seed = -SEED;
                    long draw = 77;
                    k.uniforms((int) seed, (int) (seed >>> 32), (int) draw, (int) (draw >>> 32), STREAM, first, dst, 9,
                            count);
                    for (int i = 0; i < dst.length; i++) {
                        float want = i >= 9 && i < 9 + count ? Philox.uniform(seed, STREAM, draw, first + i - 9) : -1f;
                        assertEquals(want, dst[i], 0f, k.name() + " first=" + first + " count=" + count + " at " + i);
                    }
                }
            }
        }
    }

    @EveryShape
    void normalsFollowPhilox(int rows, int cols) {
        for (CpuBackend b : backends) {
            RandomStream rng = new RandomStream(SEED, STREAM, 3);
            Tensor out = b.allocate(rows, cols);
            b.sampler().fillNormal(out, 2f, 0.5f, rng);
            assertEquals(4, rng.drawIndex());
            float[] got = out.toArray();
            for (int e = 0; e < got.length; e++) {
                float z = Philox.normal(SEED, STREAM, 3, e);
                double want = 2 + 0.5 * z;
                // scalar: Philox.boxMuller exactly; vector: own log/cos polynomials
                double tol = b.kernels().vectorBits() == 0 ? 2 * EPS * 4 : 2e-6 * (1 + Math.abs(z));
                if (!(Math.abs(want - got[e]) <= tol)) {
                    throw new AssertionError(TestBackends.label(b, rows, cols) + " normal " + e + ": expected " + want
                            + ", got " + got[e]);
                }
            }
        }
    }

    @Test
    void normalRangesStartAnywhere() {
        for (KernelSelection sel : TestBackends.selections()) {
            CpuKernels k = sel.kernels();
            float[] dst = new float[200];
            for (long first : new long[] {0, 1, 2, 3, 31, 32, 33, (1L << 32) + 1}) {
                for (int count : new int[] {0, 1, 2, 3, 15, 16, 17, 33, 100}) {
                    java.util.Arrays.fill(dst, 99f);
                    k.normals(11, 12, 13, 14, 15, first, -1f, 3f, dst, 4, count, new float[CpuKernels.RANDOM_BLOCK], 0);
                    long seed = (11 & 0xFFFFFFFFL) | (12L << 32);
                    long draw = (13 & 0xFFFFFFFFL) | (14L << 32);
                    for (int i = 0; i < dst.length; i++) {
                        if (i >= 4 && i < 4 + count) {
                            float z = Philox.normal(seed, 15, draw, first + i - 4);
                            assertEquals(-1 + 3.0 * z, dst[i], 1e-5 * (1 + Math.abs(z)),
                                    k.name() + " first=" + first + " count=" + count + " at " + i);
                        } else {
                            assertEquals(99f, dst[i], 0f, "outside the range untouched");
                        }
                    }
                }
            }
        }
    }

    /** Mean and variance of many normals within 5 standard errors (fixed seed). */
    @Test
    void normalMomentsMatchTheStandardNormal() {
        int n = 400_000;
        for (CpuBackend b : backends) {
            Tensor out = b.allocate(400, 1000);
            b.sampler().fillNormal(out, 0f, 1f, new RandomStream(99));
            float[] z = out.toArray();
            double sum = 0;
            double sq = 0;
            double fourth = 0;
            for (float v : z) {
                sum += v;
                sq += (double) v * v;
                fourth += (double) v * v * v * v;
            }
            double mean = sum / n;
            double var = sq / n - mean * mean;
            assertEquals(0, mean, 5 / Math.sqrt(n), b.kernels().name() + " mean");
            assertEquals(1, var, 5 * Math.sqrt(2.0 / n), b.kernels().name() + " variance");
            assertEquals(3, fourth / n, 5 * Math.sqrt(96.0 / n), b.kernels().name() + " fourth moment");
        }
    }

    @EveryShape
    void bernoulliIsUniformBelowProbability(int rows, int cols) {
        float[] p = TestBackends.uniform(rows * cols, -0.2, 1.2, rows * 3L + cols);
        p[0] = Float.NaN;
        for (CpuBackend b : backends) {
            RandomStream rng = new RandomStream(SEED, STREAM, 11);
            Tensor out = b.allocate(rows, cols);
            b.sampler().sampleBernoulli(b.fromArray(p, rows, cols), out, rng);
            assertEquals(12, rng.drawIndex());
            float[] got = out.toArray();
            for (int e = 0; e < got.length; e++) {
                float u = Philox.uniform(SEED, STREAM, 11, e);
                if ((u < p[e] ? 1f : 0f) != got[e]) {
                    throw new AssertionError(TestBackends.label(b, rows, cols) + " element " + e + ": u=" + u + " p="
                            + p[e] + " sample " + got[e]);
                }
            }
            assertEquals(0f, got[0], "NaN probability gives 0");
        }
    }

    @EveryShape
    void fusedSigmoidBernoulli(int rows, int cols) {
        float scale = 0.8f;
        int n = rows * cols;
        float[] x = TestBackends.gaussian(n, 4, n * 19L);
        float[] bias = TestBackends.gaussian(cols, 1, cols * 19L);
        x[n / 2] = Float.NaN;
        float[] firstSamples = null;
        float[] firstProbs = null;
        for (CpuBackend b : backends) {
            Sampler sampler = b.sampler();
            RandomStream rng = new RandomStream(SEED, STREAM, 40);
            Tensor tx = b.fromArray(x, rows, cols);
            Tensor tb = b.fromArray(bias, 1, cols);
            Tensor probs = b.allocate(rows, cols);
            Tensor samples = b.allocate(rows, cols);
            sampler.sampleSigmoidBernoulli(tx, tb, scale, probs, samples, rng);
            float[] p = probs.toArray();
            float[] smp = samples.toArray();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    int e = r * cols + j;
                    if (e == n / 2) {
                        assertTrue(Float.isNaN(p[e]), "NaN input gives a NaN probability");
                        assertEquals(0f, smp[e], "NaN input gives a 0 sample");
                        continue;
                    }
                    float z = scale * (x[e] + bias[j]); // the float argument the op defines
                    double ref = 1 / (1 + Math.exp(-(double) z));
                    float u = Philox.uniform(SEED, STREAM, 40, e);
                    if (!(Math.abs(ref - p[e]) <= 8 * EPS * ref + 1e-30) || (u < p[e] ? 1f : 0f) != smp[e]) {
                        throw new AssertionError(TestBackends.label(b, rows, cols) + " element " + e + ": probability "
                                + p[e] + " (reference " + ref + "), u=" + u + ", sample " + smp[e]);
                    }
                }
            }
            // probs may be null; samples may alias x: same samples either way
            Tensor tx2 = b.fromArray(x, rows, cols);
            sampler.sampleSigmoidBernoulli(tx2, tb, scale, null, tx2, new RandomStream(SEED, STREAM, 40));
            assertArrayEquals(smp, tx2.toArray(), "probs == null and samples aliasing x");
            if (firstSamples == null) {
                firstSamples = smp;
                firstProbs = p;
            } else {
                for (int e = 0; e < n; e++) {
                    if (firstSamples[e] != smp[e]) {
                        // kernel sets may only disagree where the uniform sits within rounding of p
                        float u = Philox.uniform(SEED, STREAM, 40, e);
                        assertTrue(Math.abs(u - p[e]) <= 8 * EPS, "samples differ at " + e + " with u=" + u + " p="
                                + p[e] + " vs " + firstProbs[e]);
                    }
                }
            }
        }
    }

    @Test
    void sigmoidBernoulliWithoutBiasAndInPlaceProbs() {
        for (CpuBackend b : backends) {
            float[] x = TestBackends.gaussian(33 * 257, 2, 5);
            Tensor tx = b.fromArray(x, 33, 257);
            Tensor samples = b.allocate(33, 257);
            b.sampler().sampleSigmoidBernoulli(tx, null, 1f, tx, samples, new RandomStream(1));
            float[] p = tx.toArray();
            float[] smp = samples.toArray();
            for (int e = 0; e < x.length; e++) {
                double ref = 1 / (1 + Math.exp(-(double) x[e]));
                assertEquals(ref, p[e], 8 * EPS * ref, "probs aliasing x");
                assertEquals(Philox.uniform(1, 0, 0, e) < p[e] ? 1f : 0f, smp[e]);
            }
        }
    }

    @EveryShape
    void gaussianAroundAMean(int rows, int cols) {
        float[] mean = TestBackends.gaussian(rows * cols, 3, rows * 23L + cols);
        float[] bias = TestBackends.gaussian(cols, 1, cols * 23L);
        for (CpuBackend b : backends) {
            RandomStream rng = new RandomStream(SEED, STREAM, 8);
            Tensor tm = b.fromArray(mean, rows, cols);
            Tensor out = b.allocate(rows, cols);
            b.sampler().sampleGaussian(tm, b.fromArray(bias, 1, cols), 0.25f, out, rng);
            b.sampler().sampleGaussian(tm, null, 0.25f, tm, rng);
            float[] got = out.toArray();
            float[] inPlace = tm.toArray();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    int e = r * cols + j;
                    float z = Philox.normal(SEED, STREAM, 8, e);
                    double want = (double) mean[e] + bias[j] + 0.25 * z;
                    float z2 = Philox.normal(SEED, STREAM, 9, e);
                    double want2 = (double) mean[e] + 0.25 * z2;
                    if (!(Math.abs(want - got[e]) <= 4 * EPS * (Math.abs(mean[e]) + Math.abs(bias[j]) + 2) + 1e-6)
                            || !(Math.abs(want2 - inPlace[e]) <= 4 * EPS * (Math.abs(mean[e]) + 2) + 1e-6)) {
                        throw new AssertionError(TestBackends.label(b, rows, cols) + " element " + e + ": expected "
                                + want + " and (in place) " + want2 + ", got " + got[e] + " and " + inPlace[e]);
                    }
                }
            }
        }
    }

    // ---- updateUnit ---------------------------------------------------------------------------

    /** A random symmetric zero-diagonal weight matrix, a +-1 state and its field. */
    private static float[][] hopfield(int chains, int n, long seed) {
        float[] w = TestBackends.gaussian(n * n, 0.3, seed);
        for (int i = 0; i < n; i++) {
            w[i * n + i] = 0f;
            for (int j = 0; j < i; j++) {
                w[i * n + j] = w[j * n + i];
            }
        }
        float[] bias = TestBackends.gaussian(n, 0.2, seed + 1);
        float[] state = TestBackends.uniform(chains * n, -1, 1, seed + 2);
        for (int i = 0; i < state.length; i++) {
            state[i] = state[i] >= 0 ? 1f : -1f;
        }
        return new float[][] {w, bias, state, field(state, w, bias, chains, n)};
    }

    private static float[] field(float[] state, float[] w, float[] bias, int chains, int n) {
        float[] f = new float[chains * n];
        for (int r = 0; r < chains; r++) {
            for (int j = 0; j < n; j++) {
                double s = bias[j];
                for (int i = 0; i < n; i++) {
                    s += (double) state[r * n + i] * w[i * n + j];
                }
                f[r * n + j] = (float) s;
            }
        }
        return f;
    }

    @Test
    void updateUnitKeepsTheFieldConsistent() {
        int[][] shapes = {{1, 1}, {3, 7}, {16, 33}, {100, 16}, {7, 100}};
        UnitRule[] rules = {UnitRule.threshold(-1f, 1f), UnitRule.stochastic(-1f, 1f, 0.7f)};
        for (int[] s : shapes) {
            int chains = s[0];
            int n = s[1];
            float[][] h = hopfield(chains, n, chains * 1000L + n);
            float[] clamp = new float[chains * n];
            for (int r = 0; r < chains; r += 3) {
                clamp[r * n] = 1f;
            }
            for (UnitRule rule : rules) {
                for (CpuBackend b : backends) {
                    Tensor state = b.fromArray(h[2], chains, n);
                    Tensor field = b.fromArray(h[3], chains, n);
                    Tensor w = b.fromArray(h[0], n, n);
                    Tensor tc = b.fromArray(clamp, chains, n);
                    RandomStream rng = rule.isStochastic() ? new RandomStream(SEED, STREAM, 0) : null;
                    float[] expectState = h[2].clone();
                    for (int sweep = 0; sweep < 2; sweep++) {
                        for (int unit = 0; unit < n; unit++) {
                            long draw = rng == null ? -1 : rng.drawIndex();
                            float[] f = field.toArray();
                            b.sampler().updateUnit(state, field, w, unit, rule, tc, rng);
                            for (int r = 0; r < chains; r++) {
                                int at = r * n + unit;
                                if (clamp[at] != 0f) {
                                    continue;
                                }
                                float hv = f[at];
                                boolean high = rule.isStochastic()
                                        ? Philox.uniform(SEED, STREAM, draw, r) < rule.probabilityHigh(hv) : hv >= 0f;
                                expectState[at] = high ? 1f : -1f;
                            }
                            float[] gotState = state.toArray();
                            float[] gotField = field.toArray();
                            float[] refField = field(gotState, h[0], h[1], chains, n);
                            for (int i = 0; i < gotField.length; i++) {
                                assertEquals(refField[i], gotField[i], 1e-4, "field stays state * W + bias at " + i);
                            }
                            for (int r = 0; r < chains; r++) {
                                if (clamp[r * n] != 0f) {
                                    assertEquals(h[2][r * n], gotState[r * n], "clamped unit keeps its value");
                                }
                            }
                            assertArrayEquals(expectState, gotState, rule + " " + TestBackends.label(b, chains, n)
                                    + " unit " + unit);
                        }
                    }
                    if (rng != null) {
                        assertEquals(2L * n, rng.drawIndex(), "one draw per stochastic update");
                    }
                }
            }
        }
    }

    @Test
    void updateUnitWithZeroOneUnitsAndNoClamp() {
        int chains = 33;
        int n = 16;
        float[][] h = hopfield(chains, n, 5);
        for (int i = 0; i < h[2].length; i++) {
            h[2][i] = h[2][i] > 0 ? 1f : 0f;
        }
        h[3] = field(h[2], h[0], h[1], chains, n);
        for (CpuBackend b : backends) {
            Tensor state = b.fromArray(h[2], chains, n);
            Tensor field = b.fromArray(h[3], chains, n);
            Tensor w = b.fromArray(h[0], n, n);
            b.sampler().updateUnit(state, field, w, 3, UnitRule.threshold(0f, 1f), null, null);
            float[] got = state.toArray();
            for (int r = 0; r < chains; r++) {
                assertEquals(h[3][r * n + 3] >= 0 ? 1f : 0f, got[r * n + 3]);
            }
            float[] ref = field(got, h[0], h[1], chains, n);
            assertArrayEquals(ref, field.toArray(), 1e-4f);
        }
    }

    // ---- Metropolis ---------------------------------------------------------------------------

    @Test
    void metropolisAcceptsByTheEnergyDifference() {
        int chains = 257;
        int dim = 7;
        float[] cur = TestBackends.gaussian(chains * dim, 1, 1);
        float[] prop = TestBackends.gaussian(chains * dim, 1, 2);
        float[] ce = TestBackends.gaussian(chains, 2, 3);
        float[] pe = TestBackends.gaussian(chains, 2, 4);
        pe[0] = Float.NaN;
        pe[1] = Float.POSITIVE_INFINITY;
        ce[1] = Float.POSITIVE_INFINITY;
        pe[2] = Float.POSITIVE_INFINITY;
        pe[3] = ce[3] - 30f;
        pe[4] = Float.NEGATIVE_INFINITY;
        for (CpuBackend b : backends) {
            Tensor tc = b.fromArray(cur, chains, dim);
            Tensor tce = b.fromArray(ce, chains, 1);
            Tensor tp = b.fromArray(prop, chains, dim);
            Tensor tpe = b.fromArray(pe, chains, 1);
            Tensor acc = b.allocate(chains, 1);
            RandomStream rng = new RandomStream(SEED, STREAM, 21);
            b.sampler().metropolisSelect(tc, tce, tp, tpe, acc, rng);
            assertEquals(22, rng.drawIndex());
            float[] gc = tc.toArray();
            float[] gce = tce.toArray();
            float[] ga = acc.toArray();
            int accepted = 0;
            for (int r = 0; r < chains; r++) {
                float u = Philox.uniform(SEED, STREAM, 21, r);
                double diff = (double) ce[r] - pe[r];
                boolean want = !Float.isNaN(pe[r]) && pe[r] != Float.POSITIVE_INFINITY && u < Math.exp(diff);
                if (r >= 5 && Math.abs(u - Math.exp(diff)) < 1e-6) {
                    continue; // float vs double exp at the boundary
                }
                assertEquals(want ? 1f : 0f, ga[r], b.kernels().name() + " chain " + r + " u=" + u + " diff=" + diff);
                for (int j = 0; j < dim; j++) {
                    assertEquals(want ? prop[r * dim + j] : cur[r * dim + j], gc[r * dim + j]);
                }
                assertEquals(want ? pe[r] : ce[r], gce[r]);
                accepted += want ? 1 : 0;
            }
            assertEquals(0f, ga[0], "NaN proposal energy is rejected");
            assertEquals(0f, ga[1], "+inf proposal energy is rejected");
            assertEquals(0f, ga[2], "+inf proposal energy is rejected");
            assertEquals(1f, ga[3], "lower energy is accepted");
            assertTrue(accepted > 20 && accepted < chains - 20, "a mix of accepts and rejects: " + accepted);
        }
    }
}
