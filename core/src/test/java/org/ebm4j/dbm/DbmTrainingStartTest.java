package org.ebm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.Provenance;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.CheckpointWriter;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Dbm#fit} starts from and records: the random start or the composition of the pretrained
 * RBMs (seen after training at a rate of 1e-30, whose updates of about 1e-31 leave every parameter of
 * order 0.01 or more unchanged in float), the stream positions in the provenance and checkpoints, the
 * centering offsets the model keeps, and the held-out metric of a model too large to enumerate.
 */
@ExtendWith(NoLeakedTensors.class)
class DbmTrainingStartTest {
    private static final int[] SIZES = {6, 4, 3, 2};
    private static final double TINY = 1e-30;

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double logit(double m) {
        return Math.log(m / (1 - m));
    }

    private static DbmOptions.Builder still(int pretrainEpochs) {
        return DbmFitTest.small().hidden(SIZES[1], SIZES[2], SIZES[3]).pretrainEpochs(pretrainEpochs)
                .pretrainLearningRate(TINY).learningRate(TINY).epochs(1);
    }

    /** {@code rows x cols} row-major in double. */
    private static double[] columnMeans(double[] x, int rows, int cols) {
        double[] m = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                m[j] += x[r * cols + j] / rows;
            }
        }
        return m;
    }

    /** {@code sigmoid(2 x W)}: the doubled upward probabilities a lower RBM (hidden biases 0) passes up. */
    private static double[] up(double[] x, int rows, float[] w, int in, int out) {
        double[] p = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double s = 0;
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * w[i * out + j];
                }
                p[r * out + j] = sigmoid(2 * s);
            }
        }
        return p;
    }

    /**
     * Without pretraining the weights are {@code N(0, init_std^2)} draws of {@link StreamId#DBM_INIT} (stream
     * {@code l - 1} for {@code W_l}), the visible biases the log-odds of the data's means, the others 0.
     * With pretraining each RBM starts from the same weights, its lower biases the log-odds of its input's
     * means, its upper 0; the RBM of layer {@code l > 1} learns from {@code sigmoid(2 x W)} of the layer
     * below, and the composed DBM takes each intermediate bias as the mean of its two RBMs' biases.
     */
    @Test
    void theStartIsTheRandomOneOrTheComposedPretrainedRbms() {
        Dataset data = DbmFitTest.modes("modes", 40, 8);
        int n = data.rows();
        double[] v = new double[n * SIZES[0]];
        float[] raw = data.values();
        for (int i = 0; i < v.length; i++) {
            v[i] = raw[i];
        }
        try (Backend b = new ReferenceBackend()) {
            float[][] w = new float[SIZES.length][];
            for (int l = 1; l < SIZES.length; l++) {
                try (Tensor t = b.allocate(SIZES[l - 1], SIZES[l])) {
                    b.sampler().fillNormal(t, 0f, 0.1f, StreamId.DBM_INIT.open(7, l - 1));
                    w[l] = t.toArray();
                }
            }
            double[] m0 = columnMeans(v, n, SIZES[0]);
            double[] p1 = up(v, n, w[1], SIZES[0], SIZES[1]);
            double[] m1 = columnMeans(p1, n, SIZES[1]);
            double[] m2 = columnMeans(up(p1, n, w[2], SIZES[1], SIZES[2]), n, SIZES[2]);
            for (int pretrain = 0; pretrain <= 1; pretrain++) {
                try (Dbm dbm = Dbm.fit(b, data, still(pretrain).build(), Checkpointing.none())) {
                    DbmParameters p = dbm.parameters();
                    for (int l = 1; l < SIZES.length; l++) {
                        assertArrayEquals(w[l], p.weights().get(l - 1), 1e-7f, "W" + l + " pretrain " + pretrain);
                    }
                    for (int j = 0; j < SIZES[0]; j++) {
                        assertEquals(logit(m0[j]), p.biases().get(0)[j], 1e-5, "b0 unit " + j);
                    }
                    for (int j = 0; j < SIZES[1]; j++) {
                        assertEquals(pretrain == 0 ? 0 : logit(m1[j]) / 2, p.biases().get(1)[j], 1e-5, "b1 unit " + j);
                    }
                    for (int j = 0; j < SIZES[2]; j++) {
                        assertEquals(pretrain == 0 ? 0 : logit(m2[j]) / 2, p.biases().get(2)[j], 1e-5, "b2 unit " + j);
                    }
                    assertArrayEquals(new float[SIZES[3]], p.biases().get(3), 1e-20f, "b3");
                }
            }
        }
    }

    /** The model binarizes its training data first: its means, and so its visible biases, are of the 0/1 values. */
    @Test
    void trainingDataAreBinarizedBeforeTheirMeansAreTaken() {
        Dataset modes = DbmFitTest.modes("modes", 30, 9);
        float[] graded = modes.values();
        double[] binary = new double[graded.length];
        for (int i = 0; i < graded.length; i++) {
            binary[i] = graded[i];
            graded[i] = graded[i] == 1 ? 0.8f : 0.2f;
        }
        double[] m = columnMeans(binary, 30, SIZES[0]);
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.fit(b, Dataset.of("graded", 30, 6, graded),
                still(0).binarization(Binarization.fixed(0.5f)).build(), Checkpointing.none())) {
            float[] means = dbm.visibleMeans();
            for (int j = 0; j < SIZES[0]; j++) {
                assertEquals(m[j], means[j], 1e-6, "mean " + j);
                assertEquals(logit(m[j]), dbm.parameters().biases().get(0)[j], 1e-5, "b0 " + j);
            }
        }
    }

    @Test
    void aModelTooLargeForTheHeapIsRefusedBeforeAnyWork() {
        Dataset data = DbmFitTest.modes("modes", 10, 1);
        try (Backend b = new ReferenceBackend()) {
            SettingException e = assertThrows(SettingException.class, () -> Dbm.fit(b, data,
                    DbmFitTest.small().hidden(200_000, 200_000).build(), Checkpointing.none()));
            assertEquals("hidden", e.setting());
        }
    }

    /**
     * Each stage records where its streams stand, pretraining under {@code layer<l>.}: the sampling stream
     * takes one draw per layer and sweep, one sweep per update (k = 1) and two updates per epoch (40 rows in
     * batches of 20); so 1 x 2 x 2 draws for each pretraining RBM and 2 x 2 x 4 for joint training's two
     * epochs. A checkpoint written after the last epoch records the same positions.
     */
    @Test
    void provenanceAndCheckpointsRecordTheStreamPositions(@TempDir Path dir) throws IOException {
        Dataset data = DbmFitTest.modes("modes", 40, 10);
        Path ckpt = dir.resolve("ckpt.ebm");
        DbmOptions o = still(1).epochs(2).k(1).batchSize(20).build();
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.fit(b, data, o, Checkpointing.every(ckpt, 1))) {
            Map<String, Long> draws = dbm.provenance().draws();
            for (int l = 1; l <= 3; l++) {
                assertEquals(4L, draws.get("layer" + l + ".dbm_pretrain_sampling"), "layer " + l);
            }
            assertEquals(16L, draws.get("dbm_sampling"));
            Map<String, Long> saved = Provenance.fromMetadata(CheckpointWriter.read(ckpt).model().metadata()).draws();
            assertEquals(16L, saved.get("dbm_sampling"));
            assertEquals(draws, saved);
        }
        // Without checkpoints or safety snapshots the positions are still taken when training ends.
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.fit(b, data, o.toBuilder().maxRollbacks(0).build(),
                Checkpointing.none())) {
            assertEquals(16L, dbm.provenance().draws().get("dbm_sampling"));
        }
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.fit(b, data, still(0).build(), Checkpointing.none())) {
            assertEquals(List.of(), dbm.provenance().draws().keySet().stream().filter(k -> k.startsWith("layer"))
                    .toList(), "no pretraining, no pretraining streams");
        }
    }

    /**
     * A centered run that watches nothing keeps the offsets its trainer ends with, whether or not it wrote
     * checkpoints on the way (which read the same offsets); they have moved from the hidden layers' start
     * at 1/2.
     */
    @Test
    void anUnwatchedCenteredRunKeepsTheOffsetsTrainingLeft(@TempDir Path dir) {
        Dataset data = DbmFitTest.modes("modes", 40, 11);
        DbmOptions o = DbmFitTest.small().epochs(3).centering(true).maxRollbacks(0).build();
        try (Backend b = new ReferenceBackend(); Dbm quiet = Dbm.fit(b, data, o, Checkpointing.none());
             Dbm saving = Dbm.fit(b, data, o, Checkpointing.every(dir.resolve("c.ebm"), 1))) {
            List<float[]> a = quiet.centeredParameters().orElseThrow().offsets();
            List<float[]> c = saving.centeredParameters().orElseThrow().offsets();
            for (int l = 0; l < 3; l++) {
                assertArrayEquals(c.get(l), a.get(l), "offset " + l);
            }
            for (int l = 1; l < 3; l++) {
                for (float x : a.get(l)) {
                    assertNotEquals(0.5f, x, "layer " + l + " offsets moved");
                }
            }
        }
    }

    /**
     * The held-out metric of a DBM with 23 visible and 2 top units (25 even units: beyond enumeration) is the
     * variational bound with an AIS {@code log Z} (the fixed 100 runs of 1,000 temperatures: about a second);
     * without weights, with the visible biases the log-odds of the base rates and no bias on the even hidden
     * layer, both are exact, and {@code log p(v) = b0 . v - sum softplus(b0)}.
     */
    @Test
    void theHeldOutMetricOfALargeModelIsTheBoundWithAnAisLogPartition() {
        int nv = 23;
        float[] means = new float[nv];
        float[] b0 = new float[nv];
        for (int i = 0; i < nv; i++) {
            means[i] = 0.1f + 0.03f * i;
            b0[i] = (float) logit(means[i]);
        }
        DbmParameters p = new DbmParameters(new int[] {nv, 1, 2}, List.of(new float[nv], new float[2]),
                List.of(b0, new float[] {0.5f}, new float[2]));
        float[] rows = new float[2 * nv];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (i * 7) % 3 == 0 ? 1 : 0;
        }
        double expected = 0;
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < nv; i++) {
                expected += (rows[r * nv + i] * b0[i] - Math.log1p(Math.exp(b0[i]))) / 2;
            }
        }
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, new DbmModelFile(p, Binarization.none(), means,
                Map.of()))) {
            assertEquals(false, DbmExact.feasible(p));
            double got = DbmTraining.heldOutLogLikelihood(dbm, Dataset.of("held", 2, nv, rows), DbmFitTest.small()
                    .build());
            // Float sums over 1,000 temperatures: 1e-3 nats.
            assertEquals(expected, got, 1e-3);
        }
    }
}
