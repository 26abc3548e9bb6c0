package org.ebm4j.dbm;

import static org.ebm4j.testing.Rejections.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.ebm4j.data.Binarization;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.AisEstimator;
import org.ebm4j.rbm.AisOptions;
import org.ebm4j.rbm.AisResult;
import org.ebm4j.rbm.TemperedSamples;
import org.ebm4j.tempering.ParallelTempering;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Dbm#sample} and {@link Dbm#sampleTempered} replayed draw for draw as their comments describe them:
 * the visible start drawn at the training data's base rates (one draw), then the sweeps (odd layers, then
 * even layers, one draw each; under PT one {@link ParallelTempering#step} each), then {@code p(v | h1)} of
 * the chains at {@code beta = 1}. The replay computes each layer's input on the host and draws through the
 * backend's sampler with the same stream, so its uniforms are the library's. Also the samplers' refusals.
 */
@ExtendWith(NoLeakedTensors.class)
class DbmSamplingTest {
    private static final int[] SIZES = {4, 3, 2};
    private static final float[] MEANS = {0.9f, 0.2f, 0.6f, 0.05f};
    private final Backend backend = new ReferenceBackend();

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** A model with strong weights that carries base rates (as a trained one does). */
    private Dbm model() {
        DbmParameters p = BruteForceDbm.random(SIZES, 2.0, 47);
        return Dbm.of(backend, new DbmModelFile(p, Binarization.none(), MEANS, Map.of()));
    }

    /** {@code p(v | h1)} of the rows of {@code h1} ({@code n x sizes[1]}), in double. */
    private static float[] visibleProbabilities(DbmParameters p, float[] h1, int n) {
        float[] out = new float[n * SIZES[0]];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < SIZES[0]; i++) {
                double in = p.biases().get(0)[i];
                for (int j = 0; j < SIZES[1]; j++) {
                    in += h1[r * SIZES[1] + j] * p.weight(1, i, j);
                }
                out[r * SIZES[0] + i] = (float) sigmoid(in);
            }
        }
        return out;
    }

    /** Base-rate log-odds as a {@code 1 x sizes[0]} bias. */
    private Tensor baseRates() {
        float[] a = new float[SIZES[0]];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) Math.log(MEANS[i] / (1.0 - MEANS[i]));
        }
        return backend.fromArray(a, 1, SIZES[0]);
    }

    /**
     * One sweep and three: chains driven by the same uniforms forget their start within a few sweeps, so only
     * the short run shows whether the start was drawn at the base rates.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void sampleIsTheDocumentedChainDrawForDraw(int sweeps) {
        int n = 60;
        try (Dbm dbm = model()) {
            DbmParameters p = dbm.parameters();
            RandomStream rng = StreamId.DBM_SAMPLE.open(11);
            Sampler sampler = backend.sampler();
            float[][] x = new float[SIZES.length][];
            for (int l = 0; l < SIZES.length; l++) {
                x[l] = new float[n * SIZES[l]];
            }
            try (Tensor v = backend.fromArray(x[0], n, SIZES[0]); Tensor base = baseRates()) {
                sampler.sampleSigmoidBernoulli(v, base, 1f, null, v, rng);
                x[0] = v.toArray();
            }
            for (int s = 0; s < sweeps; s++) {
                for (int l : new int[] {1, 0, 2}) {
                    try (Tensor t = backend.fromArray(input(p, x, l, n), n, SIZES[l]);
                         Tensor out = backend.allocate(n, SIZES[l])) {
                        sampler.sampleSigmoidBernoulli(t, dbm.bias(l), 1f, null, out, rng);
                        x[l] = out.toArray();
                    }
                }
            }
            float[] got = dbm.sample(n, sweeps, 11).values();
            assertArrayEquals(visibleProbabilities(p, x[1], n), got, 1e-6f);
            // The smallest call allowed.
            assertEquals(SIZES[0], dbm.sample(1, 1, 11).values().length);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void temperedSamplingIsTheDocumentedLadderRunDrawForDraw(int sweeps) {
        int n = 20;
        TemperatureLadder ladder = TemperatureLadder.geometric(0.3);
        try (Dbm dbm = model()) {
            double[] betas = ladder.betas(3);
            float[] h1 = new float[n * SIZES[1]];
            double[] rates;
            RandomStream gibbs = StreamId.DBM_SAMPLE.open(13);
            RandomStream swaps = StreamId.DBM_SAMPLE_SWAPS.open(13);
            try (TemperedDbm m = new TemperedDbm(dbm, 3 * n); ParallelTempering pt = new ParallelTempering(m, betas, n);
                 Tensor base = baseRates(); Tensor cold = backend.allocate(n, SIZES[1])) {
                backend.sampler().sampleSigmoidBernoulli(pt.layer(0), base, 1f, null, pt.layer(0), gibbs);
                for (int s = 0; s < sweeps; s++) {
                    pt.step(1, gibbs, swaps);
                }
                pt.coldRows(1, cold);
                cold.copyTo(h1, 0);
                rates = pt.swapRates();
            }
            TemperedSamples got = dbm.sampleTempered(n, sweeps, ladder, 3, 13);
            assertArrayEquals(visibleProbabilities(dbm.parameters(), h1, n), got.samples().values(), 1e-6f);
            assertArrayEquals(rates, got.swapRates());
            assertArrayEquals(betas, got.betas());
        }
    }

    /**
     * Sampling refuses empty requests, and chains whose states and probabilities (two floats a unit, 9 units
     * a chain, times the replicas) the heap cannot hold; AIS refuses runs it cannot hold.
     */
    @Test
    void samplersRefuseEmptyRequestsAndChainsBeyondTheHeap() {
        try (Dbm dbm = model()) {
            TemperatureLadder ladder = TemperatureLadder.geometric(0.5);
            assertEquals("sampling needs n >= 1 and sweeps >= 1, found n=0, sweeps=2",
                    message(() -> dbm.sampleTempered(0, 2, ladder, 3, 1)));
            assertEquals("sampling needs n >= 1 and sweeps >= 1, found n=2, sweeps=0",
                    message(() -> dbm.sampleTempered(2, 0, ladder, 3, 1)));
            long perChain = 2 * 4 * (4 + 3 + 2);
            int n = (int) Math.min(Integer.MAX_VALUE - 1, Runtime.getRuntime().maxMemory() / perChain) + 1;
            SettingException e = assertThrows(SettingException.class, () -> dbm.sample(n, 1, 1));
            assertEquals("chains", e.setting());
            assertTrue(e.getMessage().startsWith("chains: the " + n + " chains need"), e.getMessage());
            int third = n / 3 + 1;
            e = assertThrows(SettingException.class, () -> dbm.sampleTempered(third, 1, ladder, 3, 1));
            assertTrue(e.getMessage().startsWith("chains: the " + 3L * third + " chains need"), e.getMessage());
            e = assertThrows(SettingException.class, () -> dbm.estimateLogPartition(new AisOptions(Integer.MAX_VALUE,
                    3, 1)));
            assertEquals("ais_runs", e.setting());
        }
    }

    /**
     * {@link Dbm#sampleLayer} draws layer {@code l} given both neighbours: with inputs of +-40 the
     * outcome is certain, and each unit's sign here needs both the layer below and the layer above.
     */
    @Test
    void sampleLayerDrawsFromBothNeighboursInputs() {
        // W1 (2 x 2) and W2 (2 x 1): unit 0 of layer 1 gets 40 v0 - 80 h2, unit 1 gets -40 v1 + 80 h2.
        DbmParameters p = new DbmParameters(new int[] {2, 2, 1}, List.of(new float[] {40, 0, 0, -40},
                new float[] {-80, 80}), List.of(new float[2], new float[] {-20, -20}, new float[1]));
        float[][] cases = {{1, 0, 0}, {1, 1, 1}, {0, 0, 1}, {0, 1, 0}};
        try (Dbm dbm = Dbm.of(backend, p)) {
            assertEquals(Binarization.none(), dbm.binarization());
            for (float[] c : cases) {
                try (Tensor v = backend.fromArray(new float[] {c[0], c[1]}, 1, 2);
                     Tensor h1 = backend.fromArray(new float[] {0.5f, 0.5f}, 1, 2);
                     Tensor h2 = backend.fromArray(new float[] {c[2]}, 1, 1);
                     Tensor pre = backend.allocate(1, 2)) {
                    backend.fill(pre, Float.NaN);
                    dbm.sampleLayer(new Tensor[] {v, h1, h2}, 1, pre, StreamId.DBM_SAMPLE.open(3));
                    double in0 = -20 + 40 * c[0] - 80 * c[2];
                    double in1 = -20 - 40 * c[1] + 80 * c[2];
                    assertArrayEquals(new float[] {in0 > 0 ? 1 : 0, in1 > 0 ? 1 : 0}, h1.toArray(),
                            "v " + c[0] + c[1] + ", h2 " + c[2]);
                }
            }
        }
    }

    /**
     * AIS as {@link DbmAis} documents it, replayed on the host with the library's draws: the even layers
     * start from the base model (visible base rates, even hidden layers at 1/2), each temperature adds
     * {@code (beta_k - beta_{k-1}) (b_l - a_l) . x_l} for the even layers and the change of the odd layers'
     * softplus terms, then (but after the last) the odd layers are drawn at {@code beta_k} and the even ones
     * at {@code beta_k} with the biases mixed towards the base. {@code log Z} is {@code log Z_A} plus the log of
     * the runs' mean weight; float sums against double: 1e-4.
     */
    @Test
    void aisIsTheDocumentedAnnealingDrawForDraw() {
        int runs = 5;
        double[] betas = AisEstimator.betas(6);
        try (Dbm dbm = model()) {
            DbmParameters p = dbm.parameters();
            Sampler sampler = backend.sampler();
            RandomStream rng = StreamId.DBM_AIS.open(19);
            float[][] a = {new float[SIZES[0]], null, new float[SIZES[2]]};
            double logZBase = (SIZES[1] + SIZES[2]) * Math.log(2);
            for (int i = 0; i < SIZES[0]; i++) {
                a[0][i] = (float) Math.log(MEANS[i] / (1.0 - MEANS[i]));
                logZBase += Math.log1p(Math.exp(a[0][i]));
            }
            float[][] x = new float[SIZES.length][];
            for (int l = 0; l < SIZES.length; l++) {
                x[l] = new float[runs * SIZES[l]];
            }
            for (int l = 0; l < SIZES.length; l += 2) {
                x[l] = draw(sampler, new float[runs * SIZES[l]], a[l], 1f, runs, rng);
            }
            double[] logW = new double[runs];
            for (int k = 1; k < betas.length; k++) {
                double beta = (float) betas[k];
                double prev = (float) betas[k - 1];
                for (int r = 0; r < runs; r++) {
                    for (int l = 0; l < SIZES.length; l += 2) {
                        for (int i = 0; i < SIZES[l]; i++) {
                            logW[r] += (beta - prev) * (p.biases().get(l)[i] - a[l][i]) * x[l][r * SIZES[l] + i];
                        }
                    }
                    float[] in = input(p, x, 1, runs);
                    for (int j = 0; j < SIZES[1]; j++) {
                        double t = in[r * SIZES[1] + j] + p.biases().get(1)[j];
                        logW[r] += Math.log1p(Math.exp(beta * t)) - Math.log1p(Math.exp(prev * t));
                    }
                }
                if (k < betas.length - 1) {
                    x[1] = draw(sampler, input(p, x, 1, runs), p.biases().get(1), (float) beta, runs, rng);
                    for (int l = 0; l < SIZES.length; l += 2) {
                        float[] in = input(p, x, l, runs);
                        for (int q = 0; q < in.length; q++) {
                            in[q] *= (float) beta;
                        }
                        float[] mix = new float[SIZES[l]];
                        for (int i = 0; i < mix.length; i++) {
                            mix[i] = (float) (beta * p.biases().get(l)[i] + (1 - beta) * a[l][i]);
                        }
                        x[l] = draw(sampler, in, mix, 1f, runs, rng);
                    }
                }
            }
            double expected = logZBase + BruteForceDbm.logSumExp(logW) - Math.log(runs);
            AisResult got = DbmAis.estimate(dbm, MEANS, new AisOptions(runs, betas.length, 19));
            assertEquals(logZBase, got.logZBase(), 1e-5);
            assertEquals(expected, got.logZ(), 1e-4);
        }
    }

    /** {@code x_{l-1} W_l + x_{l+1} W_{l+1}'} of every run, in float as the library holds it. */
    private static float[] input(DbmParameters p, float[][] x, int l, int runs) {
        float[] in = new float[runs * SIZES[l]];
        for (int r = 0; r < runs; r++) {
            for (int j = 0; j < SIZES[l]; j++) {
                double s = 0;
                for (int i = 0; l > 0 && i < SIZES[l - 1]; i++) {
                    s += x[l - 1][r * SIZES[l - 1] + i] * p.weight(l, i, j);
                }
                for (int k = 0; l + 1 < SIZES.length && k < SIZES[l + 1]; k++) {
                    s += p.weight(l + 1, j, k) * x[l + 1][r * SIZES[l + 1] + k];
                }
                in[r * SIZES[l] + j] = (float) s;
            }
        }
        return in;
    }

    /** Binary draws {@code uniform < sigmoid(scale (pre + bias))} through the backend's sampler (one draw of {@code rng}). */
    private float[] draw(Sampler sampler, float[] pre, float[] bias, float scale, int runs, RandomStream rng) {
        int cols = bias.length;
        try (Tensor t = backend.fromArray(pre, runs, cols); Tensor b = backend.fromArray(bias, 1, cols);
             Tensor out = backend.allocate(runs, cols)) {
            sampler.sampleSigmoidBernoulli(t, b, scale, null, out, rng);
            return out.toArray();
        }
    }
}
