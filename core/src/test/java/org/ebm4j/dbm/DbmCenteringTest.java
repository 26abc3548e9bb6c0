package org.ebm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.RbmTrainer;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The centered form of a DBM: its conversion by enumeration, its gradient step by hand, its model file. */
class DbmCenteringTest {
    private static final int[] SIZES = {4, 3, 2};

    private static List<float[]> randomOffsets(int[] sizes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> offsets = new ArrayList<>();
        for (int size : sizes) {
            float[] mu = new float[size];
            for (int j = 0; j < size; j++) {
                mu[j] = (float) r.nextDouble();
            }
            offsets.add(mu);
        }
        return offsets;
    }

    /** {@code E(x) = -sum_l b'_l . (x_l - mu_l) - sum_l (x_{l-1} - mu_{l-1})' W_l (x_l - mu_l)}, straight from its definition. */
    private static double centeredEnergy(DbmParameters c, List<float[]> mu, double[][] x) {
        int[] sizes = c.sizes();
        double e = 0;
        for (int l = 0; l < sizes.length; l++) {
            for (int j = 0; j < sizes[l]; j++) {
                double xj = x[l][j] - mu.get(l)[j];
                e -= c.biases().get(l)[j] * xj;
                for (int i = 0; l > 0 && i < sizes[l - 1]; i++) {
                    e -= (x[l - 1][i] - mu.get(l - 1)[i]) * c.weight(l, i, j) * xj;
                }
            }
        }
        return e;
    }

    /**
     * On every configuration of a 6-4-3 and a 5-4-3-2 DBM, the centered energy equals the converted
     * model's energy plus one constant, {@link DbmCenteredParameters#energyShift()}; so the free energies
     * (odd layers summed out) differ by that constant too, and every probability is the same.
     */
    @Test
    void centeredAndConvertedModelsGiveTheSameEnergiesAndFreeEnergiesOnEveryConfiguration() {
        for (int[] sizes : new int[][] {{6, 4, 3}, {5, 4, 3, 2}}) {
            DbmParameters c = BruteForceDbm.random(sizes, 1.5, 61);
            List<float[]> mu = randomOffsets(sizes, 67);
            DbmCenteredParameters centered = new DbmCenteredParameters(c, mu);
            DbmParameters plain = centered.uncentered();
            BruteForceDbm bf = new BruteForceDbm(plain);
            double shift = centered.energyShift();
            // Centered free energy of each even configuration: odd layers summed out by brute force.
            Map<Long, Double> centeredFree = new HashMap<>();
            for (long m = 0; m < 1L << bf.units; m++) {
                double[][] x = bf.state(m);
                double ec = centeredEnergy(c, mu, x);
                assertEquals(bf.energy(x) + shift, ec, 1e-4, "state " + m);
                centeredFree.merge(evenKey(x), Math.exp(-ec), Double::sum);
            }
            for (long m = 0; m < 1L << bf.units; m++) {
                double[][] x = bf.state(m);
                if (!allOddZero(x)) {
                    continue;
                }
                double libraryLogUnnormalized = DbmExact.logUnnormalizedEvens(plain, x);
                assertEquals(libraryLogUnnormalized - shift, Math.log(centeredFree.get(evenKey(x))), 1e-4,
                        "free energy of even configuration " + m);
            }
            // Converting back recovers the centered biases.
            DbmParameters again = DbmCenteredParameters.of(plain, mu).centered();
            for (int l = 0; l < sizes.length; l++) {
                assertArrayEquals(c.biases().get(l), again.biases().get(l), 1e-5f, "bias " + l);
            }
        }
    }

    private static long evenKey(double[][] x) {
        long key = 0;
        int bit = 0;
        for (int l = 0; l < x.length; l += 2) {
            for (double v : x[l]) {
                key |= (v > 0.5 ? 1L : 0L) << bit++;
            }
        }
        return key;
    }

    private static boolean allOddZero(double[][] x) {
        for (int l = 1; l < x.length; l += 2) {
            for (double v : x[l]) {
                if (v != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double[] columnMeans(float[] x, int rows, int cols) {
        double[] m = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                m[j] += x[r * cols + j] / (double) rows;
            }
        }
        return m;
    }

    /**
     * One centered update derived by hand from the states the trainer used (the batch's mean-field
     * posteriors and the chains after their sweep): offsets move to
     * {@code (1 - nu) mu + nu (mean(data) + mean(model)) / 2}; in the centered parameters at those
     * offsets, {@code W += lr (<(a - mu)'(b - mu)>_data - <...>_model)} and {@code b' += lr (mean(data) -
     * mean(model))}; converted back, that must be the ordinary model the trainer holds.
     */
    @Test
    void oneCenteredStepEqualsTheHandDerivedCenteredGradientStep() {
        DbmParameters start = BruteForceDbm.random(SIZES, 1.0, 71);
        int rows = 5;
        int chains = 6;
        float lr = 0.3f;
        SplittableRandom r = new SplittableRandom(73);
        float[] v = new float[rows * SIZES[0]];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(2);
        }
        DbmOptions o = DbmOptions.builder().hidden(SIZES[1], SIZES[2]).chains(chains).batchSize(rows).momentum(0)
                .weightDecay(0).centering(true).build();
        DbmTrainer.Stage stage = new DbmTrainer.Stage(DbmTrainer.JOINT, 1, e -> lr, LayerScales.uniform(SIZES.length),
                StreamId.DBM_SAMPLING, StreamId.DBM_SHUFFLE, StreamId.DBM_CHAIN_INIT, 79);
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, start);
             Tensor data = b.fromArray(v, rows, SIZES[0]);
             DbmTrainer trainer = new DbmTrainer(dbm, o, stage, data);
             MeanFieldPass pass = trainer.newPass(rows)) {
            List<float[]> before = trainer.centeringOffsets();
            assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, before.get(1));
            Tensor[] centered = trainer.newCenteredStates(rows);
            trainer.gradient(data, pass, centered);
            trainer.update(lr);
            Tensor.closeAll(centered);
            double nu = RbmTrainer.CENTERING_RATE;
            double[][] a = new double[SIZES.length][];
            double[][] x = new double[SIZES.length][];
            float[][] dataStates = new float[SIZES.length][];
            float[][] modelStates = new float[SIZES.length][];
            List<float[]> mu = new ArrayList<>();
            for (int l = 0; l < SIZES.length; l++) {
                dataStates[l] = l == 0 ? v : pass.mu[l].toArray();
                modelStates[l] = trainer.chainStates(l).toArray();
                a[l] = columnMeans(dataStates[l], rows, SIZES[l]);
                x[l] = columnMeans(modelStates[l], chains, SIZES[l]);
                float[] m = new float[SIZES[l]];
                for (int j = 0; j < m.length; j++) {
                    m[j] = (float) ((1 - nu) * before.get(l)[j] + nu * (a[l][j] + x[l][j]) / 2);
                }
                mu.add(m);
            }
            List<float[]> after = trainer.centeringOffsets();
            for (int l = 0; l < SIZES.length; l++) {
                assertArrayEquals(mu.get(l), after.get(l), 1e-6f, "offset " + l);
            }
            DbmParameters c = DbmCenteredParameters.of(start, mu).centered();
            List<float[]> w = new ArrayList<>();
            List<float[]> bias = new ArrayList<>();
            for (int l = 0; l < SIZES.length; l++) {
                float[] bl = c.biases().get(l).clone();
                for (int j = 0; j < bl.length; j++) {
                    bl[j] += (float) (lr * (a[l][j] - x[l][j]));
                }
                bias.add(bl);
                if (l > 0) {
                    float[] wl = c.weights().get(l - 1).clone();
                    for (int i = 0; i < SIZES[l - 1]; i++) {
                        for (int j = 0; j < SIZES[l]; j++) {
                            double g = centeredMoment(dataStates, mu, l, i, j, rows)
                                    - centeredMoment(modelStates, mu, l, i, j, chains);
                            wl[i * SIZES[l] + j] += (float) (lr * g);
                        }
                    }
                    w.add(wl);
                }
            }
            DbmParameters expected = new DbmCenteredParameters(new DbmParameters(SIZES, w, bias), mu).uncentered();
            DbmParameters got = dbm.parameters();
            for (int l = 0; l < SIZES.length; l++) {
                assertArrayEquals(expected.biases().get(l), got.biases().get(l), 1e-5f, "bias " + l);
                if (l > 0) {
                    assertArrayEquals(expected.weights().get(l - 1), got.weights().get(l - 1), 1e-5f, "W" + l);
                }
            }
        }
    }

    /** {@code mean over rows of (s_{l-1,i} - mu_{l-1,i}) (s_{l,j} - mu_{l,j})}. */
    private static double centeredMoment(float[][] s, List<float[]> mu, int l, int i, int j, int rows) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += (s[l - 1][r * SIZES[l - 1] + i] - mu.get(l - 1)[i]) * (s[l][r * SIZES[l] + j] - mu.get(l)[j]);
        }
        return sum / rows;
    }

    /**
     * Centered joint training learns the two-mode data as well as the uncentered run of
     * {@link DbmFitTest}: above -3.0 nats, against -4.16 for independent pixels and -1.89 for the source.
     * The model it returns carries offsets, and its file holds them.
     */
    @Test
    void centeredTrainingLearnsAndItsModelFileKeepsTheOffsets(@TempDir Path dir) throws IOException {
        Dataset data = DbmFitTest.modes("modes", 400, 1);
        DbmOptions o = DbmFitTest.small().pretrainEpochs(10).epochs(40).centering(true).build();
        Path file = dir.resolve("model.ebm");
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.fit(b, data, o, Checkpointing.none())) {
            double ll = dbm.exactLogLikelihood(data);
            assertTrue(ll > -3.0, "exact log-likelihood " + ll);
            DbmCenteredParameters c = dbm.centeredParameters().orElseThrow();
            // Offsets are moving averages of means: inside [0, 1] and, for the visibles, near the data's 1/2.
            for (float m : c.offsets().get(0)) {
                assertTrue(m > 0.3 && m < 0.7, "visible offset " + m);
            }
            for (int l = 0; l < 3; l++) {
                // The model holds the ordinary form; converting there and back rounds in float only.
                assertArrayEquals(dbm.parameters().biases().get(l), c.uncentered().biases().get(l), 1e-5f, "bias " + l);
            }
            dbm.save(file);
            try (Dbm back = Dbm.load(file, b)) {
                assertEquals(dbm.parameters(), back.parameters());
                DbmCenteredParameters cb = back.centeredParameters().orElseThrow();
                for (int l = 0; l < 3; l++) {
                    assertArrayEquals(c.offsets().get(l), cb.offsets().get(l), "offset " + l);
                }
            }
        }
        try (Backend b = new ReferenceBackend(); Dbm plain = Dbm.of(b, BruteForceDbm.random(SIZES, 1, 3))) {
            assertTrue(plain.centeredParameters().isEmpty());
        }
    }

    /** Option maps written before tempering and centering existed still load, with PCD and no centering. */
    @Test
    void optionsWithoutTheNewFieldsLoadWithTheirDefaults() {
        DbmOptions o = DbmFitTest.small().build();
        Map<String, String> old = new HashMap<>(o.toMap());
        for (String key : List.of("method", "replicas", "betas", "centering")) {
            assertTrue(old.keySet().stream().anyMatch(k -> k.endsWith(key)), key + " in " + old.keySet());
            old.keySet().removeIf(k -> k.endsWith("." + key) || k.equals(key));
        }
        assertEquals(o, DbmOptions.fromMap(old));
    }
}
