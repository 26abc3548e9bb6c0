package org.ebm4j.rbm;

import static org.ebm4j.rbm.HostRbm.flat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.ebm4j.train.TrainingState;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.EventLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class RbmTrainerTest {
    private final Backend backend = new ReferenceBackend();

    static double[][] binaryData(int n, int nv, long seed) {
        Random r = new Random(seed);
        double[][] d = new double[n][nv];
        for (double[] row : d) {
            for (int i = 0; i < nv; i++) {
                // Correlated bits, so there is structure to learn.
                row[i] = (i > 0 && r.nextDouble() < 0.6) ? row[i - 1] : (r.nextDouble() < 0.4 ? 1 : 0);
            }
        }
        return d;
    }

    /** The trainer matches the host reference of the documented algorithm, update for update. */
    @ParameterizedTest
    @CsvSource({"CD,1,0.0,0.0,NaN,false", "CD,2,0.5,0.01,0.1,false", "PCD,2,0.9,0.0,0.2,false",
        "PCD,1,0.5,0.001,NaN,false", "CD,1,0.5,0.01,0.1,true", "PCD,2,0.9,0.001,NaN,true"})
    void matchesHostReference(TrainingMethod method, int k, double momentum, double wd, double sparsity,
                              boolean centering) {
        double[][] data = binaryData(30, 6, 8);
        RbmOptions cfg = RbmOptions.builder().method(method).k(k).chains(7).learningRate(0.1)
                .schedule(LearningRateSchedule.parse("exp:0.9")).momentum(momentum).weightDecay(wd)
                .sparsity(sparsity, Double.isNaN(sparsity) ? 0 : 0.3).centering(centering).batchSize(8).epochs(3)
                .seed(42).build();
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 6, 4); Tensor d = backend.fromArray(flat(data), 30, 6);
             RbmTrainer t = new RbmTrainer(rbm, cfg, d)) {
            RbmTrainer.initialize(rbm, cfg, d);
            // Larger initial weights than the default, so the conditionals are far from 1/2.
            RbmParameters init = rbm.parameters();
            for (int i = 0; i < init.weights().length; i++) {
                init.weights()[i] *= 50f;
            }
            rbm.setParameters(init);
            HostTrainer host = new HostTrainer(init, cfg, data);
            for (int e = 0; e < 3; e++) {
                t.trainEpoch(List.of());
                host.epoch();
            }
            RbmParameters got = rbm.parameters();
            for (int q = 0; q < host.w.length; q++) {
                assertEquals(host.w[q], got.weights()[q], 2e-5, "W[" + q + "]");
            }
            for (int i = 0; i < 6; i++) {
                assertEquals(host.b[i], got.visibleBias()[i], 2e-5, "b[" + i + "]");
            }
            for (int j = 0; j < 4; j++) {
                assertEquals(host.c[j], got.hiddenBias()[j], 2e-5, "c[" + j + "]");
            }
            assertNotEquals(init.weights()[0], got.weights()[0], "training changed the weights");
        }
    }

    private RbmParameters train(RbmOptions cfg, double[][] data, int epochs, TrainingState resumeFrom,
                                RbmParameters resumeParams, TrainingState[] stateOut) {
        return train(1f, cfg, data, epochs, resumeFrom, resumeParams, stateOut);
    }

    @Test
    void sameSeedSameWeightsAndResumeIsSeamless() {
        double[][] data = binaryData(45, 8, 3);
        for (TrainingMethod m : TrainingMethod.values()) {
            RbmOptions cfg = RbmOptions.builder().method(m).k(2).chains(9).learningRate(0.05).momentum(0.7)
                    .batchSize(10).epochs(4).seed(7).build();
            RbmParameters a = train(cfg, data, 4, null, null, null);
            RbmParameters b = train(cfg, data, 4, null, null, null);
            assertEquals(a, b, m + ": same seed gives identical weights");
            TrainingState[] mid = new TrainingState[1];
            RbmParameters half = train(cfg, data, 2, null, null, mid);
            assertEquals(2, mid[0].epochsDone());
            RbmParameters resumed = train(cfg, data, 4, mid[0], half, null);
            assertEquals(a, resumed, m + ": stop after 2 epochs + resume == 4 epochs straight");
            RbmParameters other = train(cfg.toBuilder().seed(8).build(), data, 4, null, null, null);
            assertNotEquals(a, other, m + ": another seed gives other weights");
        }
    }

    /** {@code update} over an epoch's batches, in the shuffle stream's order, is that epoch of the loop. */
    @Test
    void updatesScheduledByTheCallerAreTheEpochLoop() {
        double[][] data = binaryData(37, 6, 5);
        for (TrainingMethod m : TrainingMethod.values()) {
            RbmOptions cfg = RbmOptions.builder().method(m).k(2).chains(5).learningRate(0.1)
                    .schedule(LearningRateSchedule.parse("exp:0.9")).momentum(0.5).batchSize(10).epochs(2).seed(3)
                    .build();
            RbmParameters looped = train(cfg, data, 2, null, null, null);
            try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 6, 5); Tensor d = backend.fromArray(flat(data), 37, 6);
                 RbmTrainer t = new RbmTrainer(rbm, cfg, d)) {
                RbmTrainer.initialize(rbm, cfg, d);
                assertEquals(4, t.batchesPerEpoch(), "three full batches and a tail of 7");
                for (int e = 0; e < 2; e++) {
                    int[] order = org.ebm4j.random.StreamId.RBM_SHUFFLE.open(cfg.seed()).at(e).permutation(37);
                    for (int i = 0; i < t.batchesPerEpoch(); i++) {
                        t.update(order, i, (float) cfg.learningRate(e));
                    }
                }
                assertEquals(looped, rbm.parameters(), m.id());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> t.update(new int[36], 0, 0.1f));
                assertEquals("row order has 36 entries but the data has 37 rows", e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> t.update(new int[37], 4, 0.1f));
                assertEquals("batch 4 is outside 0..3", e.getMessage());
            }
        }
    }

    @Test
    void listenersSeeEveryBatchAndEpoch() {
        double[][] data = binaryData(25, 4, 1);
        RbmOptions cfg = RbmOptions.builder().method(TrainingMethod.CD).batchSize(10).epochs(2).build();
        EventLog log = new EventLog();
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 4, 3); Tensor d = backend.fromArray(flat(data), 25, 4);
             RbmTrainer t = new RbmTrainer(rbm, cfg, d)) {
            t.train(List.of(log));
        }
        assertEquals(List.of("start 1/2 x3", "1.1/3", "1.2/3", "1.3/3", "end 1 lr 0.05", "2.1/3", "2.2/3", "2.3/3",
                "end 2 lr 0.05", "done"), log.events());
    }

    @Test
    void gaussianVisiblesTrainTowardsTheDataMean() {
        Random r = new Random(4);
        int n = 200;
        float[] d = new float[n * 3];
        for (int i = 0; i < n; i++) {
            d[i * 3] = (float) (2 + r.nextGaussian());
            d[i * 3 + 1] = (float) (-1 + r.nextGaussian());
            d[i * 3 + 2] = (float) r.nextGaussian();
        }
        RbmOptions cfg = RbmOptions.builder().method(TrainingMethod.CD).learningRate(0.01).batchSize(20)
                .epochs(3).build();
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.GAUSSIAN, 3, 2); Tensor data = backend.fromArray(d, n, 3);
             RbmTrainer t = new RbmTrainer(rbm, cfg, data)) {
            RbmTrainer.initialize(rbm, cfg, data);
            float[] b0 = rbm.visibleBias().toArray();
            assertEquals(2.0, b0[0], 0.3, "Gaussian visible bias starts at the data mean");
            t.train(List.of());
            float[] b1 = rbm.visibleBias().toArray();
            for (float x : b1) {
                assertTrue(Float.isFinite(x));
            }
            assertEquals(b0[0], b1[0], 0.5, "stays near the mean");
        }
    }

    @Test
    void restoreRejectsAMismatchedCheckpoint() {
        double[][] data = binaryData(20, 4, 1);
        RbmOptions pcd = RbmOptions.builder().method(TrainingMethod.PCD).chains(5).batchSize(10).epochs(2).build();
        TrainingState[] st = new TrainingState[1];
        train(pcd, data, 1, null, null, st);
        RbmOptions cd = pcd.toBuilder().method(TrainingMethod.CD).build();
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 4, 5); Tensor d = backend.fromArray(flat(data), 20, 4);
             RbmTrainer t = new RbmTrainer(rbm, cd, d)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.restore(st[0]));
            assertTrue(e.getMessage().contains("has persistent chains but the run is configured for cd"), e.getMessage());
        }
    }

    @Test
    void configValidationNamesTheField() {
        assertThrows(IllegalArgumentException.class, () -> RbmOptions.builder().k(0).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RbmOptions.builder().momentum(1.0).build());
        assertTrue(e.getMessage().contains("momentum"));
        RbmOptions c = RbmOptions.builder().learningRate(0.01).sparsity(0.1, 0.2).schedule(LearningRateSchedule.parse("linear:0.1"))
                .build();
        assertEquals(c, RbmOptions.fromMap(c.toMap()));
        assertEquals(0.01, c.learningRate(0), 1e-12);
        assertEquals(0.001, c.learningRate(c.epochs() - 1), 1e-12);
        assertArrayEquals(new Object[] {"constant"}, new Object[] {LearningRateSchedule.constant().toString()});
    }

    /**
     * Trains from {@code resumeFrom} (or from a fresh start with the initial weights times
     * {@code weightScale}) until {@code epochs}; {@code stateOut[0]} receives the final state and,
     * when it has a second slot, {@code stateOut[1]} the state before training.
     */
    private RbmParameters train(float weightScale, RbmOptions cfg, double[][] data, int epochs,
                                TrainingState resumeFrom, RbmParameters resumeParams, TrainingState[] stateOut) {
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, data[0].length, 5);
             Tensor d = backend.fromArray(flat(data), data.length, data[0].length);
             RbmTrainer t = new RbmTrainer(rbm, cfg, d)) {
            if (resumeFrom == null) {
                RbmTrainer.initialize(rbm, cfg, d);
                RbmParameters p = rbm.parameters();
                for (int i = 0; i < p.weights().length; i++) {
                    p.weights()[i] *= weightScale;
                }
                rbm.setParameters(p);
            } else {
                rbm.setParameters(resumeParams);
                t.restore(resumeFrom);
            }
            if (stateOut != null && stateOut.length > 1) {
                stateOut[1] = t.state();
            }
            while (t.epochsDone() < epochs) {
                t.trainEpoch(List.of());
            }
            if (stateOut != null) {
                stateOut[0] = t.state();
            }
            return rbm.parameters();
        }
    }

    /**
     * A PCD resume carries on the persistent chains where they stopped. With the default small
     * weights every conditional is near its bias alone, so chains driven by the same noise coalesce
     * within a sweep and a resume that restarted them would still match; with weights 50 times
     * larger the chains remember their start, which the counterfactual here shows: the same resume
     * with the chains put back to their initial rows ends on other weights.
     */
    @Test
    void aPcdResumeContinuesThePersistentChains() {
        double[][] data = binaryData(45, 8, 3);
        RbmOptions cfg = RbmOptions.builder().method(TrainingMethod.PCD).k(1).chains(9).learningRate(0.05)
                .momentum(0.5).batchSize(10).epochs(4).seed(7).build();
        TrainingState[] initial = new TrainingState[2];
        RbmParameters straight = train(50f, cfg, data, 4, null, null, initial);
        TrainingState[] mid = new TrainingState[1];
        RbmParameters half = train(50f, cfg, data, 2, null, null, mid);
        assertEquals(straight, train(50f, cfg, data, 4, mid[0], half, null), "2 epochs + resume == 4 epochs straight");
        java.util.Map<String, org.ebm4j.io.ModelFile.Entry> restarted = new java.util.HashMap<>(mid[0].arrays());
        restarted.put("chains", initial[1].arrays().get("chains"));
        TrainingState forgetful = new TrainingState(mid[0].trainer(), mid[0].epochsDone(), mid[0].counters(), restarted);
        assertNotEquals(straight, train(50f, cfg, data, 4, forgetful, half, null),
                "restarting the chains at the resume must change the result, or this test could not see it");
    }
}
