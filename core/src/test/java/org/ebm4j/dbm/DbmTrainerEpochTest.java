package org.ebm4j.dbm;

import static org.ebm4j.testing.Rejections.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.tempering.ParallelTempering;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.EpochBatches;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.EventLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a {@link DbmTrainer} walks its data: the chains' starting rows, the epoch's batches (each row of
 * one {@link StreamId#DBM_SHUFFLE} permutation exactly once, the last batch smaller), the epoch's rate,
 * and its refusals. The epoch is replayed on a twin trainer through the one-update calls that
 * {@link DbmOneStepTest} checks against the formulas, with batches cut by {@link EpochBatches}.
 */
@ExtendWith(NoLeakedTensors.class)
class DbmTrainerEpochTest {
    private static final int[] SIZES = {4, 3, 2};

    private static float[] rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * SIZES[0]];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(2);
        }
        return v;
    }

    private static DbmTrainer.Stage stage(String kind, int epochs, long seed) {
        return new DbmTrainer.Stage(kind, epochs, e -> 0.1 * (e + 1), LayerScales.uniform(SIZES.length),
                StreamId.DBM_SAMPLING, StreamId.DBM_SHUFFLE, StreamId.DBM_CHAIN_INIT, seed);
    }

    /**
     * Three epochs of {@code n} rows in batches of {@code b}, at rates 0.1, 0.2 and, halved as by a rollback,
     * 0.15 (the stage's rate of each 0-based epoch times the rate factor), with momentum and centering; the twin takes the same updates one by one. Both
     * trainers draw their chains' sweeps from their own stream of the same seed, so the two runs agree
     * bit for bit only if the epoch hands out the same rows in the same batches at the same rate.
     */
    @ParameterizedTest
    @CsvSource({"11, 4, false", "8, 4, true", "5, 5, false"})
    void anEpochUpdatesOnceFromEachBatchOfItsPermutation(int n, int b, boolean centering) {
        float[] v = rows(n, n);
        DbmOptions o = DbmOptions.builder().hidden(SIZES[1], SIZES[2]).chains(3).batchSize(b).momentum(0.5)
                .weightDecay(0.01).centering(centering).meanField(new MeanField(1e-6, 20, 0)).build();
        DbmParameters start = BruteForceDbm.random(SIZES, 0.5, 3);
        long seed = 17;
        EventLog listener = new EventLog();
        try (Backend be = new ReferenceBackend(); Dbm trained = Dbm.of(be, start); Dbm twin = Dbm.of(be, start);
             Tensor data = be.fromArray(v, n, SIZES[0]);
             DbmTrainer trainer = new DbmTrainer(trained, o, stage(DbmTrainer.JOINT, 2, seed), data);
             DbmTrainer replay = new DbmTrainer(twin, o, stage(DbmTrainer.JOINT, 2, seed), data)) {
            int batches = (n + b - 1) / b;
            assertEquals(batches, trainer.batchesPerEpoch());
            RandomStream shuffle = StreamId.DBM_SHUFFLE.open(seed);
            List<String> expected = new ArrayList<>();
            for (int e = 0; e < 3; e++) {
                // A third epoch, past the planned two, after a rollback halved the rate.
                float lr = (float) (0.1 * (e + 1) * (e == 2 ? 0.5 : 1));
                int[] order = shuffle.permutation(n);
                int[] sweeps = {0, 0};
                EpochBatches.replay(order, b, "epoch " + e, (offset, count) -> {
                    float[] batch = new float[count * SIZES[0]];
                    for (int r = 0; r < count; r++) {
                        System.arraycopy(v, order[offset + r] * SIZES[0], batch, r * SIZES[0], SIZES[0]);
                    }
                    try (Tensor x = be.fromArray(batch, count, SIZES[0]); MeanFieldPass pass = replay.newPass(count)) {
                        Tensor[] centered = replay.newCenteredStates(count);
                        replay.gradient(x, pass, centered);
                        replay.update(lr);
                        sweeps[0] += pass.iterations();
                        sweeps[1]++;
                        if (centered != null) {
                            Tensor.closeAll(centered);
                        }
                    }
                });
                for (int k = 1; k <= batches; k++) {
                    expected.add((e + 1) + "." + k + "/" + batches);
                }
                expected.add("end " + (e + 1) + " lr " + lr);
                if (e == 2) {
                    trainer.halveRate();
                }
                trainer.trainEpoch(List.of(listener));
                DbmSafetyTest.assertSameParameters(twin.parameters(), trained.parameters());
                assertEquals((double) sweeps[0] / sweeps[1], trainer.lastEpochMeanFieldSweeps(), "mean sweeps");
                for (int l = 0; l < SIZES.length; l++) {
                    assertArrayEquals(replay.chainStates(l).toArray(), trainer.chainStates(l).toArray(), "chains " + l);
                }
            }
            assertEquals(expected, listener.events());
            assertNotEquals(start, trained.parameters());
        }
    }

    /**
     * The chains start at data rows: chain {@code i} at row {@code perm[i mod n]} of one
     * {@link StreamId#DBM_CHAIN_INIT} permutation of the stage's seed, hidden layers 0; with more chains
     * than rows every row starts two or three chains here (7 chains, 3 rows).
     */
    @Test
    void chainsStartAtTheRowsOfOnePermutationRepeatedPastTheData() {
        float[] v = {1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0, 0};
        DbmOptions o = DbmOptions.builder().hidden(SIZES[1], SIZES[2]).chains(7).batchSize(2).build();
        try (Backend be = new ReferenceBackend(); Dbm dbm = Dbm.of(be, BruteForceDbm.random(SIZES, 0.5, 5));
             Tensor data = be.fromArray(v, 3, SIZES[0]);
             DbmTrainer trainer = new DbmTrainer(dbm, o, stage(DbmTrainer.PRETRAIN, 1, 23), data)) {
            int[] perm = StreamId.DBM_CHAIN_INIT.open(23).permutation(3);
            float[] x0 = trainer.chainStates(0).toArray();
            for (int c = 0; c < 7; c++) {
                for (int i = 0; i < SIZES[0]; i++) {
                    assertEquals(v[perm[c % 3] * SIZES[0] + i], x0[c * SIZES[0] + i], "chain " + c + " unit " + i);
                }
            }
            for (int l = 1; l < SIZES.length; l++) {
                assertArrayEquals(new float[7 * SIZES[l]], trainer.chainStates(l).toArray(), "layer " + l);
            }
            // Pretraining takes no centering, whatever the options say; a trainer without PT reports no swaps.
            assertEquals(null, trainer.centeringOffsets());
            assertEquals(null, trainer.tempering());
            assertEquals(0, trainer.swapRates().size());
        }
    }

    /**
     * Persistent chains take {@code k} sweeps per update, one draw of the sampling stream per layer each
     * (three layers here); under PT all replicas of a layer are swept in one call, and the chains the
     * gradient reads are the replicas at {@code beta = 1}, which every replica of a chain starts from. The
     * bias gradient is then the mean field's column means less those chains' column means.
     */
    @ParameterizedTest
    @CsvSource({"PCD, 3", "PT, 2"})
    void eachUpdateSweepsTheChainsKTimesAndReadsTheColdReplicas(TrainingMethod method, int k) {
        float[] v = rows(4, 29);
        int chains = 3;
        DbmOptions o = DbmOptions.builder().hidden(SIZES[1], SIZES[2]).chains(chains).batchSize(4).k(k).method(method)
                .replicas(3).meanField(new MeanField(1e-6, 30, 0)).build();
        try (Backend be = new ReferenceBackend(); Dbm dbm = Dbm.of(be, BruteForceDbm.random(SIZES, 1.0, 31));
             Tensor data = be.fromArray(v, 4, SIZES[0]);
             DbmTrainer trainer = new DbmTrainer(dbm, o, stage(DbmTrainer.JOINT, 1, 37), data);
             MeanFieldPass pass = trainer.newPass(4)) {
            ParallelTempering pt = trainer.tempering();
            int cold = -1;
            if (method == TrainingMethod.PT) {
                double[] betas = pt.betas();
                assertEquals(3, betas.length);
                for (int r = 0; r < betas.length; r++) {
                    cold = betas[r] == 1.0 ? r : cold;
                }
                float[] start = trainer.chainStates(0).toArray();
                float[] replicas = pt.layer(0).toArray();
                for (int r = 0; r < 3; r++) {
                    for (int q = 0; q < chains * SIZES[0]; q++) {
                        assertEquals(start[q], replicas[r * chains * SIZES[0] + q], "replica " + r);
                    }
                }
            } else {
                assertEquals(null, pt);
            }
            trainer.gradient(data, pass, null);
            // One draw per layer and sweep: odd layers, then even ones (the visible layer among them).
            assertEquals(k * SIZES.length, trainer.drawPositions().get("dbm_sampling"));
            for (int l = 0; l < SIZES.length; l++) {
                float[] x = trainer.chainStates(l).toArray();
                if (pt != null) {
                    float[] all = pt.layer(l).toArray();
                    for (int q = 0; q < x.length; q++) {
                        assertEquals(all[cold * x.length + q], x[q], "layer " + l + " cold replica");
                    }
                }
                float[] mu = l == 0 ? v : pass.mu[l].toArray();
                float[] grad = trainer.gradientOfBias(l).toArray();
                for (int j = 0; j < SIZES[l]; j++) {
                    double pos = 0;
                    for (int r = 0; r < 4; r++) {
                        pos += mu[r * SIZES[l] + j] / 4.0;
                    }
                    double neg = 0;
                    for (int c = 0; c < chains; c++) {
                        neg += x[c * SIZES[l] + j] / (double) chains;
                    }
                    assertEquals(pos - neg, grad[j], 1e-6, "bias gradient " + l + " unit " + j);
                }
            }
        }
    }

    @Test
    void dataOfAnotherWidthOrBackendIsRefused() {
        DbmOptions o = DbmOptions.builder().hidden(SIZES[1], SIZES[2]).chains(2).batchSize(2).build();
        try (Backend be = new ReferenceBackend(); Backend other = new ReferenceBackend();
             Dbm dbm = Dbm.of(be, DbmParameters.zeros(SIZES)); Tensor wide = be.fromArray(new float[10], 2, 5);
             Tensor elsewhere = other.fromArray(new float[8], 2, 4)) {
            assertEquals("data has 5 columns but the model has 4 visible units",
                    message(() -> new DbmTrainer(dbm, o, stage(DbmTrainer.JOINT, 1, 1), wide)));
            assertEquals("training data is on backend 'reference' but the model is on 'reference'",
                    message(() -> new DbmTrainer(dbm, o, stage(DbmTrainer.JOINT, 1, 1), elsewhere)));
        }
    }
}
