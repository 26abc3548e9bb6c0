package org.ebm4j.dbm;

import static org.ebm4j.testing.Rejections.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.ModelFile;
import org.ebm4j.rbm.AisOptions;
import org.ebm4j.rbm.AisResult;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.TemperedSamples;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A DBM's refusals at their boundaries, with their messages, and quantities known in closed form:
 * without weights every unit is independent, so {@code log Z} is a sum of softplus terms, AIS has
 * nothing to anneal and mean field is exact after the sweep that undoes the bottom-up doubling.
 * {@link NoLeakedTensors} fails a call that leaves a workspace open.
 */
@ExtendWith(NoLeakedTensors.class)
class DbmChecksTest {
    private final Backend backend = new ReferenceBackend();

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double softplus(double z) {
        return Math.log(1 + Math.exp(z));
    }

    /** Sizes 3-2-2 with the given first weights, second weights zero and fixed biases. */
    private static DbmParameters layered(float[] w1) {
        return new DbmParameters(new int[] {3, 2, 2}, List.of(w1, new float[4]),
                List.of(new float[] {0.5f, -1f, 2f}, new float[] {0.25f, -0.75f}, new float[] {1.5f, -0.5f}));
    }

    @Test
    void parametersRefuseMisshapenLayersAndCompareByValue() {
        assertEquals("a DBM needs a visible size and at least one hidden layer size, found none",
                message(() -> DbmParameters.zeros(null)));
        assertEquals("a DBM needs a visible size and at least one hidden layer size, found [3]",
                message(() -> DbmParameters.zeros(new int[] {3})));
        assertEquals("layer 1 must have at least 1 unit, found 0", message(() -> DbmParameters.zeros(new int[] {3, 0})));
        assertEquals("layer 0 must have at least 1 unit, found 0", message(() -> DbmParameters.zeros(new int[] {0, 2})));
        assertEquals("a DBM with layer sizes [2, 2] needs 1 weight matrices and 2 bias vectors, found 0 and 2",
                message(() -> new DbmParameters(new int[] {2, 2}, List.of(), List.of(new float[2], new float[2]))));
        assertEquals("a DBM with layer sizes [2, 2] needs 1 weight matrices and 2 bias vectors, found 1 and 1",
                message(() -> new DbmParameters(new int[] {2, 2}, List.of(new float[4]), List.of(new float[2]))));
        assertEquals("bias of layer 1 must have 2 values, found 3", message(() -> new DbmParameters(new int[] {2, 2},
                List.of(new float[4]), List.of(new float[2], new float[3]))));
        assertEquals("weights between layers 0 and 1 must have 2x3 values, found 5", message(() -> new DbmParameters(
                new int[] {2, 3}, List.of(new float[5]), List.of(new float[2], new float[3]))));

        DbmParameters one = DbmParameters.zeros(new int[] {1, 1});
        assertEquals(1, one.depth());
        assertEquals("DbmParameters[1, 1]", one.toString());
        // W_l[i, j] is entry i * sizes[l] + j of a row-major sizes[l-1] x sizes[l] matrix.
        int[] sizes = {2, 3, 2};
        DbmParameters p = new DbmParameters(sizes, List.of(new float[] {0, 1, 2, 3, 4, 5}, new float[] {6, 7, 8, 9, 10,
                11}), List.of(new float[2], new float[3], new float[2]));
        assertEquals(5f, p.weight(1, 1, 2));
        assertEquals(3f, p.weight(1, 1, 0));
        assertEquals(9f, p.weight(2, 1, 1));
        assertEquals(2, p.depth());
        sizes[1] = 7;
        assertEquals(3, p.sizes()[1], "the sizes are copied");

        DbmParameters same = new DbmParameters(new int[] {2, 3, 2}, p.weights(), p.biases());
        assertEquals(p, same);
        assertEquals(p.hashCode(), same.hashCode());
        assertNotEquals(p, "DbmParameters[2, 3, 2]");
        assertNotEquals(p, DbmParameters.zeros(new int[] {2, 3, 3}));
        for (int l = 0; l < 3; l++) {
            List<float[]> b = new ArrayList<>(p.biases());
            b.set(l, b.get(l).clone());
            b.get(l)[0] = 0.5f;
            assertNotEquals(p, new DbmParameters(p.sizes(), p.weights(), b), "bias " + l);
        }
        for (int l = 0; l < 2; l++) {
            List<float[]> w = new ArrayList<>(p.weights());
            w.set(l, w.get(l).clone());
            w.get(l)[5] = -1f;
            assertNotEquals(p, new DbmParameters(p.sizes(), w, p.biases()), "weights " + (l + 1));
        }
    }

    @Test
    void layerScalesDoubleTheInputThatStandsInForAMissingNeighbour() {
        LayerScales u = LayerScales.uniform(3);
        assertArrayEquals(new float[] {1, 1, 1}, u.up());
        assertArrayEquals(new float[] {1, 1, 1}, u.down());
        // Bottom RBM of a two-layer DBM: the hidden layer also hears layer 2 in the DBM, so its input is doubled.
        assertScales(LayerScales.pretraining(1, 2), 1, 2, 1, 1);
        // Top RBM: its lower layer is a hidden layer that also hears from below.
        assertScales(LayerScales.pretraining(2, 2), 1, 1, 2, 1);
        // Middle RBM of three: both doubled.
        assertScales(LayerScales.pretraining(2, 3), 1, 2, 2, 1);
        assertScales(LayerScales.pretraining(1, 3), 1, 2, 1, 1);
        assertScales(LayerScales.pretraining(3, 3), 1, 1, 2, 1);
    }

    private static void assertScales(LayerScales s, float up0, float up1, float down0, float down1) {
        assertArrayEquals(new float[] {up0, up1}, s.up(), "up");
        assertArrayEquals(new float[] {down0, down1}, s.down(), "down");
    }

    @Test
    void meanFieldSettingsAreCheckedAtTheirBounds() {
        assertEquals(new MeanField(1e-4, 50, 0.0), MeanField.precise());
        assertEquals(0.0, new MeanField(0, 1, 0).tolerance());
        assertEquals(0.999, new MeanField(0, 1, 0.999).damping());
        assertTrue(message(() -> new MeanField(-1e-9, 1, 0)).startsWith("mf_tolerance: "));
        assertTrue(message(() -> new MeanField(0, 0, 0)).startsWith("mf_iterations: "));
        assertTrue(message(() -> new MeanField(0, 1, 1)).startsWith("mf_damping: "));
        assertTrue(message(() -> new MeanField(0, 1, -0.1)).startsWith("mf_damping: "));
    }

    @Test
    void aModelRefusesLayersAndShapesItDoesNotHave() {
        DbmParameters p = layered(new float[6]);
        try (Dbm dbm = Dbm.of(backend, p); Tensor pre = backend.allocate(1, 2)) {
            assertEquals("Dbm[3, 2, 2] on reference", dbm.toString());
            assertEquals(2, dbm.depth());
            assertEquals("weights connect layers 1..2 to the layer below, found 0", message(() -> dbm.weights(0)));
            assertEquals("weights connect layers 1..2 to the layer below, found 3", message(() -> dbm.weights(3)));
            assertEquals(2, dbm.weights(2).cols());
            Tensor[] two = {dbm.bias(0), dbm.bias(1)};
            assertEquals("expected the states of 3 layers, found 2", message(() -> dbm.layerInput(two, 1, pre)));
            Tensor[] x = {dbm.bias(0), dbm.bias(1), dbm.bias(2)};
            assertEquals("layer must be in 0..2, found 3", message(() -> dbm.layerInput(x, 3, pre)));
            assertEquals("layer must be in 0..2, found -1", message(() -> dbm.layerInput(x, -1, pre)));
            Dataset rows = Dataset.of("rows", 2, 3, new float[] {1, 0, 1, 0, 1, 1});
            assertEquals("feature layer must be in 1..2, found 0", message(() -> dbm.features(rows, 0,
                    MeanField.precise())));
            assertEquals("feature layer must be in 1..2, found 3", message(() -> dbm.features(rows, 3,
                    MeanField.precise())));
            assertEquals("sampling needs n >= 1 and sweeps >= 1, found n=0, sweeps=1", message(() -> dbm.sample(0, 1,
                    1)));
            assertEquals("sampling needs n >= 1 and sweeps >= 1, found n=1, sweeps=0", message(() -> dbm.sample(1, 0,
                    1)));
            assertEquals("parameters of sizes [3, 2] do not fit a DBM of sizes [3, 2, 2]", message(
                    () -> dbm.setParameters(DbmParameters.zeros(new int[] {3, 2}))));
            assertEquals("parameters of sizes [3, 2, 3] do not fit a DBM of sizes [3, 2, 2]", message(
                    () -> dbm.setParameters(DbmParameters.zeros(new int[] {3, 2, 3}))));
            Dataset wide = Dataset.of("wide", 1, 4, new float[4]);
            assertEquals("wide has 4 columns but the DBM has 3 visible units", message(() -> dbm.transform(wide)));
            assertEquals("AIS base rates need 3 visible means, found 2", message(
                    () -> DbmAis.estimate(dbm, new float[2], new AisOptions(2, 3, 1))));
        }
        assertEquals("visible means must have 3 values, found 2", message(() -> new DbmModelFile(p,
                Binarization.none(), new float[2], Map.of())));
    }

    /**
     * With {@code W = 0} every unit is independent: {@code log Z = sum softplus(b)} over all units; with
     * {@code W2 = 0} the hidden layers given {@code v} are too: {@code log p(v) = b0 . v + sum_j
     * softplus(b1_j + (v W1)_j) + sum_k softplus(b2_k) - log Z}.
     */
    @Test
    void exactValuesOfIndependentLayersAreSumsOfSoftplusTerms() {
        float[] w1 = {0.5f, -1f, 0.25f, 2f, -0.5f, 1f};
        DbmParameters p = layered(w1);
        float[][] b = {p.biases().get(0), p.biases().get(1), p.biases().get(2)};
        // log Z with W2 = 0: the visible and first hidden layers form an RBM, the top layer is independent.
        double rbmZ = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < 8; m++) {
            double t = 0;
            for (int i = 0; i < 3; i++) {
                t += ((m >> i) & 1) * b[0][i];
            }
            for (int j = 0; j < 2; j++) {
                double in = b[1][j];
                for (int i = 0; i < 3; i++) {
                    in += ((m >> i) & 1) * w1[i * 2 + j];
                }
                t += softplus(in);
            }
            rbmZ = rbmZ == Double.NEGATIVE_INFINITY ? t : Math.max(rbmZ, t) + Math.log1p(Math.exp(-Math.abs(rbmZ - t)));
        }
        double logZ = rbmZ + softplus(b[2][0]) + softplus(b[2][1]);
        assertEquals(logZ, DbmExact.logPartition(p), 1e-12);
        float[] v = {1, 0, 1, 0, 1, 1};
        double[] expected = new double[2];
        for (int r = 0; r < 2; r++) {
            double t = 0;
            for (int i = 0; i < 3; i++) {
                t += v[r * 3 + i] * b[0][i];
            }
            for (int j = 0; j < 2; j++) {
                double in = b[1][j];
                for (int i = 0; i < 3; i++) {
                    in += v[r * 3 + i] * w1[i * 2 + j];
                }
                t += softplus(in);
            }
            expected[r] = t + softplus(b[2][0]) + softplus(b[2][1]) - logZ;
        }
        assertArrayEquals(expected, DbmExact.logLikelihoods(p, v, 2), 1e-12);
        assertEquals((expected[0] + expected[1]) / 2, DbmExact.meanLogLikelihood(p, v, 2), 1e-12);
        try (Dbm dbm = Dbm.of(backend, p)) {
            assertEquals(logZ, dbm.exactLogPartition(), 1e-12);
            assertEquals((expected[0] + expected[1]) / 2, dbm.exactLogLikelihood(Dataset.of("v", 2, 3, v)), 1e-12);
        }
        // The visible layer's total input has no layer below: b0 + W1 x1.
        double[][] x = {new double[3], {1, 0}, new double[2]};
        double[] visibleInput = DbmExact.input(p, x, 0);
        for (int i = 0; i < 3; i++) {
            assertEquals(b[0][i] + w1[i * 2], visibleInput[i], 1e-12, "visible input " + i);
        }
        assertEquals("expected 2 rows of 3 values, found 5 values", message(() -> DbmExact.logLikelihoods(p,
                new float[5], 2)));
        assertEquals(Math.log(2), DbmExact.softplus(0), 1e-15);
        assertEquals(30 + Math.exp(-30), DbmExact.softplus(30), 1e-15);
        assertEquals(Math.exp(-30), DbmExact.softplus(-30), 1e-25);
        assertEquals(Math.log1p(Math.E), DbmExact.softplus(1), 1e-15);
    }

    /** Enumeration stops at 24 even units ({@code 2^24} configurations), counting the layers 0, 2, ... */
    @Test
    void enumerationIsFeasibleUpToTwentyFourEvenUnits() {
        assertTrue(DbmExact.feasible(DbmParameters.zeros(new int[] {24, 30})));
        assertFalse(DbmExact.feasible(DbmParameters.zeros(new int[] {25, 1})));
        assertTrue(DbmExact.feasible(DbmParameters.zeros(new int[] {20, 30, 4})));
        assertFalse(DbmExact.feasible(DbmParameters.zeros(new int[] {20, 1, 5})));
        assertFalse(DbmExact.feasible(DbmParameters.zeros(new int[] {20, 1, 2, 1, 3})));
        assertEquals("exact log Z enumerates the even layers' 25 units; at most 24 are feasible (use AIS)",
                message(() -> DbmExact.logPartition(DbmParameters.zeros(new int[] {20, 1, 5}))));
        assertEquals("exact log p(v) enumerates the even hidden layers' 25 units; at most 24 are feasible",
                message(() -> DbmExact.logLikelihoods(DbmParameters.zeros(new int[] {1, 1, 25}), new float[1], 1)));
    }

    /**
     * With no weights, visible biases the log-odds of the base rates and zero biases on the even hidden
     * layers, the AIS base model is the DBM's even marginal, and the odd layers' softplus terms telescope
     * to {@code softplus(b_odd) - log 2}: every run has that same log-weight, so {@code log Z} is exact
     * and the interval has width 0 (up to float rounding of the per-temperature sums).
     */
    @Test
    void aisIsExactWhenTheBaseModelIsTheModel() {
        float[] means = {0.25f, 0.6f, 0.8f, 0.5f, 0.1f};
        float[] b0 = new float[means.length];
        double expected = 0;
        for (int i = 0; i < means.length; i++) {
            b0[i] = (float) Math.log(means[i] / (1.0 - means[i]));
            expected += softplus(b0[i]);
        }
        float[] b1 = {0.7f, -1.2f, 2.5f, 0f};
        float[] b3 = {-0.3f, 1.1f};
        for (float x : b1) {
            expected += softplus(x);
        }
        for (float x : b3) {
            expected += softplus(x);
        }
        expected += 3 * Math.log(2);
        int[] sizes = {5, 4, 3, 2};
        DbmParameters p = new DbmParameters(sizes, List.of(new float[20], new float[12], new float[6]),
                List.of(b0, b1, new float[3], b3));
        try (Dbm dbm = Dbm.of(backend, p)) {
            // 200 temperatures: more than the 64 between host flushes, and not a multiple of them.
            AisResult r = DbmAis.estimate(dbm, means, new AisOptions(7, 200, 3));
            assertEquals(expected, r.logZ(), 1e-4);
            assertEquals(9 * Math.log(2), r.logZBase() - sumSoftplus(b0), 1e-5, "base: 9 hidden units of log 2 each");
            assertEquals(0, r.logZHigh() - r.logZLow(), 1e-4);
            assertEquals(7, r.runs());
            assertEquals(200, r.betas());
        }
        // Without base rates the visible base is uniform: log Z_A counts every unit at log 2.
        try (Dbm dbm = Dbm.of(backend, DbmParameters.zeros(sizes))) {
            AisResult r = DbmAis.estimate(dbm, null, new AisOptions(3, 10, 3));
            assertEquals(14 * Math.log(2), r.logZBase(), 1e-9);
            assertEquals(14 * Math.log(2), r.logZ(), 1e-5);
        }
    }

    private static double sumSoftplus(float[] a) {
        double s = 0;
        for (float x : a) {
            s += softplus(x);
        }
        return s;
    }

    /**
     * With {@code W2 = 0} mean field's bottom-up pass gives {@code mu1 = sigmoid(b1 + 2 v W1)} (the doubled
     * input) and {@code mu2 = sigmoid(b2)}; the first sweep sets {@code mu1 = sigmoid(b1 + v W1)}, exact, so
     * its RMS change over the rows' four hidden units is known, and the second sweep changes nothing.
     * With damping {@code d} the first sweep moves only {@code 1 - d} of the way.
     */
    @Test
    void meanFieldCountsItsSweepsAndTheirRootMeanSquareChange() {
        float[] w1 = {0.5f, -1f, 0.25f, 2f, -0.5f, 1f};
        DbmParameters p = layered(w1);
        float[] v = {1, 0, 1, 0, 1, 1};
        double[][] bottomUp = new double[2][2];
        double[][] exact = new double[2][2];
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < 2; j++) {
                double in = 0;
                for (int i = 0; i < 3; i++) {
                    in += v[r * 3 + i] * w1[i * 2 + j];
                }
                bottomUp[r][j] = sigmoid(p.biases().get(1)[j] + 2 * in);
                exact[r][j] = sigmoid(p.biases().get(1)[j] + in);
            }
        }
        for (double damping : new double[] {0, 0.25}) {
            try (Dbm dbm = Dbm.of(backend, p); Tensor t = backend.fromArray(v, 2, 3);
                 MeanFieldPass pass = new MeanFieldPass(dbm, LayerScales.uniform(3), 2)) {
                assertEquals(2, pass.rows());
                assertEquals(1, pass.run(t, new MeanField(0, 1, damping)));
                double squares = 0;
                float[] mu1 = pass.mu[1].toArray();
                for (int r = 0; r < 2; r++) {
                    for (int j = 0; j < 2; j++) {
                        double moved = (1 - damping) * exact[r][j] + damping * bottomUp[r][j];
                        assertEquals(moved, mu1[r * 2 + j], 1e-6, "row " + r + " unit " + j);
                        squares += Math.pow(moved - bottomUp[r][j], 2);
                    }
                }
                // Eight hidden posteriors in all (two rows of 2 + 2 units); those of layer 2 do not move.
                assertEquals(Math.sqrt(squares / 8), pass.change(), 1e-6);
                assertEquals(1, pass.iterations());
                float[] mu2 = pass.mu[2].toArray();
                for (int k = 0; k < 4; k++) {
                    assertEquals(sigmoid(p.biases().get(2)[k % 2]), mu2[k], 1e-6);
                }
                if (damping == 0) {
                    // From the exact posterior a sweep changes nothing (bit for bit: the same float inputs).
                    assertEquals(2, pass.run(t, new MeanField(0, 10, 0)));
                    assertEquals(0, pass.change());
                    // A tolerance above the first change stops after that sweep.
                    assertEquals(1, pass.run(t, new MeanField(Math.sqrt(squares / 8) * 1.01, 10, 0)));
                }
            }
        }
    }

    /**
     * Mean field as documented, in double: a bottom-up pass {@code mu_l = sigmoid(b_l + f mu_{l-1} W_l)} with
     * {@code f = 2} below the top layer, then sweeps that update the odd layers, then the even ones, each to
     * {@code (1 - d) sigmoid(b_l + mu_{l-1} W_l + mu_{l+1} W_{l+1}') + d mu_l}; here on a 5-4-3-2 DBM with
     * strong weights, so every layer's update depends on both neighbours, and the library's posteriors after
     * one and after two sweeps must match (float against double: 1e-5).
     */
    @Test
    void meanFieldSweepsOddLayersThenEvenOnesFromTheDoubledBottomUpPass() {
        int[] sizes = {5, 4, 3, 2};
        DbmParameters p = BruteForceDbm.random(sizes, 1.5, 41);
        float[] v = {1, 0, 1, 1, 0, 0, 1, 0, 0, 1};
        int rows = 2;
        double damping = 0.3;
        for (int sweeps = 1; sweeps <= 2; sweeps++) {
            try (Dbm dbm = Dbm.of(backend, p); Tensor t = backend.fromArray(v, rows, sizes[0]);
                 MeanFieldPass pass = new MeanFieldPass(dbm, LayerScales.uniform(sizes.length), rows)) {
                assertEquals(sweeps, pass.run(t, new MeanField(0, sweeps, damping)));
                for (int r = 0; r < rows; r++) {
                    double[][] mu = new double[sizes.length][];
                    mu[0] = new double[sizes[0]];
                    for (int i = 0; i < sizes[0]; i++) {
                        mu[0][i] = v[r * sizes[0] + i];
                    }
                    for (int l = 1; l < sizes.length; l++) {
                        mu[l] = new double[sizes[l]];
                        double f = l < sizes.length - 1 ? 2 : 1;
                        for (int j = 0; j < sizes[l]; j++) {
                            double in = p.biases().get(l)[j];
                            for (int i = 0; i < sizes[l - 1]; i++) {
                                in += f * mu[l - 1][i] * p.weight(l, i, j);
                            }
                            mu[l][j] = sigmoid(in);
                        }
                    }
                    for (int s = 0; s < sweeps; s++) {
                        for (int l : new int[] {1, 3, 2}) {
                            double[] next = new double[sizes[l]];
                            for (int j = 0; j < sizes[l]; j++) {
                                double in = p.biases().get(l)[j];
                                for (int i = 0; i < sizes[l - 1]; i++) {
                                    in += mu[l - 1][i] * p.weight(l, i, j);
                                }
                                for (int k = 0; l + 1 < sizes.length && k < sizes[l + 1]; k++) {
                                    in += p.weight(l + 1, j, k) * mu[l + 1][k];
                                }
                                next[j] = (1 - damping) * sigmoid(in) + damping * mu[l][j];
                            }
                            mu[l] = next;
                        }
                    }
                    for (int l = 1; l < sizes.length; l++) {
                        float[] got = pass.mu[l].toArray();
                        for (int j = 0; j < sizes[l]; j++) {
                            assertEquals(mu[l][j], got[r * sizes[l] + j], 1e-5, sweeps + " sweeps, row " + r + " layer "
                                    + l + " unit " + j);
                        }
                    }
                }
            }
        }
    }

    @Test
    void optionsRefuseWhatADbmCannotTrainWith() {
        SettingException e = assertThrows(SettingException.class, () -> DbmOptions.builder().method(TrainingMethod.CD)
                .build());
        assertEquals("method: a DBM's negative phase runs persistent chains: method must be pcd or pt, found cd",
                e.getMessage());
        assertEquals("hidden: must hold 2 or 3 layer sizes, found 1 [5]", message(() -> DbmOptions.builder().hidden(5)
                .build()));
        assertEquals("hidden: must hold 2 or 3 layer sizes, found 4 [1, 1, 1, 1]", message(() -> DbmOptions.builder()
                .hidden(1, 1, 1, 1).build()));
        assertEquals(2, DbmOptions.builder().hidden(1, 1).build().depth());
        assertEquals(3, DbmOptions.builder().hidden(1, 1, 1).build().depth());
        e = assertThrows(SettingException.class, () -> DbmOptions.builder().method(TrainingMethod.PT).replicas(4)
                .betas(TemperatureLadder.of(1, 0.5, 0.25)).build());
        assertEquals("betas", e.setting());
        DbmOptions pt = DbmOptions.builder().method(TrainingMethod.PT).replicas(3).betas(TemperatureLadder.of(1, 0.5,
                0.25)).schedule(LearningRateSchedule.parse("exp:0.9")).build();
        assertArrayEquals(new double[] {1, 0.5, 0.25}, pt.temperatures());
        assertEquals(LearningRateSchedule.parse("exp:0.9"), pt.schedule());
        assertEquals(LearningRateSchedule.constant(), DbmOptions.builder().build().schedule());
        // The record itself checks every field, not only its builder.
        DbmOptions o = DbmOptions.builder().build();
        e = assertThrows(SettingException.class, () -> new DbmOptions(o.hidden(), o.binarization(), o.pretrainEpochs(),
                o.pretrainLearningRate(), o.epochs(), o.learningRate(), o.schedule(), 1.0, o.weightDecay(),
                o.batchSize(), o.chains(), o.k(), o.method(), o.replicas(), o.betas(), o.centering(), o.mfTolerance(),
                o.mfIterations(), o.mfDamping(), o.seed(), o.initWeightStd(), o.metricsEvery(), o.holdout(),
                o.optimizer(), o.patience(), o.maxRollbacks()));
        assertEquals("momentum", e.setting());
    }

    /**
     * The negative phase holds {@code chains} rows, times the replicas under PT; the memory check counts
     * those and the batch's rows, each two float arrays over all units (6 + 4 + 3 here, 104 bytes a row):
     * at the largest chain count the heap holds with the batch left out, adding the batch is refused.
     */
    @Test
    void theChainsAndTheBatchMustFitTheHeap() {
        DbmOptions.Builder b = DbmOptions.builder().hidden(4, 3).batchSize(1000);
        assertEquals(7, b.chains(7).build().chainRows());
        assertEquals(28, b.chains(7).method(TrainingMethod.PT).replicas(4).build().chainRows());
        long perRow = 2 * 4 * (6 + 4 + 3);
        int fits = (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / perRow);
        DbmOptions pcd = b.method(TrainingMethod.PCD).chains(fits - 1000).build();
        pcd.requireMemory(6);
        DbmOptions over = b.chains(fits).build();
        SettingException e = assertThrows(SettingException.class, () -> over.requireMemory(6));
        assertEquals("chains", e.setting());
        assertTrue(e.getMessage().startsWith("chains: the " + fits + " chains and the batch's mean-field states need"),
                e.getMessage());
        int quarter = fits / 4;
        e = assertThrows(SettingException.class, () -> b.chains(quarter).method(TrainingMethod.PT).replicas(4).build()
                .requireMemory(6));
        assertTrue(e.getMessage().startsWith("chains: the " + 4L * quarter + " chains"), e.getMessage());
    }

    @Test
    void centeringNeedsOneOffsetVectorOfTheRightSizePerLayer() {
        DbmParameters p = layered(new float[6]);
        assertEquals("centering needs one offset vector per layer, 3 of them, found none",
                message(() -> DbmCenteredParameters.of(p, null)));
        assertEquals("centering needs one offset vector per layer, 3 of them, found 2",
                message(() -> DbmCenteredParameters.of(p, List.of(new float[3], new float[2]))));
        assertEquals("centering offset of layer 2 must have 2 values, found 3",
                message(() -> DbmCenteredParameters.of(p, List.of(new float[3], new float[2], new float[3]))));
        float[] top = {0.25f, 0.75f};
        DbmCenteredParameters c = DbmCenteredParameters.of(p, List.of(new float[3], new float[2], top));
        top[0] = 9;
        c.offsets().get(2)[1] = 9;
        assertArrayEquals(new float[] {0.25f, 0.75f}, c.offsets().get(2), "offsets are copied in and out");
    }

    /**
     * Both samplers return {@code p(v | h1) = sigmoid(b0 + h1 W1')} of their final chains: every row is that
     * of one of the 8 binary states of the 3 first-layer units (found by enumeration), and with these strong
     * weights the chains end in more than one of them.
     */
    @Test
    void samplesAreVisibleProbabilitiesGivenABinaryFirstHiddenLayer() {
        int[] sizes = {4, 3, 2};
        DbmParameters p = BruteForceDbm.random(sizes, 2.0, 43);
        try (Dbm dbm = Dbm.of(backend, p)) {
            TemperedSamples tempered = dbm.sampleTempered(30, 4, TemperatureLadder.geometric(0.25), 3, 5);
            assertArrayEquals(new double[] {1, 0.5, 0.25}, tempered.betas(), 1e-12);
            assertEquals(2, tempered.swapRates().length);
            for (Dataset d : List.of(dbm.sample(30, 4, 5), tempered.samples())) {
                assertEquals(30, d.rows());
                assertEquals(4, d.cols());
                float[] x = d.values();
                Set<Integer> states = new HashSet<>();
                for (int r = 0; r < 30; r++) {
                    int found = -1;
                    for (int h = 0; h < 8 && found < 0; h++) {
                        boolean all = true;
                        for (int i = 0; i < 4; i++) {
                            double in = p.biases().get(0)[i];
                            for (int j = 0; j < 3; j++) {
                                in += ((h >> j) & 1) * p.weight(1, i, j);
                            }
                            all &= Math.abs(sigmoid(in) - x[r * 4 + i]) < 1e-6;
                        }
                        found = all ? h : -1;
                    }
                    assertTrue(found >= 0, d.name() + " row " + r + " is p(v | h1) of no binary h1");
                    states.add(found);
                }
                assertTrue(states.size() > 1, d.name() + ": the chains all ended in h1 = " + states);
            }
        }
    }

    /**
     * Without weights the bound is exact: {@code b . mu + H(mu) = softplus(b)} at {@code mu = sigmoid(b)}, also
     * for units saturated at exactly 0 or 1 in float, whose entropy terms {@code 0 log 0} count as 0.
     */
    @Test
    void theBoundOfIndependentUnitsIsExactEvenWhenTheyAreSaturated() {
        DbmParameters p = new DbmParameters(new int[] {2, 3, 2}, List.of(new float[6], new float[6]),
                List.of(new float[] {0.5f, -1f}, new float[] {200f, -200f, 0.75f}, new float[] {-300f, 1.5f}));
        double hidden = 200 + softplus(0.75) + softplus(1.5);
        double logZ = softplus(0.5) + softplus(-1) + hidden;
        float[] v = {1, 0, 1, 1};
        try (Dbm dbm = Dbm.of(backend, p)) {
            double bound = dbm.variationalBound(Dataset.of("v", 2, 2, v), logZ, MeanField.precise());
            double expected = (0.5 + 0.5 - 1) / 2 + hidden - logZ;
            assertEquals(expected, bound, 1e-5);
        }
    }

    /**
     * Data are inferred in batches of {@link Dbm#BATCH} rows: 2,500 rows take two full batches and a last
     * one of 500, 1,000 rows one batch and no empty one after it, and each row's features land in its own
     * place. With {@code W2 = 0} the first layer's posterior is {@code sigmoid(b1 + v W1)} and the second's
     * {@code sigmoid(b2)}, row by row.
     */
    @ParameterizedTest
    @ValueSource(ints = {2 * Dbm.BATCH + 500, Dbm.BATCH})
    void featuresOfManyRowsAreInferredBatchByBatchIntoTheirRows(int n) {
        float[] w1 = {0.5f, -1f, 0.25f, 2f, -0.5f, 1f};
        DbmParameters p = layered(w1);
        float[] v = new float[n * 3];
        for (int r = 0; r < n; r++) {
            int pattern = (r * 5 + r / 7) % 8;
            for (int i = 0; i < 3; i++) {
                v[r * 3 + i] = (pattern >> i) & 1;
            }
        }
        try (Dbm dbm = Dbm.of(backend, p)) {
            Dataset d = Dataset.of("many", n, 3, v);
            float[] h1 = dbm.features(d, 1, MeanField.precise());
            float[] h2 = dbm.features(d, 2, MeanField.precise());
            assertEquals(2 * n, h1.length);
            assertEquals(2 * n, h2.length);
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < 2; j++) {
                    double in = p.biases().get(1)[j];
                    for (int i = 0; i < 3; i++) {
                        in += v[r * 3 + i] * w1[i * 2 + j];
                    }
                    assertEquals(sigmoid(in), h1[r * 2 + j], 1e-6, "row " + r + " unit " + j);
                    assertEquals(sigmoid(p.biases().get(2)[j]), h2[r * 2 + j], 1e-6, "row " + r + " top unit " + j);
                }
            }
        }
    }

    /** A model file keeps every part of the model: sizes, binarization, base rates, centering offsets, metadata. */
    @Test
    void aModelFileReadsBackEveryPart() throws Exception {
        DbmParameters p = BruteForceDbm.random(new int[] {3, 2, 2}, 1.0, 53);
        List<float[]> offsets = List.of(new float[] {0.1f, 0.2f, 0.3f}, new float[] {0.4f, 0.5f},
                new float[] {0.6f, 0.7f});
        float[] means = {0.25f, 0.5f, 0.75f};
        DbmModelFile file = new DbmModelFile(p, Binarization.fixed(0.3f), means, Map.of("note", "kept"), offsets);
        ModelFile f = file.toModelFile();
        assertEquals("3,2,2", f.metadata().get("dbm.sizes"));
        DbmModelFile back = DbmModelFile.from(f, "src");
        assertEquals(p, back.parameters());
        assertEquals(Binarization.fixed(0.3f), back.binarization());
        assertArrayEquals(means, back.visibleMeans());
        assertEquals("kept", back.metadata().get("note"));
        for (int l = 0; l < 3; l++) {
            assertArrayEquals(offsets.get(l), back.centering().get(l), "offset " + l);
        }
        assertEquals(Binarization.none(), new DbmModelFile(p, null, null, Map.of()).binarization());
        DbmModelFile plain = DbmModelFile.from(new DbmModelFile(p, null, null, Map.of()).toModelFile(), "src");
        assertEquals(null, plain.visibleMeans());
        assertEquals(null, plain.centering());
        f.putMetadata("dbm.sizes", " 3, 2 ,2 ");
        assertEquals(p, DbmModelFile.from(f, "src").parameters());
    }

    /** A model that binarizes its data scores graded rows as the 0/1 rows they binarize to. */
    @Test
    void aModelBinarizesTheDataItIsGiven() {
        DbmParameters p = BruteForceDbm.random(new int[] {3, 2, 2}, 1.0, 59);
        float[] binary = {1, 0, 1, 0, 0, 1};
        float[] graded = {0.9f, 0.1f, 0.6f, 0.4f, 0.2f, 0.7f};
        try (Dbm dbm = Dbm.of(backend, new DbmModelFile(p, Binarization.fixed(0.5f), null, Map.of()))) {
            assertEquals(Binarization.fixed(0.5f), dbm.binarization());
            assertArrayEquals(binary, dbm.transform(Dataset.of("graded", 2, 3, graded)).values());
            assertEquals(DbmExact.meanLogLikelihood(p, binary, 2), dbm.exactLogLikelihood(Dataset.of("graded", 2, 3,
                    graded)), 1e-12);
        }
    }
}
