package org.ebm4j.conditional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.PlainLosses;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConditionalModelTest {

    static Dataset blobs() {
        int[] labels = new int[CollapseTest.N];
        float[] x = CollapseTest.blobs(labels);
        return new Dataset("three blobs", CollapseTest.N, 2, x, labels, 0, 0);
    }

    @Test
    void fitTrainsSavesAndLoadsBackTheSameEnergies(@TempDir Path dir) throws Exception {
        Backend b = new ReferenceBackend();
        Dataset data = blobs();
        ConditionalOptions o = ConditionalOptions.builder().loss("nll").latentValues(2).latentBeta(2)
                .layers("16:softplus").learningRate(0.02).epochs(15).batchSize(25).seed(4).build();
        List<EpochReport> reports = new ArrayList<>();
        TrainingListener l = TrainingListener.forReports(reports::add);
        try (ConditionalModel m = ConditionalModel.fit(b, data, 3, o, Checkpointing.none(), l)) {
            assertEquals(15, reports.size());
            assertTrue(reports.get(14).metrics().containsKey("train_error"), reports.get(14).metrics().toString());
            // The blobs are 2 / 0.4 = 5 standard deviations from the origin and 4.3 apart: a trained model
            // errs on a handful of points at most.
            assertTrue(m.errorRate(data) < 0.05, "error " + m.errorRate(data));
            Path p = dir.resolve("c.ebm");
            m.save(p);
            try (ConditionalModel back = ConditionalModel.load(p, b)) {
                assertArrayEquals(m.energies(data), back.energies(data), 0);
                assertEquals(o, ConditionalOptions.fromMap(back.provenance().options()));
                assertEquals(2, back.energy().latentValues());
                assertEquals(2.0, back.energy().latent().beta());
            }
        }
    }

    @Test
    void unlabelledDataAndForeignFilesAreRefused(@TempDir Path dir) throws Exception {
        Backend b = new ReferenceBackend();
        Dataset plain = Dataset.of("unlabelled", 2, 2, new float[4]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConditionalModel.fit(b, plain, 3, ConditionalOptions.builder().build(), Checkpointing.none()));
        assertTrue(e.getMessage().contains("no labels"), e.getMessage());
        Path p = dir.resolve("other.ebm");
        new org.ebm4j.io.ModelFile().putMetadata("model", "rbm").write(p);
        ModelFormatException f = assertThrows(ModelFormatException.class, () -> ConditionalModel.load(p, b));
        assertTrue(f.getMessage().contains("'rbm'") && f.getMessage().contains(ConditionalModel.KIND), f.getMessage());
    }
    /**
     * The held-out rows' loss per row and error, reported after the last epoch, against the final model's
     * energies run through the hinge written out in {@link PlainLosses} (the held-out rows come in chunks of
     * a batch: 30 rows in batches of 8); errorRate and predict against the argmin of those energies.
     */
    @Test
    void heldOutMetricsAndErrorRatesAreCountedFromTheEnergies() {
        Backend b = new ReferenceBackend();
        Dataset blobs = blobs();
        int held = 30;
        // relabel two thirds of the held-out rows so that the error counts are far from 0
        int[] labels = blobs.labels().clone();
        for (int i = labels.length - held; i < labels.length; i++) {
            labels[i] = (labels[i] + i) % 3;
        }
        Dataset data = new Dataset("three blobs, held-out rows relabelled", blobs.rows(), 2, blobs.values(), labels, 0, 0);
        ConditionalOptions o = ConditionalOptions.builder().loss("hinge").margin(0.5).layers("8:softplus")
                .learningRate(0.02).epochs(2).batchSize(8).holdout(held).seed(7).build();
        List<EpochReport> reports = new ArrayList<>();
        TrainingListener l = TrainingListener.forReports(reports::add);
        Dataset heldOut = data.slice(data.rows() - held, data.rows());
        try (ConditionalModel m = ConditionalModel.fit(b, data, 3, o, Checkpointing.none(), l)) {
            double[] e = m.energies(heldOut);
            assertEquals(held * 3, e.length);
            double loss = 0;
            int wrong = 0;
            int[] argmin = new int[held];
            for (int i = 0; i < held; i++) {
                int y = heldOut.labels()[i];
                double[] others = new double[2];
                for (int k = 0, j = 0; k < 3; k++) {
                    if (k != y) {
                        others[j++] = e[i * 3 + k];
                    }
                    argmin[i] = e[i * 3 + k] < e[i * 3 + argmin[i]] ? k : argmin[i];
                }
                loss += PlainLosses.of("hinge", 0.5, 1, e[i * 3 + y], others);
                wrong += argmin[i] != y ? 1 : 0;
            }
            assertTrue(wrong > 10, "wrong " + wrong);
            Map<String, Double> last = reports.get(reports.size() - 1).metrics();
            assertEquals(loss / held, last.get(ConditionalModel.HELDOUT_METRIC), 1e-5);
            assertEquals((double) wrong / held, last.get(ConditionalModel.HELDOUT_ERROR), 0);
            assertArrayEquals(argmin, m.predict(heldOut));
            assertEquals((double) wrong / held, m.errorRate(heldOut), 0);
            assertEquals("unlabelled has no labels to compare the predictions with", assertThrows(
                    IllegalArgumentException.class, () -> m.errorRate(Dataset.of("unlabelled", 1, 2, new float[2])))
                    .getMessage());
            m.close();
            assertThrows(IllegalStateException.class, () -> m.predict(heldOut));
            assertThrows(IllegalStateException.class, () -> m.energies(heldOut));
        }
    }
}
