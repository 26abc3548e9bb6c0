package org.ebm4j.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;
import org.ebm4j.tensor.reference.ReferenceOps;
import org.junit.jupiter.api.Test;

/**
 * The random half of the contract: every {@link Sampler} method against the Philox stream it must
 * draw from (uniforms bit for bit, normals within float tolerance), the sampling decisions
 * against double-precision probabilities (ties within the probability's tolerance excepted), the
 * stream position (one draw per call), and statistical sanity with bounds of 5 standard errors.
 */
public abstract class SamplerContract extends TensorOpsContract {
    /**
     * Bound on a backend's Box-Muller normal against {@link Philox#normal}: the float angle
     * {@code 2 pi u2} is off by up to {@code 2^-22} absolute and the radius is at most 5.8, so
     * about {@code 3e-6}; log, sqrt and cos add a few ulps. Allowed: {@code 2^-16 (1 + |z|)}.
     */
    protected static double normalTolerance(double z) {
        return 0x1p-16 * (1 + Math.abs(z));
    }

    /** Starts just below 2^32 so that the high word of the draw counter is exercised too. */
    protected static RandomStream stream(long seed, int streamId) {
        return new RandomStream(seed, streamId, (1L << 32) - 2);
    }

    /**
     * The uniform {@link Philox} gives element {@code e} of the call that took draw {@code draw} of
     * {@code rng}'s stream.
     */
    protected static float uniformAt(RandomStream rng, long draw, long e) {
        return Philox.uniform(rng.seed(), rng.streamId(), draw, e);
    }

    /**
     * The standard normal {@link Philox} gives element {@code e} of the call that took draw
     * {@code draw} of {@code rng}'s stream.
     */
    protected static float normalAt(RandomStream rng, long draw, long e) {
        return Philox.normal(rng.seed(), rng.streamId(), draw, e);
    }

    private Sampler sampler() {
        return backend.sampler();
    }

    private static void assertOneDraw(long before, RandomStream rng, String what) {
        assertEquals(before + 1, rng.drawIndex(), what + " must take exactly one draw");
    }

    // ---- fills ------------------------------------------------------------------------------

    @Test
    @Covers("fillUniform")
    void fillUniformIsPhiloxBitForBit() {
        RandomStream rng = stream(0x243F6A8885A308D3L, 5);
        for (int[] s : SHAPES) {
            Tensor out = tensor(constant(s[0] * s[1], -1f), s[0], s[1]);
            long draw = rng.drawIndex();
            sampler().fillUniform(out, rng);
            assertOneDraw(draw, rng, "fillUniform");
            float[] want = new float[out.size()];
            for (int e = 0; e < want.length; e++) {
                want[e] = uniformAt(rng, draw, e);
            }
            assertSameFloats("fillUniform " + out.shape() + " draw " + draw, want, out.toArray());
        }
    }

    @Test
    @Covers("fillUniform")
    void fillUniformIsUniform() {
        int rows = 1000;
        int cols = 784;
        int n = rows * cols;
        Tensor out = zeros(rows, cols);
        sampler().fillUniform(out, new RandomStream(7));
        double sum = 0;
        int below = 0;
        for (float v : out.toArray()) {
            if (!(v >= 0f && v < 1f)) {
                fail("uniform outside [0, 1): " + v);
            }
            sum += v;
            below += v < 0.25f ? 1 : 0;
        }
        assertWithinStandardErrors("mean of uniforms", 0.5, sum / n, Math.sqrt(1.0 / 12 / n));
        assertWithinStandardErrors("fraction below 1/4", 0.25, (double) below / n, Math.sqrt(0.25 * 0.75 / n));
    }

    @Test
    @Covers("fillNormal")
    void fillNormalFollowsPhiloxWithinFloatTolerance() {
        RandomStream rng = stream(-77L, 2);
        float[][] params = {{0f, 1f}, {2f, 3f}, {-1f, 0.01f}};
        int c = 0;
        for (int[] s : SHAPES) {
            float mean = params[c % params.length][0];
            float sd = params[c++ % params.length][1];
            Tensor out = zeros(s[0], s[1]);
            long draw = rng.drawIndex();
            sampler().fillNormal(out, mean, sd, rng);
            assertOneDraw(draw, rng, "fillNormal");
            double[] want = new double[out.size()];
            double[] tol = new double[want.length];
            for (int e = 0; e < want.length; e++) {
                double z = normalAt(rng, draw, e);
                want[e] = mean + (double) sd * z;
                tol[e] = sd * normalTolerance(z) + 2 * U * (Math.abs(mean) + Math.abs(sd * z)) + TINY;
            }
            assertClose("fillNormal " + out.shape() + " mean=" + mean + " sd=" + sd, want, out.toArray(), tol);
        }
    }

    @Test
    @Covers("fillNormal")
    void fillNormalHasTheRequestedMeanAndVariance() {
        int n = 1000 * 784;
        float mean = 2f;
        float sd = 3f;
        Tensor out = zeros(1000, 784);
        sampler().fillNormal(out, mean, sd, new RandomStream(8));
        double sum = 0;
        double sq = 0;
        for (float v : out.toArray()) {
            if (!Float.isFinite(v)) {
                fail("normals are finite, found " + v);
            }
            sum += v;
            sq += (double) v * v;
        }
        double m = sum / n;
        double var = (sq - n * m * m) / (n - 1);
        assertWithinStandardErrors("mean of normals", mean, m, sd / Math.sqrt(n));
        assertWithinStandardErrors("variance of normals", sd * sd, var, sd * sd * Math.sqrt(2.0 / (n - 1)));
    }

    // ---- Bernoulli --------------------------------------------------------------------------

    @Test
    @Covers("sampleBernoulli")
    void sampleBernoulliComparesThePhiloxUniformWithTheProbability() {
        RandomStream rng = stream(99L, 1);
        for (ShapeCase s : shapeCases(31)) {
            int n = s.size();
            float[] p = s.uniform(n, -0.2, 1.2);
            p[0] = Float.NaN;
            if (n > 3) {
                p[1] = 1f;
                p[2] = 0f;
                p[3] = Float.POSITIVE_INFINITY;
            }
            long draw = rng.drawIndex();
            for (int e = 4; e < n; e += 5) {
                p[e] = uniformAt(rng, draw, e); // u == p must give 0: the comparison is strict
            }
            Tensor probs = tensor(p, s.rows(), s.cols());
            Tensor out = tensor(constant(n, 0.5f), s.rows(), s.cols());
            sampler().sampleBernoulli(probs, out, rng);
            assertOneDraw(draw, rng, "sampleBernoulli");
            // The probability is an exact float input, so the comparison has one right answer.
            float[] want = new float[n];
            for (int e = 0; e < n; e++) {
                want[e] = uniformAt(rng, draw, e) < p[e] ? 1f : 0f;
            }
            assertSameFloats("sampleBernoulli " + out.shape(), want, out.toArray());
            assertSameFloats("sampleBernoulli leaves probs", p, probs.toArray());
            sampler().sampleBernoulli(probs, probs, rng.at(draw));
            assertSameFloats("sampleBernoulli in place", want, probs.toArray());
        }
    }

    @Test
    @Covers("sampleBernoulli")
    void sampleBernoulliHasTheRequestedMean() {
        int n = 1000 * 784;
        double p = 0.3;
        Tensor probs = tensor(constant(n, (float) p), 1000, 784);
        Tensor out = zeros(1000, 784);
        sampler().sampleBernoulli(probs, out, new RandomStream(9));
        assertWithinStandardErrors("Bernoulli(0.3) frequency", p, backend.sum(out) / n, Math.sqrt(p * (1 - p) / n));
    }

    /** Checks samples against double-precision probabilities, excusing ties within {@code tol}. */
    private static void assertSamplesMatch(String what, float[] uniforms, double[] pRef, double[] tol, float[] samples) {
        int bad = 0;
        int first = -1;
        for (int e = 0; e < samples.length; e++) {
            boolean ok;
            if (Double.isNaN(pRef[e])) {
                ok = samples[e] == 0f;
            } else if (Math.abs(uniforms[e] - pRef[e]) <= tol[e]) {
                ok = samples[e] == 0f || samples[e] == 1f;
            } else {
                ok = samples[e] == (uniforms[e] < pRef[e] ? 1f : 0f);
            }
            if (!ok) {
                bad++;
                if (first < 0) {
                    first = e;
                }
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " samples disagree with uniform < p; first at [" + first + "]: u=" + uniforms[first]
                    + " p=" + pRef[first] + " sample=" + samples[first]);
        }
    }

    @Test
    @Covers("sampleSigmoidBernoulli")
    void sampleSigmoidBernoulliWritesProbabilitiesAndConsistentSamples() {
        RandomStream rng = stream(4242L, 3);
        float[] scales = {1f, 0.5f, 2f};
        for (ShapeCase s : shapeCases(32)) {
            int n = s.size();
            float scale = s.cycle(scales);
            boolean withBias = s.index() % 2 == 0;
            BiasedInput in = biasedInput(s.rnd(), s.rows(), s.cols(), 6, n / 2, withBias ? 2 : 0);
            double[] pRef = new double[n];
            double[] tol = new double[n];
            for (int e = 0; e < n; e++) {
                double z = scale * in.z()[e];
                pRef[e] = ReferenceOps.sigmoid(z);
                tol[e] = sigmoidTolerance(z, pRef[e], 2);
            }
            Tensor tx = in.tx();
            Tensor tb = in.tb();
            Tensor probs = tensor(constant(n, -1f), s.rows(), s.cols());
            Tensor samples = tensor(constant(n, -1f), s.rows(), s.cols());
            long draw = rng.drawIndex();
            sampler().sampleSigmoidBernoulli(tx, tb, scale, probs, samples, rng);
            assertOneDraw(draw, rng, "sampleSigmoidBernoulli");
            String what = "sampleSigmoidBernoulli " + tx.shape() + " scale=" + scale + (withBias ? " with bias" : "");
            float[] gotP = probs.toArray();
            float[] gotS = samples.toArray();
            assertClose(what + " probs", pRef, gotP, tol);
            float[] u = new float[n];
            for (int e = 0; e < n; e++) {
                u[e] = uniformAt(rng, draw, e);
                // One pass: each sample is uniform < the probability written beside it, exactly.
                if (gotS[e] != (u[e] < gotP[e] ? 1f : 0f)) {
                    fail(what + ": sample [" + e + "] = " + gotS[e] + " but u=" + u[e] + " and probs=" + gotP[e]);
                }
            }
            assertSamplesMatch(what, u, pRef, tol, gotS);

            // probs == null and samples aliasing x: same samples from the same stream position.
            sampler().sampleSigmoidBernoulli(tx, tb, scale, null, tx, rng.at(draw));
            assertSameFloats(what + " without probs, in place", gotS, tx.toArray());
        }
    }

    @Test
    @Covers("sampleSigmoidBernoulli")
    void sampleSigmoidBernoulliHasTheRightMeanAndNaNGivesZero() {
        int rows = 1000;
        int cols = 500;
        SplittableRandom rnd = new SplittableRandom(33);
        float[] x = uniform(rnd, rows * cols, -3, 3);
        float[] bias = uniform(rnd, cols, -1, 1);
        Tensor samples = zeros(rows, cols);
        sampler().sampleSigmoidBernoulli(tensor(x, rows, cols), tensor(bias, 1, cols), 1f, null, samples,
                new RandomStream(10));
        double expected = 0;
        double variance = 0;
        for (int e = 0; e < x.length; e++) {
            double p = ReferenceOps.sigmoid((double) x[e] + bias[e % cols]);
            expected += p;
            variance += p * (1 - p);
        }
        assertWithinStandardErrors("number of ones", expected, backend.sum(samples), Math.sqrt(variance));

        Tensor nan = tensor(new float[] {Float.NaN, Float.NaN}, 1, 2);
        Tensor probs = zeros(1, 2);
        Tensor out = tensor(new float[] {5f, 5f}, 1, 2);
        sampler().sampleSigmoidBernoulli(nan, null, 1f, probs, out, new RandomStream(1));
        assertTrue(Float.isNaN(probs.toArray()[0]) && Float.isNaN(probs.toArray()[1]), "NaN in, NaN probability");
        assertSameFloats("NaN in, sample 0", new float[] {0f, 0f}, out.toArray());
    }

    @Test
    @Covers("sampleSigmoidBernoulliProduct")
    void sampleSigmoidBernoulliProductIsGemmThenSampleToTheBit() {
        RandomStream rng = stream(0x5DEECE66DL, 4);
        SplittableRandom rnd = new SplittableRandom(44);
        // m x k x n, awkward against every tile size; b and b^T, with and without bias and probabilities
        int[][] sizes = {{1, 1, 1}, {3, 7, 16}, {17, 33, 130}, {129, 5, 257}};
        for (int c = 0; c < 2 * sizes.length; c++) {
            assertProductIsGemmThenSample(sizes[c / 2], c % 2 == 1, c % 2 == 0 || c == 3, c % 3 != 2, rnd, rng);
        }
    }

    private void assertProductIsGemmThenSample(int[] mkn, boolean transB, boolean withBias, boolean withProbs,
                                               SplittableRandom rnd, RandomStream rng) {
        int m = mkn[0];
        int k = mkn[1];
        int n = mkn[2];
        Tensor a = tensor(uniform(rnd, m * k, -2, 2), m, k);
        Tensor b = transB ? tensor(uniform(rnd, n * k, -2, 2), n, k) : tensor(uniform(rnd, k * n, -2, 2), k, n);
        Tensor bias = withBias ? tensor(uniform(rnd, n, -1, 1), 1, n) : null;
        Tensor pre = tensor(constant(m * n, -1f), m, n);
        Tensor probs = withProbs ? tensor(constant(m * n, -1f), m, n) : null;
        Tensor samples = tensor(constant(m * n, -1f), m, n);
        long draw = rng.drawIndex();
        sampler().sampleSigmoidBernoulliProduct(a, b, transB, bias, pre, probs, samples, rng);
        String what = "sampleSigmoidBernoulliProduct " + m + "x" + k + "x" + n + (transB ? " b^T" : "")
                + (withBias ? " with bias" : "") + (withProbs ? " with probs" : "");
        assertOneDraw(draw, rng, what);

        Tensor wantPre = zeros(m, n);
        Tensor wantProbs = zeros(m, n);
        Tensor wantSamples = zeros(m, n);
        backend.gemm(false, transB, 1f, a, b, 0f, wantPre);
        sampler().sampleSigmoidBernoulli(wantPre, bias, 1f, wantProbs, wantSamples, rng.at(draw));
        assertSameFloats(what + " samples", wantSamples.toArray(), samples.toArray());
        if (withProbs) {
            assertSameFloats(what + " probs", wantProbs.toArray(), probs.toArray());
        }
    }

    // ---- Gaussian ---------------------------------------------------------------------------

    @Test
    @Covers("sampleGaussian")
    void sampleGaussianAddsScaledNormalsToTheMean() {
        RandomStream rng = stream(5150L, 4);
        float[] sds = {1f, 0.1f, 2.5f};
        for (ShapeCase s : shapeCases(34)) {
            int n = s.size();
            float sd = s.cycle(sds);
            boolean withBias = s.index() % 2 == 1;
            BiasedInput in = biasedInput(s.rnd(), s.rows(), s.cols(), 3, n - 1, withBias ? 1 : 0);
            Tensor tm = in.tx();
            Tensor out = zeros(s.rows(), s.cols());
            long draw = rng.drawIndex();
            sampler().sampleGaussian(tm, in.tb(), sd, out, rng);
            assertOneDraw(draw, rng, "sampleGaussian");
            double[] want = new double[n];
            double[] tol = new double[n];
            for (int e = 0; e < n; e++) {
                double z = normalAt(rng, draw, e);
                double b = withBias ? in.bias()[e % s.cols()] : 0.0;
                want[e] = in.z()[e] + sd * z;
                tol[e] = sd * normalTolerance(z) + 3 * U * (Math.abs(in.x()[e]) + Math.abs(b) + Math.abs(sd * z))
                        + TINY;
            }
            String what = "sampleGaussian " + tm.shape() + " sd=" + sd + (withBias ? " with bias" : "");
            assertClose(what, want, out.toArray(), tol);
            sampler().sampleGaussian(tm, in.tb(), sd, tm, rng.at(draw));
            assertClose(what + " in place", want, tm.toArray(), tol);
        }
    }

    // ---- single-site updates ----------------------------------------------------------------

    /** A random symmetric {@code n x n} matrix with zero diagonal, entries of size {@code 1/sqrt(n)}. */
    protected static float[] symmetricWeights(SplittableRandom rnd, int n) {
        float[] w = new float[n * n];
        double s = 1 / Math.sqrt(n);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float v = (float) (s * (2 * rnd.nextDouble() - 1));
                w[i * n + j] = v;
                w[j * n + i] = v;
            }
        }
        return w;
    }

    /** {@code state * w + bias} rounded to float, the field a caller hands to updateUnit. */
    protected static float[] field(float[] state, int chains, int n, float[] w, float[] bias) {
        double[] f = ReferenceOps.gemm(false, false, chains, n, n, 1.0, state, w, 0.0, null);
        float[] out = new float[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (float) (f[i] + bias[i % n]);
        }
        return out;
    }

    private static float[] randomStates(SplittableRandom rnd, int count, float low, float high) {
        float[] s = new float[count];
        for (int i = 0; i < count; i++) {
            s[i] = rnd.nextBoolean() ? high : low;
        }
        return s;
    }

    /**
     * Checks one updateUnit call from the values before and after it: unclamped units follow the
     * rule (for stochastic rules, against {@code uniforms}, ties within tolerance excused), clamped
     * chains are untouched, and each field row moved by exactly {@code d * w[unit, :]} (two
     * roundings).
     */
    private static void checkUpdate(String what, UnitRule rule, int unit, int chains, int n, float[] w, float[] clamp,
                                    float[] uniforms, float[] state0, float[] field0, float[] state1, float[] field1) {
        for (int r = 0; r < chains; r++) {
            boolean clamped = clamp != null && clamp[r * n + unit] != 0f;
            for (int j = 0; j < n; j++) {
                if ((j != unit || clamped) && Float.compare(state0[r * n + j], state1[r * n + j]) != 0) {
                    fail(what + ": state[" + r + ", " + j + "] must not change: " + state0[r * n + j] + " -> "
                            + state1[r * n + j]);
                }
            }
            float h = field0[r * n + unit];
            float now = state1[r * n + unit];
            if (clamped) {
                for (int j = 0; j < n; j++) {
                    if (Float.floatToRawIntBits(field0[r * n + j]) != Float.floatToRawIntBits(field1[r * n + j])) {
                        fail(what + ": clamped chain " + r + " must keep its field, [" + j + "] changed");
                    }
                }
                continue;
            }
            assertTrue(now == rule.low() || now == rule.high(), what + ": unit value " + now);
            if (rule.isStochastic()) {
                double gap = ((double) rule.high() - rule.low()) * h * rule.inverseTemperature();
                double p = ReferenceOps.sigmoid(gap);
                float u = uniforms[r];
                if (Double.isNaN(p)) {
                    assertEquals(rule.low(), now, what + ": NaN field gives low, chain " + r);
                } else if (Math.abs(u - p) > sigmoidTolerance(gap, p, 3)) {
                    assertEquals(u < p ? rule.high() : rule.low(), now, what + ": chain " + r + " u=" + u + " p=" + p);
                }
            } else {
                assertEquals(h >= 0f ? rule.high() : rule.low(), now, what + ": chain " + r + " field " + h);
            }
            double d = (double) now - state0[r * n + unit];
            for (int j = 0; j < n; j++) {
                double want = field0[r * n + j] + d * w[unit * n + j];
                double tol = U * Math.abs(want) + 2 * U * (Math.abs(field0[r * n + j]) + Math.abs(d * w[unit * n + j])) + TINY;
                float got = field1[r * n + j];
                if (!close(want, got, tol)) {
                    fail(what + ": field[" + r + ", " + j + "] = " + got + ", expected " + want + " +- " + tol
                            + " (unit changed by " + d + ")");
                }
            }
        }
    }

    @Test
    @Covers("updateUnit")
    void updateUnitThresholdRuleKeepsTheFieldAndTakesNoDraw() {
        SplittableRandom rnd = new SplittableRandom(35);
        int[][] cases = {{1, 1}, {7, 33}, {100, 257}, {3, 16}};
        for (int[] c : cases) {
            int chains = c[0];
            int n = c[1];
            UnitRule rule = UnitRule.threshold(-1f, 1f);
            float[] w = symmetricWeights(rnd, n);
            float[] bias = uniform(rnd, n, -0.5, 0.5);
            float[] s0 = randomStates(rnd, chains * n, -1f, 1f);
            float[] f0 = field(s0, chains, n, w, bias);
            if (chains > 1) {
                f0[n + n / 2] = Float.NaN; // chain 1's field at the unit: NaN compares false, gives low
            }
            Tensor state = tensor(s0, chains, n);
            Tensor fieldT = tensor(f0, chains, n);
            Tensor wT = tensor(w, n, n);
            int unit = n / 2;
            sampler().updateUnit(state, fieldT, wT, unit, rule, null, null);
            String what = "updateUnit threshold " + chains + "x" + n;
            checkUpdate(what, rule, unit, chains, n, w, null, null, s0, f0, state.toArray(), fieldT.toArray());
            if (chains > 1) {
                assertEquals(-1f, state.toArray()[n + unit], what + ": NaN field gives low");
            }
            RandomStream rng = new RandomStream(1);
            sampler().updateUnit(state, fieldT, wT, unit, rule, null, rng);
            assertEquals(0L, rng.drawIndex(), "a threshold rule takes no draw");
        }
    }

    @Test
    @Covers("updateUnit")
    void updateUnitStochasticRuleUsesOneDrawPerCall() {
        SplittableRandom rnd = new SplittableRandom(36);
        int[][] cases = {{1000, 16}, {33, 100}, {1, 7}};
        UnitRule[] rules = {UnitRule.stochastic(0f, 1f, 0.7f), UnitRule.stochastic(-1f, 1f, 2f),
            UnitRule.stochastic(0f, 1f, 1f)};
        RandomStream rng = stream(777L, 6);
        for (int i = 0; i < cases.length; i++) {
            int chains = cases[i][0];
            int n = cases[i][1];
            UnitRule rule = rules[i];
            float[] w = symmetricWeights(rnd, n);
            float[] bias = uniform(rnd, n, -1, 1);
            float[] s0 = randomStates(rnd, chains * n, rule.low(), rule.high());
            float[] f0 = field(s0, chains, n, w, bias);
            Tensor state = tensor(s0, chains, n);
            Tensor fieldT = tensor(f0, chains, n);
            int unit = n - 1;
            long draw = rng.drawIndex();
            sampler().updateUnit(state, fieldT, tensor(w, n, n), unit, rule, null, rng);
            assertOneDraw(draw, rng, "updateUnit with a stochastic rule");
            float[] u = new float[chains];
            for (int r = 0; r < chains; r++) {
                u[r] = uniformAt(rng, draw, r);
            }
            float[] s1 = state.toArray();
            checkUpdate("updateUnit " + rule + " " + chains + "x" + n, rule, unit, chains, n, w, null, u, s0, f0, s1,
                    fieldT.toArray());
            if (chains >= 1000) {
                double expected = 0;
                double variance = 0;
                double highs = 0;
                for (int r = 0; r < chains; r++) {
                    double p = ReferenceOps.sigmoid((rule.high() - rule.low()) * (double) f0[r * n + unit]
                            * rule.inverseTemperature());
                    expected += p;
                    variance += p * (1 - p);
                    highs += s1[r * n + unit] == rule.high() ? 1 : 0;
                }
                assertWithinStandardErrors("chains set high", expected, highs, Math.sqrt(variance));
            }
        }
    }

    @Test
    @Covers("updateUnit")
    void updateUnitLeavesClampedChainsAlone() {
        SplittableRandom rnd = new SplittableRandom(37);
        int chains = 100;
        int n = 33;
        UnitRule[] rules = {UnitRule.threshold(0f, 1f), UnitRule.stochastic(0f, 1f, 1f)};
        for (UnitRule rule : rules) {
            float[] w = symmetricWeights(rnd, n);
            float[] bias = uniform(rnd, n, -1, 1);
            float[] s0 = randomStates(rnd, chains * n, 0f, 1f);
            float[] f0 = field(s0, chains, n, w, bias);
            float[] clamp = new float[chains * n];
            for (int i = 0; i < clamp.length; i++) {
                clamp[i] = rnd.nextInt(3) == 0 ? 1f : 0f;
            }
            Tensor state = tensor(s0, chains, n);
            Tensor fieldT = tensor(f0, chains, n);
            Tensor clampT = tensor(clamp, chains, n);
            int unit = 7;
            RandomStream rng = new RandomStream(31337L, 0, 5);
            sampler().updateUnit(state, fieldT, tensor(w, n, n), unit, rule, clampT, rng);
            float[] u = new float[chains];
            for (int r = 0; r < chains; r++) {
                u[r] = uniformAt(rng, 5, r);
            }
            checkUpdate("updateUnit clamped " + rule, rule, unit, chains, n, w, clamp, u, s0, f0, state.toArray(),
                    fieldT.toArray());
            assertSameFloats("clamp untouched", clamp, clampT.toArray());
        }
    }

    /**
     * Asynchronous Hopfield recall over every unit: after each update the field must still equal
     * {@code state * W + bias}, within the rounding the updates accumulated.
     */
    @Test
    @Covers("updateUnit")
    void updateUnitSweepKeepsFieldEqualToStateTimesWeightsPlusBias() {
        SplittableRandom rnd = new SplittableRandom(38);
        int chains = 7;
        int n = 33;
        UnitRule rule = UnitRule.threshold(-1f, 1f);
        float[] w = symmetricWeights(rnd, n);
        float[] bias = uniform(rnd, n, -0.3, 0.3);
        float[] s = randomStates(rnd, chains * n, -1f, 1f);
        float[] f = field(s, chains, n, w, bias);
        Tensor state = tensor(s, chains, n);
        Tensor fieldT = tensor(f, chains, n);
        Tensor wT = tensor(w, n, n);
        double[] err = new double[chains * n];
        for (int sweep = 0; sweep < 2; sweep++) {
            for (int unit : new RandomStream(sweep).permutation(n)) {
                sampler().updateUnit(state, fieldT, wT, unit, rule, null, null);
                float[] s1 = state.toArray();
                float[] f1 = fieldT.toArray();
                checkUpdate("sweep " + sweep + " unit " + unit, rule, unit, chains, n, w, null, null, s, f, s1, f1);
                for (int r = 0; r < chains; r++) {
                    double d = (double) s1[r * n + unit] - s[r * n + unit];
                    for (int j = 0; j < n; j++) {
                        err[r * n + j] += 3 * U * (Math.abs(f[r * n + j]) + Math.abs(d * w[unit * n + j]));
                    }
                }
                s = s1;
                f = f1;
                double[] exact = ReferenceOps.gemm(false, false, chains, n, n, 1.0, s, w, 0.0, null);
                for (int i = 0; i < exact.length; i++) {
                    double want = exact[i] + bias[i % n];
                    // The initial field was rounded once from a sum of n + 1 terms of size <= 1.
                    double tol = err[i] + (n + 2) * U * (1 + 0.3 + n / Math.sqrt(n)) + TINY;
                    if (!(Math.abs(f[i] - want) <= tol)) {
                        fail("field[" + i / n + ", " + i % n + "] = " + f[i] + " but state * W + bias = " + want
                                + " +- " + tol);
                    }
                }
            }
        }
    }

    @Test
    @Covers("updateUnit")
    void updateUnitRejectsAUnitOutsideTheState() {
        Tensor state = tensor(constant(21, 1f), 3, 7);
        Tensor fieldT = tensor(constant(21, 0.5f), 3, 7);
        Tensor w = zeros(7, 7);
        RandomStream rng = new RandomStream(3);
        for (int unit : new int[] {-1, 7}) {
            assertThrows(IllegalArgumentException.class,
                    () -> sampler().updateUnit(state, fieldT, w, unit, UnitRule.stochastic(0f, 1f, 1f), null, rng));
        }
        assertEquals(0L, rng.drawIndex(), "a rejected call takes no draw");
        assertSameFloats("state untouched", constant(21, 1f), state.toArray());
        assertSameFloats("field untouched", constant(21, 0.5f), fieldT.toArray());
    }

    // ---- HMC --------------------------------------------------------------------------------

    @Test
    @Covers("leapfrog")
    void leapfrogKicksThenDrifts() {
        float[][] kd = {{0.05f, 0f}, {0.1f, 0.1f}, {0f, 0.2f}, {0.03f, -0.07f}};
        for (ShapeCase s : shapeCases(39)) {
            int rows = s.rows();
            int cols = s.cols();
            int n = rows * cols;
            float kick = s.cycle(kd)[0];
            float drift = s.cycle(kd)[1];
            boolean withMass = s.index() % 3 != 0;
            float[] q = s.uniform(n, -2, 2);
            float[] p = s.uniform(n, -2, 2);
            float[] g = s.uniform(n, -5, 5);
            float[] m = withMass ? s.uniform(cols, 0.1, 3) : null;
            double[] wantP = new double[n];
            double[] tolP = new double[n];
            double[] wantQ = new double[n];
            double[] tolQ = new double[n];
            for (int e = 0; e < n; e++) {
                double mj = m == null ? 1.0 : m[e % cols];
                wantP[e] = p[e] - (double) kick * g[e];
                tolP[e] = kick == 0f ? 0 : U * Math.abs(wantP[e]) + 2 * U * (Math.abs(p[e]) + Math.abs(kick * g[e])) + TINY;
                // q reads the kicked p, so p's error reaches q scaled by drift * m.
                wantQ[e] = q[e] + drift * mj * wantP[e];
                tolQ[e] = drift == 0f ? 0 : U * Math.abs(wantQ[e]) + 3 * U * (Math.abs(q[e])
                        + Math.abs(drift * mj * wantP[e])) + Math.abs(drift * mj) * tolP[e] + TINY;
            }
            Tensor tq = tensor(q, rows, cols);
            Tensor tp = tensor(p, rows, cols);
            Tensor tg = tensor(g, rows, cols);
            Tensor tm = withMass ? tensor(m, 1, cols) : null;
            sampler().leapfrog(tq, tp, tg, tm, kick, drift);
            String what = "leapfrog " + tq.shape() + " kick=" + kick + " drift=" + drift + (withMass ? " invMass" : "");
            assertClose(what + " p", wantP, tp.toArray(), tolP);
            assertClose(what + " q", wantQ, tq.toArray(), tolQ);
            assertSameFloats(what + " leaves grad", g, tg.toArray());
        }
    }

    @Test
    @Covers("leapfrog")
    void leapfrogZeroKickOrDriftLeavesItsTensorAlone() {
        float[] q = {1f, -2f, 3f};
        float[] p = {0.5f, Float.POSITIVE_INFINITY, -1f};
        float[] g = {Float.NaN, 1f, 2f};
        Tensor tq = tensor(q, 1, 3);
        Tensor tp = tensor(p, 1, 3);
        Tensor tg = tensor(g, 1, 3);
        // Half kick: p gets the NaN, q is not touched even though 0 * NaN and 0 * inf are NaN.
        sampler().leapfrog(tq, tp, tg, null, 0.5f, 0f);
        assertSameFloats("q after a zero drift", q, tq.toArray());
        float[] p1 = tp.toArray();
        assertTrue(Float.isNaN(p1[0]), "NaN gradient propagates into p");
        assertEquals(Float.POSITIVE_INFINITY, p1[1]);
        assertEquals(-2f, p1[2]);
        // Pure drift: p is not touched by the NaN gradient.
        tp.copyFrom(new float[] {1f, 2f, 3f});
        sampler().leapfrog(tq, tp, tg, tensor(new float[] {1f, 0.5f, 2f}, 1, 3), 0f, 0.25f);
        assertSameFloats("p after a zero kick", new float[] {1f, 2f, 3f}, tp.toArray());
        assertSameFloats("q after a drift", new float[] {1.25f, -1.75f, 4.5f}, tq.toArray());
    }

    @Test
    @Covers("metropolisSelect")
    void metropolisSelectAcceptsWithTheMetropolisProbability() {
        RandomStream rng = stream(2024L, 9);
        SplittableRandom rnd = new SplittableRandom(40);
        int[][] cases = {{1, 1}, {7, 3}, {100, 33}, {1000, 16}, {33, 784}};
        for (int[] c : cases) {
            int chains = c[0];
            int d = c[1];
            float[] cur = uniform(rnd, chains * d, -1, 1);
            float[] prop = uniform(rnd, chains * d, -1, 1);
            float[] eCur = uniform(rnd, chains, 0, 5);
            float[] eProp = new float[chains];
            for (int r = 0; r < chains; r++) {
                eProp[r] = (float) (eCur[r] + 3 * rnd.nextDouble() - 1);
            }
            if (chains >= 7) {
                eProp[0] = Float.NaN;
                eProp[1] = Float.POSITIVE_INFINITY;
                eProp[2] = Float.NEGATIVE_INFINITY;
                eCur[3] = Float.NaN;
                eCur[4] = Float.POSITIVE_INFINITY;
                eCur[5] = Float.POSITIVE_INFINITY;
                eProp[5] = Float.POSITIVE_INFINITY;
                eProp[6] = eCur[6];
            }
            Tensor tCur = tensor(cur, chains, d);
            Tensor tECur = tensor(eCur, chains, 1);
            Tensor tProp = tensor(prop, chains, d);
            Tensor tEProp = tensor(eProp, chains, 1);
            Tensor acc = tensor(constant(chains, 0.5f), chains, 1);
            long draw = rng.drawIndex();
            sampler().metropolisSelect(tCur, tECur, tProp, tEProp, acc, rng);
            assertOneDraw(draw, rng, "metropolisSelect");
            String what = "metropolisSelect " + chains + "x" + d;
            float[] a = acc.toArray();
            float[] cur1 = tCur.toArray();
            float[] eCur1 = tECur.toArray();
            double expected = 0;
            double variance = 0;
            double accepted = 0;
            for (int r = 0; r < chains; r++) {
                float u = uniformAt(rng, draw, r);
                double ratio = Math.exp((double) eCur[r] - eProp[r]);
                boolean mustReject = Float.isNaN(eProp[r]) || eProp[r] == Float.POSITIVE_INFINITY || Double.isNaN(ratio);
                boolean want = !mustReject && u < ratio;
                boolean tie = !mustReject && ratio < 1 && Math.abs(u - ratio) <= ratio * U * (Math.abs(Math.log(ratio)) + 16);
                assertTrue(a[r] == 0f || a[r] == 1f, what + ": accepted[" + r + "] = " + a[r]);
                if (!tie) {
                    assertEquals(want ? 1f : 0f, a[r], what + ": chain " + r + " u=" + u + " ratio=" + ratio
                            + " energies " + eCur[r] + " -> " + eProp[r]);
                }
                boolean took = a[r] == 1f;
                for (int j = 0; j < d; j++) {
                    float wantX = took ? prop[r * d + j] : cur[r * d + j];
                    if (Float.compare(wantX, cur1[r * d + j]) != 0) {
                        fail(what + ": current[" + r + ", " + j + "] = " + cur1[r * d + j] + ", expected " + wantX
                                + " (accepted=" + took + ")");
                    }
                }
                assertEquals(Float.floatToRawIntBits(took ? eProp[r] : eCur[r]), Float.floatToRawIntBits(eCur1[r]),
                        what + ": currentEnergy[" + r + "] (accepted=" + took + ")");
                if (!mustReject) {
                    double pa = Math.min(1, ratio);
                    expected += pa;
                    variance += pa * (1 - pa);
                    accepted += a[r];
                }
            }
            assertSameFloats(what + " leaves proposal", prop, tProp.toArray());
            assertSameFloats(what + " leaves proposalEnergy", eProp, tEProp.toArray());
            if (chains >= 100) {
                assertWithinStandardErrors(what + " acceptances", expected, accepted, Math.sqrt(variance) + 1e-9);
            }
        }
    }
}
