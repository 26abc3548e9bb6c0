package org.ebm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ebm4j.data.Dataset;
import org.ebm4j.dbn.ClassificationResult;
import org.ebm4j.dbn.Classifier;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DBM unrolled into a classifier with inputs {@code [v, q(h2 | v)]}, then fine-tuned;
 * {@link NoLeakedTensors} fails a classifier that leaves its network or its own DBM open.
 */
@ExtendWith(NoLeakedTensors.class)
class DbmClassifierTest {
    /** The two-mode rows of {@link DbmFitTest#modes}, labelled by their mode (1 when the left half is mostly on). */
    private static Dataset labelled(String name, int n, long seed) {
        Dataset d = DbmFitTest.modes(name, n, seed);
        int[] labels = new int[n];
        float[] v = d.values();
        for (int r = 0; r < n; r++) {
            labels[r] = v[r * 6] + v[r * 6 + 1] + v[r * 6 + 2] >= 2 ? 1 : 0;
        }
        return new Dataset(name, n, 6, v, labels, 0, 0);
    }

    private static DbnOptions finetune() {
        return DbnOptions.builder().hiddenLayers(4, 3).classes(2).finetuneEpochs(20).finetuneLearningRate(0.1)
                .initWeightStd(0.1).seed(5).build();
    }

    @Test
    void unrolledNetworkTakesTheDbmsWeightsWithW2TransposedForTheAugmentedInput() {
        DbmParameters p = BruteForceDbm.random(new int[] {6, 4, 3}, 1.0, 3);
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, p);
             Classifier net = DbmClassifier.unrolled(dbm, finetune())) {
            assertEquals(List.of(9, 4, 3, 2), Arrays.stream(net.sizes()).boxed().toList());
            float[] first = net.weights(0).toArray();
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < 6; i++) {
                    assertEquals(p.weight(1, i, j), first[i * 4 + j]);
                }
                for (int k = 0; k < 3; k++) {
                    assertEquals(p.weight(2, j, k), first[(6 + k) * 4 + j]);
                }
            }
            assertEquals(Arrays.toString(p.weights().get(1)), Arrays.toString(net.weights(1).toArray()));
            assertEquals(Arrays.toString(p.biases().get(1)), Arrays.toString(net.bias(0).toArray()));
            assertEquals(Arrays.toString(p.biases().get(2)), Arrays.toString(net.bias(1).toArray()));
            // The new softmax layer: N(0, init_std^2) draws of its own stream under the fine-tuning seed.
            try (Tensor w = b.allocate(3, 2)) {
                b.sampler().fillNormal(w, 0f, 0.1f, StreamId.DBM_FINETUNE_INIT.open(5));
                assertEquals(Arrays.toString(w.toArray()), Arrays.toString(net.weights(2).toArray()));
            }
        }
    }

    @Test
    void fineTunedClassifierSeparatesTheModes() {
        List<Double> losses = new ArrayList<>();
        TrainingListener loss = TrainingListener.forReports(report -> losses.add(report.metrics().get("train_loss")));
        Dataset train = labelled("train", 300, 1);
        Dataset test = labelled("test", 200, 2);
        try (Backend b = new ReferenceBackend();
             Dbm dbm = Dbm.fit(b, DbmFitTest.modes("unlabelled", 300, 1), DbmFitTest.small().build(),
                     Checkpointing.none());
             DbmClassifier c = DbmClassifier.fit(dbm, train, finetune(), MeanField.precise(), loss)) {
            assertEquals(20, losses.size());
            for (double l : losses) {
                // The mean cross-entropy of two classes: positive, and below 1 nat from a start near log 2 = 0.69.
                assertTrue(l > 0 && l < 1, "train_loss " + l);
            }
            // The classifier's provenance carries the DBM's under "dbm.".
            assertEquals("unlabelled", c.provenance().get("dbm.data.source"));
            assertEquals("train", c.provenance().get("data.source"));
            ClassificationResult r = c.evaluate(test);
            // Chance is 50%; a row is mislabelled by its own majority only when 2 of its 3 left pixels flip
            // (probability 3 * 0.05^2 = 0.7%), so a working classifier errs on few rows.
            assertTrue(r.errorRate() < 0.05, "test error " + r.errorRate());
            assertEquals(200, c.predict(test).length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DbmClassifier.fit(dbm, DbmFitTest.modes("plain", 10, 3), finetune(), MeanField.precise()));
            assertTrue(e.getMessage().contains("plain has no labels"), e.getMessage());
        }
    }

    @Test
    void savedClassifierReadsBackWithItsDbmMeanFieldAndOptions(@TempDir Path dir) throws Exception {
        Dataset train = labelled("train", 100, 1);
        Dataset test = labelled("test", 50, 2);
        MeanField mf = new MeanField(1e-3, 7, 0.25);
        Path file = dir.resolve("c.ebm");
        Path dbmFile = dir.resolve("dbm.ebm");
        DbnOptions options = DbnOptions.builder().hiddenLayers(4, 3).classes(2).finetuneEpochs(3).seed(5).build();
        int[] predicted;
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, BruteForceDbm.random(new int[] {6, 4, 3}, 1.0, 3));
             DbmClassifier c = DbmClassifier.fit(dbm, train, options, mf)) {
            predicted = c.predict(test);
            c.save(file);
            dbm.save(dbmFile);
            ClassificationResult before = c.evaluate(test);
            try (DbmClassifier back = DbmClassifier.load(file, b)) {
                assertEquals(mf, back.meanField());
                assertEquals(Arrays.toString(predicted), Arrays.toString(back.predict(test)));
                assertEquals(before.errors(), back.evaluate(test, 7).errors());
                assertEquals(dbm.parameters(), back.dbm().parameters());
                for (int i = 0; i < 3; i++) {
                    assertEquals(Arrays.toString(c.network().weights(i).toArray()),
                            Arrays.toString(back.network().weights(i).toArray()));
                }
                // The provenance holds the fine-tuning options exactly, so the same call can be made again.
                assertEquals(options, DbnOptions.fromMap(back.provenance().options()));
                assertEquals("train", back.provenance().get("data.source"));
            }
            // A label outside the classes and data of the wrong width are refused, each in one line.
            Dataset bad = new Dataset("bad", 2, 6, new float[12], new int[] {0, 2}, 0, 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DbmClassifier.fit(dbm, bad, options, mf));
            assertEquals("bad: label 2 of row 1 is outside [0, 2) (classes 2)", e.getMessage());
            Dataset wide = new Dataset("wide", 1, 7, new float[7], new int[] {0}, 0, 0);
            e = assertThrows(IllegalArgumentException.class, () -> DbmClassifier.fit(dbm, wide, options, mf));
            assertEquals("wide has 7 columns but the DBM has 6 visible units", e.getMessage());
        }
        try (Backend b = new ReferenceBackend()) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> DbmClassifier.load(dbmFile, b));
            assertTrue(e.getMessage().contains("holds a 'dbm' model, expected a DBM classifier ('dbm-classifier')"),
                    e.getMessage());
            e = assertThrows(ModelFormatException.class, () -> Dbm.load(file, b));
            assertTrue(e.getMessage().contains("holds a 'dbm-classifier' model, expected a DBM ('dbm')"), e.getMessage());
        }
    }

    /**
     * The network's input rows are each binarized data row followed by its mean-field {@code q(h2 | v)};
     * a fit whose listener fails closes its network, and closing a fitted classifier leaves the DBM it was
     * given open (a loaded one closes its own).
     */
    @Test
    void inputsAreTheRowsWithTheirSecondLayerPosteriors() {
        DbmParameters p = BruteForceDbm.random(new int[] {6, 4, 3}, 1.5, 9);
        Dataset train = labelled("train", 20, 3);
        MeanField mf = new MeanField(1e-6, 50, 0);
        DbnOptions options = DbnOptions.builder().hiddenLayers(4, 3).classes(2).finetuneEpochs(2).seed(5).build();
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, p)) {
            TrainingListener failing = new TrainingListener() {
                @Override
                public void onEpochEnd(int epoch, double learningRate, double seconds) {
                    throw new IllegalStateException("stop");
                }
            };
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DbmClassifier.fit(dbm, train, options, mf, failing));
            assertEquals("stop", e.getMessage());
            DbmClassifier c = DbmClassifier.fit(dbm, train, options, mf);
            float[] q = dbm.features(train, 2, mf);
            float[] v = train.values();
            try (var x = c.inputs(train)) {
                float[] got = x.toArray();
                assertEquals(20 * 9, got.length);
                for (int r = 0; r < 20; r++) {
                    for (int i = 0; i < 6; i++) {
                        assertEquals(v[r * 6 + i], got[r * 9 + i], "row " + r + " visible " + i);
                    }
                    for (int k = 0; k < 3; k++) {
                        assertEquals(q[r * 3 + k], got[r * 9 + 6 + k], "row " + r + " q(h2) " + k);
                    }
                }
            }
            c.close();
            assertEquals(p, dbm.parameters(), "the DBM it was given stays open");
        }
    }
}
