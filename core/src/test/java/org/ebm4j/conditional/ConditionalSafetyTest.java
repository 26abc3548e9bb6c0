package org.ebm4j.conditional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.SafetyLog;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optimizers and the training safety of {@link ConditionalModel#fit}. */
class ConditionalSafetyTest {
    private static final Dataset BLOBS = ConditionalModelTest.blobs();

    private static ConditionalOptions.Builder small() {
        return ConditionalOptions.builder().layers("8:softplus").batchSize(25).epochs(4).seed(3);
    }

    private static List<float[]> parameters(ConditionalModel m) {
        List<float[]> out = new ArrayList<>();
        for (Tensor p : m.energy().joint().parameters()) {
            out.add(p.toArray());
        }
        return out;
    }

    private static void assertSameParameters(ConditionalModel expected, ConditionalModel actual) {
        List<float[]> e = parameters(expected);
        List<float[]> a = parameters(actual);
        assertEquals(e.size(), a.size());
        for (int i = 0; i < e.size(); i++) {
            assertArrayEquals(e.get(i), a.get(i), 0f, "parameter " + i);
        }
    }

    @Test
    void theSafetySettersReachTheRecordAndFilesWithoutThemStillRead() {
        ConditionalOptions o = small().optimizer(Optimizer.ADAM).holdout(30).patience(2).maxRollbacks(5).build();
        assertEquals(Optimizer.ADAM, o.optimizer());
        assertEquals(30, o.holdout());
        assertEquals(2, o.patience());
        assertEquals(5, o.maxRollbacks());
        // The three safety keys' defaults for older files: TrainingSafetyOptionsTest; the holdout's here.
        Map<String, String> older = new HashMap<>(small().build().toMap());
        assertEquals("0", older.remove("holdout"));
        assertEquals(small().build(), ConditionalOptions.fromMap(older));
        SettingException e = assertThrows(SettingException.class, () -> small().patience(2).build());
        assertEquals("patience", e.setting());
        assertTrue(e.getMessage().contains("needs held-out rows"), e.getMessage());
    }

    /**
     * At a rate of 1e4 the first epoch moves the joint network's weights by about the rate times an energy
     * derivative of order 1 (unit-scale inputs, unit scales 0.1) in each of its 6 updates, far past the
     * 1000-fold growth that counts as an explosion: the epoch is rolled back to the start and the rate halved
     * until it holds. A rollback restores the start exactly, so the run that follows is bit for bit the run
     * of a fresh model at the halved rate (halving is exact in binary floating point). One epoch, so that
     * every rollback goes back to the start (a later epoch may diverge again at a rate the first survived).
     */
    @Test
    void aDivergedEpochIsRolledBackToTheStartWithTheRateHalved() {
        ConditionalOptions o = small().learningRate(1e4).maxRollbacks(40).epochs(1).build();
        SafetyLog log = new SafetyLog("loss");
        try (Backend b = new ReferenceBackend();
             ConditionalModel rolled = ConditionalModel.fit(b, BLOBS, 3, o, Checkpointing.none(), log)) {
            int n = log.rollbacksToTheStart();
            try (ConditionalModel fresh = ConditionalModel.fit(b, BLOBS, 3,
                    o.toBuilder().learningRate(Math.scalb(1e4, -n)).maxRollbacks(0).build(), Checkpointing.none())) {
                assertSameParameters(fresh, rolled);
            }
        }
    }

    @Test
    void aDivergenceAfterTheRollbacksRunOutEndsTheRunSayingSo() {
        ConditionalOptions o = small().learningRate(1e5).maxRollbacks(1).build();
        SafetyLog log = new SafetyLog("loss");
        try (Backend b = new ReferenceBackend()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ConditionalModel.fit(b, BLOBS, 3, o, Checkpointing.none(), log));
            assertEquals(List.of("1->0 x0.5"), log.rollbacks);
            assertTrue(e.getMessage().startsWith("training diverged in epoch 1"), e.getMessage());
            assertTrue(e.getMessage().contains("after 1 rollback(s)"), e.getMessage());
        }
    }

    /**
     * With 30 of the 150 rows held out (120 train rows in batches of 25: 4 updates an epoch) and patience 2, a
     * run planned for 60 epochs stops once the held-out loss has not improved for two epochs and keeps the best
     * epoch's parameters: those of a second run of the same seed planned to end at that epoch (a constant rate,
     * so the two agree update for update up to there), bit for bit.
     */
    @Test
    void earlyStoppingOnTheHeldOutLossKeepsTheBestEpoch() {
        ConditionalOptions o = small().holdout(30).epochs(60).learningRate(0.5).patience(2).build();
        SafetyLog log = new SafetyLog(ConditionalModel.HELDOUT_METRIC);
        try (Backend b = new ReferenceBackend();
             ConditionalModel stopped = ConditionalModel.fit(b, BLOBS, 3, o, Checkpointing.none(), log)) {
            log.stoppedEarlyAtTheLowest(60, 2);
            try (ConditionalModel best = ConditionalModel.fit(b, BLOBS, 3,
                    o.toBuilder().epochs(log.bestEpoch).patience(0).build(), Checkpointing.none())) {
                assertSameParameters(best, stopped);
                Dataset heldOut = BLOBS.slice(120, 150);
                assertEquals(log.values.get(log.bestEpoch),
                        ConditionalModel.heldOut(stopped.energy(), heldOut, o).get(ConditionalModel.HELDOUT_METRIC));
                assertEquals(stopped.errorRate(heldOut),
                        ConditionalModel.heldOut(stopped.energy(), heldOut, o).get(ConditionalModel.HELDOUT_ERROR));
            }
        }
    }

    /**
     * One epoch of one batch of every row is one update. Adam's first step on a gradient {@code g} (with
     * weight decay {@code wd theta} on the parameters that take it) is {@code -lr g / (|g| + 1e-8)}: the
     * bias-corrected moments of one step are {@code g} and {@code g^2}. The gradient is the mean over the rows
     * of the hinge loss's, taken here on a fresh model of the same seed with the rows in their own order (the
     * trainer's shuffled order changes the float sums by rounding only, far below the 1e-6 tolerance unless a
     * component is within rounding of 0, which none of these is: checked).
     */
    @Test
    void adamsFirstStepIsTheRateTimesTheSignOfTheGradient() {
        double lr = 0.01;
        double wd = 1e-4;
        ConditionalOptions o = small().optimizer(Optimizer.ADAM).learningRate(lr).weightDecay(wd)
                .batchSize(BLOBS.rows()).epochs(1).build();
        try (Backend b = new ReferenceBackend();
             ConditionalModel m = ConditionalModel.fit(b, BLOBS, 3, o, Checkpointing.none());
             ConditionalEnergy start = ConditionalModel.newEnergy(b, 2, 3, o, StreamId.CONDITIONAL_INIT);
             Tensor x = BLOBS.toTensor(b)) {
            double[] f = start.energies(x);
            double[] dLdF = new double[f.length];
            o.answerLoss().evaluate(f, BLOBS.labels(), 3, dLdF, null);
            for (int i = 0; i < dLdF.length; i++) {
                dLdF[i] /= BLOBS.rows();
            }
            List<Tensor> grads = start.newGradients();
            grads.forEach(g -> b.fill(g, 0f));
            start.accumulateParameterGradient(x, dLdF, grads);
            List<Tensor> before = start.joint().parameters();
            List<float[]> after = parameters(m);
            for (int p = 0; p < before.size(); p++) {
                float[] theta = before.get(p).toArray();
                float[] g = grads.get(p).toArray();
                float[] expected = new float[theta.length];
                for (int i = 0; i < theta.length; i++) {
                    double gi = g[i] + (start.joint().decays(p) ? wd * theta[i] : 0);
                    assertTrue(Math.abs(gi) > 1e-5, "component " + i + " of parameter " + p + " is " + gi);
                    expected[i] = (float) (theta[i] - lr * gi / (Math.abs(gi) + 1e-8));
                }
                assertArrayEquals(expected, after.get(p), 1e-6f, "parameter " + p);
            }
            grads.forEach(Tensor::close);
        }
    }

    @Test
    void aSavedModelKeepsTheSafetyOptions(@TempDir Path dir) throws Exception {
        ConditionalOptions o = small().optimizer(Optimizer.ADAM).learningRate(0.01).holdout(30).patience(3)
                .maxRollbacks(2).build();
        Path p = dir.resolve("c.ebm");
        try (Backend b = new ReferenceBackend();
             ConditionalModel m = ConditionalModel.fit(b, BLOBS, 3, o, Checkpointing.none())) {
            m.save(p);
            try (ConditionalModel back = ConditionalModel.load(p, b)) {
                assertEquals(o, ConditionalOptions.fromMap(back.provenance().options()));
                assertArrayEquals(m.energies(BLOBS), back.energies(BLOBS), 0);
            }
        }
    }
}
