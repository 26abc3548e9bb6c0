package org.ebm4j.dbn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.Provenance;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.rbm.TrainingMethod;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.PhaseRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Dbn#fit} end to end on a small labelled problem: the round trip through a model file,
 * the operations of the trained model, the provenance, and resumption in either phase giving
 * exactly the uninterrupted result.
 */
@ExtendWith(NoLeakedTensors.class)
class DbnFitTest {
    private static final int CLASSES = 4;
    private static final int D = 16;

    /**
     * {@code n} rows of 16 binary pixels: class {@code c} lights pixels {@code 4c..4c+3}, and every
     * pixel is flipped with probability 0.1, so the classes stay far apart (4 lit pixels against
     * about 1.6 flipped ones).
     */
    static Dataset blocks(String name, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * D];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            labels[r] = rnd.nextInt(CLASSES);
            for (int j = 0; j < D; j++) {
                boolean lit = j / 4 == labels[r];
                x[r * D + j] = lit != (rnd.nextDouble() < 0.1) ? 1f : 0f;
            }
        }
        return new Dataset(name, n, D, x, labels, 4, 4);
    }

    static DbnOptions.Builder small() {
        return DbnOptions.builder().hiddenLayers(12, 8).classes(CLASSES).method(TrainingMethod.PCD).chains(10)
                .pretrainEpochs(10).pretrainBatchSize(10).sampleInputs(true).finetuneEpochs(10).finetuneBatchSize(10)
                .finetuneLearningRate(0.1).seed(11);
    }

    static void assertSameParameters(Dbn a, Dbn b) {
        DbnModelFile fa = a.toDbnModelFile();
        DbnModelFile fb = b.toDbnModelFile();
        assertEquals(fa.stack(), fb.stack(), "RBM parameters");
        assertTrue(Arrays.deepEquals(fa.netWeights(), fb.netWeights()), "classifier weights");
        assertTrue(Arrays.deepEquals(fa.netBiases(), fb.netBiases()), "classifier biases");
        assertEquals(fa.pretrainedLayers(), fb.pretrainedLayers());
    }

    @Test
    void fitsSavesLoadsAndClassifiesWellAboveChance(@TempDir Path dir) throws IOException {
        Dataset train = blocks("train", 240, 1);
        Dataset test = blocks("test", 120, 2);
        DbnOptions options = small().build();
        PhaseRecorder rec = new PhaseRecorder("", 0);
        Path file = dir.resolve("dbn.ebm");
        try (Backend b = new ReferenceBackend(); Dbn dbn = Dbn.fit(b, train, test, options, Checkpointing.none(), rec)) {
            assertEquals(List.of("pretrain0", "pretrain1", "finetune-1"), rec.phases);
            assertEquals(10 + 10 + 10, rec.reports.size());
            EpochReport last = rec.reports.get(rec.reports.size() - 1);
            assertEquals(10, last.epoch());
            assertTrue(last.metrics().containsKey("train_loss") && last.metrics().containsKey("heldout_error"),
                    last.metrics().toString());
            assertTrue(dbn.isFineTuned());
            assertEquals(2, dbn.pretrainedLayers());
            ClassificationResult r = dbn.evaluate(test);
            // Chance is 75% error; the classes are separable, so a working DBN is far below it.
            assertTrue(r.errorRate() < 0.1, "test error " + r.errorRate());
            assertEquals(r.errorRate(), last.metrics().get("heldout_error"), 0.0, "the last report's held-out error");

            Provenance p = dbn.provenance();
            assertEquals("dbn", p.get("model"));
            assertEquals(new java.util.TreeMap<>(options.toMap()), p.options());
            assertEquals(options, DbnOptions.fromMap(p.options()));
            assertEquals(train.sha256(), p.get("data.sha256"));
            assertEquals("240", p.get("data.rows"));
            assertEquals("11", p.get("seed"));
            assertEquals(b.name(), p.get("backend"));
            assertEquals(Provenance.libraryVersion(), p.get("ebm4j_version"));
            assertEquals(Provenance.jvm(), p.get("jvm"));
            assertNotNull(p.get("draw.finetune.shuffle"));
            assertNotNull(p.get("draw.layer1.sampling"));

            dbn.save(file);
            try (Dbn loaded = Dbn.load(file, b)) {
                assertSameParameters(dbn, loaded);
                assertEquals(p, loaded.provenance());
                assertArrayEquals(dbn.predict(test), loaded.predict(test));
                assertArrayEquals(dbn.transform(test).values(), loaded.transform(test).values());
                assertArrayEquals(dbn.sample(5, 3, 7), loaded.sample(5, 3, 7));
            }
            Dataset features = dbn.transform(test);
            assertEquals(8, features.cols());
            assertArrayEquals(test.labels(), features.labels());
            try (Tensor v = test.toTensor(b); Tensor h = dbn.upPass(v, 2)) {
                assertArrayEquals(h.toArray(), features.values());
            }
            float[] s = dbn.sample(6, 4, 3);
            assertEquals(6 * D, s.length);
            for (float x : s) {
                assertTrue(x >= 0 && x <= 1, "a Bernoulli visible mean in [0, 1]: " + x);
            }
            assertFalse(Arrays.equals(s, dbn.sample(6, 4, 4)), "another seed, other samples");
        }
    }

    /** Stopped in pretraining or in fine-tuning, the resumed run ends where the uninterrupted one does. */
    @ParameterizedTest
    @CsvSource({"pretrain1, 1", "finetune-1, 2"})
    void resumingEqualsTheUninterruptedRun(String phase, int epoch, @TempDir Path dir) throws IOException {
        Dataset train = blocks("train", 150, 3);
        Dataset test = blocks("test", 50, 4);
        DbnOptions options = small().build();
        Path ckpt = dir.resolve("checkpoint.ebm");
        try (Backend b = new ReferenceBackend();
             Dbn straight = Dbn.fit(b, train, test, options, Checkpointing.none());
             Dbn resumed = PhaseRecorder.stopAndResume(phase, epoch, 10 + 10 + 10,
                     first -> Dbn.fit(b, train, test, options, Checkpointing.every(ckpt, 1), first),
                     rec -> Dbn.resume(ckpt, train, test, null, b, Checkpointing.every(ckpt, 1), rec))) {
            assertSameParameters(straight, resumed);
            assertEquals(straight.provenance(), resumed.provenance());
        }
    }

    @Test
    void aResumedRunMayTrainLongerThanFirstPlanned(@TempDir Path dir) throws IOException {
        Dataset train = blocks("train", 100, 5);
        Path ckpt = dir.resolve("checkpoint.ebm");
        DbnOptions four = small().finetuneEpochs(4).build();
        try (Backend b = new ReferenceBackend();
             Dbn straight = Dbn.fit(b, train, four, Checkpointing.none());
             Dbn two = Dbn.fit(b, train, small().finetuneEpochs(2).build(), Checkpointing.every(ckpt, 1));
             Dbn resumed = Dbn.resume(ckpt, train, null, four, b, Checkpointing.none())) {
            assertSameParameters(straight, resumed);
        }
    }

    @Test
    void resumingRefusesOtherDataAndOtherOptions(@TempDir Path dir) throws IOException {
        Dataset train = blocks("train", 60, 6);
        Path ckpt = dir.resolve("checkpoint.ebm");
        DbnOptions options = small().finetuneEpochs(1).build();
        try (Backend b = new ReferenceBackend(); Dbn ignored = Dbn.fit(b, train, options, Checkpointing.every(ckpt, 1))) {
            Dataset other = blocks("other", 60, 7);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Dbn.resume(ckpt, other, b, Checkpointing.none()));
            assertTrue(e.getMessage().contains("is not the data") && e.getMessage().contains(train.sha256()),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Dbn.resume(ckpt, train, null,
                    options.toBuilder().finetuneLearningRate(0.2).build(), b, Checkpointing.none()));
            assertTrue(e.getMessage().contains("option finetune_lr is 0.1") && e.getMessage().contains("0.2 here"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Dbn.resume(ckpt, train, null,
                    options.toBuilder().pretrainEpochs(3, 2).build(), b, Checkpointing.none()));
            assertTrue(e.getMessage().contains("pretrain_epochs of layer 0 is 10"), e.getMessage());
        }
    }

    /** With a decaying rate every epoch's rate depends on the epoch count, so a resume may not change it. */
    @Test
    void resumingWithADecayingRateKeepsTheEpochs(@TempDir Path dir) throws IOException {
        Dataset train = blocks("train", 60, 6);
        Path ckpt = dir.resolve("checkpoint.ebm");
        DbnOptions options = small().pretrainEpochs(1).finetuneEpochs(2)
                .finetuneSchedule(LearningRateSchedule.parse("linear:0.01")).build();
        try (Backend b = new ReferenceBackend(); Dbn ignored = Dbn.fit(b, train, options, Checkpointing.every(ckpt, 1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dbn.resume(ckpt, train, null,
                    options.toBuilder().finetuneEpochs(4).build(), b, Checkpointing.none()));
            assertTrue(e.getMessage().startsWith("option finetune_epochs is 2 in " + ckpt + " but 4 here; with "
                    + "finetune_lr_schedule "), e.getMessage());
        }
    }

    /** A label outside the classes fails before pretraining: no checkpoint is written. */
    @Test
    void aBadLabelFailsBeforeAnyWork(@TempDir Path tmp) {
        Dataset wrong = new Dataset("wrong", 2, D, new float[2 * D], new int[] {0, CLASSES}, 0, 0);
        Path ckpt = tmp.resolve("checkpoint.ebm");
        try (Backend b = new ReferenceBackend()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dbn.fit(b, wrong,
                    small().build(), Checkpointing.every(ckpt, 1)));
            assertTrue(e.getMessage().startsWith("wrong: label 4 of row 1 is outside [0, 4)"), e.getMessage());
        }
        assertFalse(java.nio.file.Files.exists(ckpt), "nothing written");
    }

    @Test
    void fineTuningNeedsLabelsAndAPretrainedStackNeedsNone() {
        Dataset labelled = blocks("train", 60, 8);
        Dataset unlabelled = Dataset.of("unlabelled", 60, D, labelled.values());
        try (Backend b = new ReferenceBackend()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Dbn.fit(b, unlabelled, small().build(), Checkpointing.none()));
            assertTrue(e.getMessage().contains("unlabelled has no labels"), e.getMessage());
            try (Dbn dbn = Dbn.fit(b, unlabelled, small().finetuneEpochs(0).build(), Checkpointing.none())) {
                assertFalse(dbn.isFineTuned());
                assertEquals(2, dbn.pretrainedLayers());
                IllegalStateException s = assertThrows(IllegalStateException.class, () -> dbn.predict(labelled));
                assertTrue(s.getMessage().contains("no fine-tuned classifier"), s.getMessage());
                assertEquals(8, dbn.transform(unlabelled).cols());
            }
            Dataset wrong = new Dataset("wrong", 2, D, new float[2 * D], new int[] {0, CLASSES}, 0, 0);
            e = assertThrows(IllegalArgumentException.class, () -> Dbn.fit(b, wrong, small().build(),
                    Checkpointing.none()));
            assertTrue(e.getMessage().contains("label 4 of row 1 is outside [0, 4)"), e.getMessage());
        }
    }

    @Test
    void randomInitSkipsPretrainingAndStandardizationIsCarriedByTheModel() {
        Dataset raw = blocks("train", 80, 9);
        float[] scaled = raw.values().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = 10 * scaled[i] + 5;
        }
        Dataset data = raw.withValues("scaled", scaled);
        DbnOptions options = small().visibleType(VisibleType.GAUSSIAN).standardize(true).randomInit(true).build();
        try (Backend b = new ReferenceBackend(); Dbn dbn = Dbn.fit(b, data, options, Checkpointing.none())) {
            assertEquals(0, dbn.pretrainedLayers());
            assertTrue(dbn.isFineTuned());
            assertNotNull(dbn.standardization());
            // transform takes raw data: the same as the up-pass of the standardized rows.
            Dataset std = dbn.standardization().apply(data);
            try (Tensor v = std.toTensor(b); Tensor h = dbn.upPass(v, 1)) {
                assertArrayEquals(h.toArray(), dbn.transform(data, 1).values());
            }
            try (Tensor x = std.toTensor(b)) {
                assertArrayEquals(dbn.classifier().classify(x, 7), dbn.predict(data));
            }
            // sample: every chain starts at the standardized data's column means, runs generate with the
            // DBN_SAMPLE stream, and comes back in the data's units
            int nv = data.cols();
            float[] means = dbn.visibleMeans();
            assertEquals(nv, means.length);
            float[] start = new float[3 * nv];
            for (int i = 0; i < start.length; i++) {
                start[i] = means[i % nv];
            }
            float[] generated;
            try (Tensor s0 = b.fromArray(start, 3, nv)) {
                generated = dbn.generate(s0, 2, StreamId.DBN_SAMPLE.open(9));
            }
            float[] sampled = dbn.sample(3, 2, 9);
            assertEquals(generated.length, sampled.length);
            for (int i = 0; i < sampled.length; i++) {
                float want = generated[i] * dbn.standardization().std()[i % nv] + dbn.standardization().mean()[i % nv];
                assertEquals(want, sampled[i], 0f, "element " + i);
            }
            assertEquals(VisibleType.GAUSSIAN, dbn.visibleType());
            assertEquals(dbn.depth(), dbn.layers().size());
            assertEquals("chains must be >= 1, found 0",
                    assertThrows(IllegalArgumentException.class, () -> dbn.sample(0, 1, 1)).getMessage());
            assertEquals(nv, dbn.sample(1, 0, 1).length);
        }
        try (Backend b = new ReferenceBackend();
             Dbn plain = Dbn.fit(b, raw, small().finetuneEpochs(0).build(), Checkpointing.none())) {
            assertNull(plain.standardization());
        }
    }
}
