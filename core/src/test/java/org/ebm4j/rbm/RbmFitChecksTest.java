package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a resume checks about the test set a run held its rows out of, what reading the options of a
 * file without provenance says, and the per-epoch metrics of a fit; each run trains a 5 x 3 model on 30 rows.
 */
@ExtendWith(NoLeakedTensors.class)
class RbmFitChecksTest {
    private final Backend backend = new ReferenceBackend();

    @TempDir
    Path dir;

    @Test
    void aRunThatHeldOutTestRowsNeedsThatTestSetBack() throws IOException {
        Dataset data = RbmFitTest.grey("grey", 30, 5, 1);
        Dataset test = RbmFitTest.grey("test", 12, 5, 2);
        Dataset other = RbmFitTest.grey("other", 12, 5, 3);
        RbmOptions o = RbmOptions.builder().hidden(3).holdout(6).chains(4).batchSize(8).epochs(1).build();
        Path ckpt = dir.resolve("c.ebm");
        Rbm.fit(backend, data, test, o, Checkpointing.every(ckpt, 1)).close();
        assertEquals(o, Rbm.checkResumable(ckpt, data, test, null));
        assertEquals(ckpt + " held out rows of the test set test; pass it to resume", assertThrows(
                IllegalArgumentException.class, () -> Rbm.checkResumable(ckpt, data, null, null)).getMessage());
        String wrong = assertThrows(IllegalArgumentException.class,
                () -> Rbm.checkResumable(ckpt, data, other, null)).getMessage();
        assertEquals("test data other (12x5, sha256 " + other.sha256() + ") is not the test data " + ckpt
                + " was trained on (test, 12x5, sha256 " + test.sha256() + ")", wrong.substring(0,
                wrong.indexOf(")", wrong.indexOf("trained on")) + 1));
    }

    @Test
    void aModelWithoutProvenanceHasNoOptionsToRead() throws IOException {
        Path file = dir.resolve("bare.ebm");
        try (Rbm bare = Rbm.zeros(backend, VisibleType.BERNOULLI, 2, 2)) {
            bare.save(file);
        }
        assertEquals(file + ": records no RBM options (it was not written by Rbm.fit or predates provenance)",
                assertThrows(ModelFormatException.class, () -> Rbm.readOptions(file)).getMessage());
    }
    /**
     * The metrics of the last epoch, recomputed by brute force on the host from the returned model: the
     * training rows are the first 30 (binarized at 0.5), the held-out rows the last 10.
     */
    @Test
    void theLastEpochsMetricsAreThoseOfTheReturnedModel() {
        Dataset data = RbmFitTest.grey("grey", 40, 5, 4);
        java.util.List<java.util.Map<String, Double>> metrics = new java.util.ArrayList<>();
        org.ebm4j.train.TrainingListener l = new org.ebm4j.train.TrainingListener() {
            @Override
            public void onReport(org.ebm4j.train.EpochReport r) {
                metrics.add(r.metrics());
            }
        };
        RbmParameters p;
        RbmOptions o = RbmOptions.builder().hidden(3).holdout(10).chains(4).batchSize(8).epochs(2).initWeightStd(0.5)
                .build();
        try (Rbm rbm = Rbm.fit(backend, data, o, Checkpointing.none(), l)) {
            p = rbm.parameters();
        }
        HostRbm host = new HostRbm(p);
        double[][] rows = new double[40][5];
        for (int r = 0; r < 40; r++) {
            for (int i = 0; i < 5; i++) {
                rows[r][i] = data.values()[r * 5 + i] > 0.5f ? 1 : 0;
            }
        }
        double[] recon = new double[2];
        double[] free = new double[2];
        double pl = 0;
        for (int r = 0; r < 40; r++) {
            int side = r < 30 ? 0 : 1;
            double[] ph = new double[3];
            for (int j = 0; j < 3; j++) {
                ph[j] = host.hiddenProb(rows[r], j);
            }
            double f = host.freeEnergyByEnumeration(rows[r]);
            for (int i = 0; i < 5; i++) {
                double e = rows[r][i] - host.visibleMean(ph, i);
                recon[side] += e * e;
                if (side == 1) {
                    double[] flipped = rows[r].clone();
                    flipped[i] = 1 - flipped[i];
                    pl += Math.log(1 / (1 + Math.exp(f - host.freeEnergyByEnumeration(flipped))));
                }
            }
            free[side] += f;
        }
        java.util.Map<String, Double> last = metrics.get(metrics.size() - 1);
        assertEquals(recon[0] / 30, last.get("recon_error"), 1e-5);
        assertEquals(recon[1] / 10, last.get("recon_error_heldout"), 1e-5);
        assertEquals(free[1] / 10 - free[0] / 30, last.get("free_energy_gap"), 1e-5);
        assertEquals(pl / 50, last.get("pseudo_likelihood_heldout"), 1e-5);
    }
    /**
     * A checkpoint past the planned epochs cannot be resumed; a centered run's checkpoint file carries its
     * offsets; early stopping with held-out Bernoulli rows trains, without held-out pseudo-likelihood
     * (Gaussian visibles) it is refused; and the AIS base model of a fitted model comes from its training
     * rows' means (the first 24, binarized at 0.5): {@code log Z_A = nh log 2 + sum_i softplus(logit(mean_i))}.
     */
    @Test
    void resumeBoundsCheckpointOffsetsEarlyStoppingAndTheAisBase() throws IOException {
        Dataset data = RbmFitTest.grey("grey", 30, 5, 5);
        RbmOptions o = RbmOptions.builder().hidden(3).holdout(6).chains(4).batchSize(8).epochs(2).centering(true)
                .patience(2).build();
        Path ckpt = dir.resolve("c.ebm");
        try (Rbm rbm = Rbm.fit(backend, data, o, Checkpointing.every(ckpt, 1))) {
            double base = 3 * Math.log(2);
            for (int i = 0; i < 5; i++) {
                double m = 0;
                for (int r = 0; r < 24; r++) {
                    m += data.values()[r * 5 + i] > 0.5f ? 1 / 24.0 : 0;
                }
                m = Math.min(Math.max(m, 1e-3), 1 - 1e-3);
                base += Math.log1p(m / (1 - m));
            }
            assertEquals(base, rbm.estimateLogPartition(new AisOptions(3, 5, 1)).logZBase(), 1e-5);
        }
        try (Rbm saved = Rbm.load(ckpt, backend)) {
            assertEquals(true, saved.centeredParameters().isPresent(), "the checkpoint holds the centering offsets");
        }
        assertEquals("training state is at epoch 2, past the 1 planned epochs", assertThrows(
                IllegalArgumentException.class, () -> Rbm.checkResumable(ckpt, data, null,
                        o.toBuilder().epochs(1).build())).getMessage());
        assertEquals("early stopping (patience 2) watches the held-out pseudo-likelihood, which needs held-out rows "
                + "(holdout > 0) and Bernoulli visibles; found holdout=6, visible_type=gaussian", assertThrows(
                IllegalArgumentException.class, () -> Rbm.fit(backend, data, o.toBuilder().centering(false)
                        .visibleType(VisibleType.GAUSSIAN).build(), Checkpointing.none())).getMessage());
    }

    /**
     * With centering, a fresh model's ordinary biases are the centered ones at the initial offsets
     * ({@code mu} the data means, {@code lambda = 0.5}): {@code b = logit(mu) - 0.5 W 1}, {@code c = -W^T mu}.
     */
    @Test
    void centeredInitializationHoldsTheOrdinaryForm() {
        float[] v = {1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0};
        float[] mu = {0.5f, 0.5f, 0.5f};
        RbmOptions o = RbmOptions.builder().hidden(2).centering(true).initWeightStd(0.5).build();
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 3, 2);
             org.ebm4j.tensor.Tensor d = backend.fromArray(v, 4, 3)) {
            RbmTrainer.initialize(rbm, o, d);
            RbmParameters p = rbm.parameters();
            for (int i = 0; i < 3; i++) {
                double want = Math.log(mu[i] / (1 - mu[i])) - 0.5 * (p.weight(i, 0) + p.weight(i, 1));
                assertEquals(want, p.visibleBias()[i], 1e-6);
            }
            for (int j = 0; j < 2; j++) {
                double want = -(mu[0] * p.weight(0, j) + mu[1] * p.weight(1, j) + mu[2] * p.weight(2, j));
                assertEquals(want, p.hiddenBias()[j], 1e-6);
            }
            assertTrue(Math.abs(p.weight(0, 0)) > 0, "weights drawn");
        }
    }

    /** A PT trainer restored from another's state reports the same swap rates. */
    @Test
    void restoredTemperingKeepsItsSwapCounts() {
        float[] v = {1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0};
        RbmOptions o = RbmOptions.builder().hidden(2).method(TrainingMethod.PT).replicas(3).chains(4).batchSize(3)
                .epochs(3).build();
        try (Rbm a = Rbm.zeros(backend, VisibleType.BERNOULLI, 3, 2); Rbm b = Rbm.zeros(backend, VisibleType.BERNOULLI,
                3, 2); org.ebm4j.tensor.Tensor d = backend.fromArray(v, 6, 3);
             RbmTrainer ta = new RbmTrainer(a, o, d); RbmTrainer tb = new RbmTrainer(b, o, d)) {
            RbmTrainer.initialize(a, o, d);
            ta.trainEpoch(java.util.List.of());
            ta.trainEpoch(java.util.List.of());
            assertTrue(ta.tempering() != null);
            tb.restore(ta.state());
            assertEquals(ta.swapRates(), tb.swapRates());
            assertEquals(2, ta.swapRates().size());
            assertTrue(ta.swapRates().values().stream().allMatch(r -> r > 0), "swaps happened: " + ta.swapRates());
        }
    }
}
