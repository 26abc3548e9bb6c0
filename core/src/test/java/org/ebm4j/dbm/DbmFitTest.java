package org.ebm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.PhaseRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** {@link Dbm#fit}, save/load and resume on a tiny DBM whose likelihood is known exactly. */
class DbmFitTest {
    /**
     * {@code n} rows of 6 pixels: half of them {@code 111000}, half {@code 000111}, every pixel flipped
     * with probability 0.05. Independent pixels (all means near 1/2) score about {@code 6 log(1/2) = -4.16}
     * nats; the two-mode source itself {@code -log 2 - 6 H(0.05) = -1.89}.
     */
    static Dataset modes(String name, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * 6];
        for (int i = 0; i < n; i++) {
            boolean left = r.nextBoolean();
            for (int j = 0; j < 6; j++) {
                boolean on = (j < 3) == left;
                v[i * 6 + j] = (on ^ r.nextDouble() < 0.05) ? 1f : 0f;
            }
        }
        return Dataset.of(name, n, 6, v);
    }

    static DbmOptions.Builder small() {
        return DbmOptions.builder().hidden(4, 3).binarization(Binarization.none()).pretrainEpochs(3)
                .pretrainLearningRate(0.1).epochs(4).learningRate(0.05).momentum(0.5).batchSize(20).chains(20)
                .initWeightStd(0.1).seed(7);
    }

    @Test
    void trainingLearnsTheTwoModesFarBetterThanIndependentPixels() {
        Dataset data = modes("modes", 400, 1);
        DbmOptions o = small().pretrainEpochs(10).epochs(40).learningRate(0.05).build();
        PhaseRecorder rec = new PhaseRecorder("", 0);
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.fit(b, data, o, Checkpointing.none(), rec)) {
            assertEquals(List.of("pretrain1", "pretrain2", "joint0"), rec.phases);
            assertEquals(10 + 10 + 40, rec.reports.size());
            double sweeps = rec.reports.get(rec.reports.size() - 1).metrics().get("mf_sweeps");
            assertTrue(sweeps >= 1 && sweeps <= o.meanField().maxIterations(), "mf_sweeps " + sweeps);
            double ll = dbm.exactLogLikelihood(data);
            // Independent pixels cannot beat -4.16 nats on these data (their means are all near 1/2), the
            // source scores -1.89: a DBM that captured the two modes lies well between.
            assertTrue(ll > -3.0, "exact log-likelihood " + ll);
            double bound = dbm.variationalBound(data, dbm.exactLogPartition(), MeanField.precise());
            assertTrue(bound <= ll + 1e-4 && bound > ll - 1.0, "bound " + bound + " vs log-likelihood " + ll);
            assertEquals("modes", dbm.provenance().get("data.source"));
            assertEquals(o, DbmOptions.fromMap(dbm.provenance().options()));
        }
    }

    @Test
    void threeHiddenLayersPretrainAndTrainJointly() {
        Dataset data = modes("modes", 400, 6);
        // Pretraining by PCD needs a modest rate and enough chains on these tiny layers: at rate 0.1 with
        // 20 chains the RBMs oscillate and the composed DBM can start below independent pixels.
        DbmOptions o = small().hidden(4, 3, 2).pretrainEpochs(20).pretrainLearningRate(0.02).chains(100)
                .epochs(20).learningRate(0.01).build();
        PhaseRecorder rec = new PhaseRecorder("", 0);
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.fit(b, data, o, Checkpointing.none(), rec)) {
            assertEquals(List.of("pretrain1", "pretrain2", "pretrain3", "joint0"), rec.phases);
            assertEquals(3, dbm.depth());
            double ll = dbm.exactLogLikelihood(data);
            // Independent pixels: -4.16 nats; the source: -1.89.
            assertTrue(ll > -2.5, "exact log-likelihood " + ll);
        }
    }

    @Test
    void savedModelLoadsBackBitForBit(@TempDir Path dir) throws IOException {
        Dataset data = modes("modes", 60, 2);
        Path file = dir.resolve("model.ebm");
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.fit(b, data, small().build(), Checkpointing.none())) {
            dbm.save(file);
            try (Dbm back = Dbm.load(file, b)) {
                assertEquals(dbm.parameters(), back.parameters());
                assertEquals(dbm.provenance(), back.provenance());
                assertEquals(dbm.binarization(), back.binarization());
                assertArrayEquals(dbm.visibleMeans(), back.visibleMeans());
                assertArrayEquals(dbm.sample(5, 3, 1).values(), back.sample(5, 3, 1).values());
                assertArrayEquals(dbm.features(data, 2, MeanField.precise()),
                        back.features(data, 2, MeanField.precise()));
            }
        }
    }

    /** Stopped in pretraining or in joint training, the resumed run ends where the uninterrupted one does. */
    @ParameterizedTest
    @CsvSource({"pretrain2, 1", "joint0, 2"})
    void resumingEqualsTheUninterruptedRun(String phase, int epoch, @TempDir Path dir) throws IOException {
        Dataset data = modes("modes", 90, 3);
        DbmOptions options = small().build();
        Path ckpt = dir.resolve("checkpoint.ebm");
        try (Backend b = new ReferenceBackend(); Dbm straight = Dbm.fit(b, data, options, Checkpointing.none());
             Dbm resumed = PhaseRecorder.stopAndResume(phase, epoch, 3 + 3 + 4,
                     first -> Dbm.fit(b, data, options, Checkpointing.every(ckpt, 1), first),
                     rec -> Dbm.resume(ckpt, data, b, Checkpointing.every(ckpt, 1), rec))) {
            assertEquals(straight.parameters(), resumed.parameters());
            assertEquals(straight.provenance(), resumed.provenance());
        }
    }

    @Test
    void badInputIsRefusedWithAClearMessage(@TempDir Path dir) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DbmOptions.builder().hidden(5).build());
        assertTrue(e.getMessage().contains("hidden: must hold 2 or 3 layer sizes, found 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DbmOptions.builder().meanField(new MeanField(1e-3, 0, 0)).build());
        assertTrue(e.getMessage().contains("mf_iterations"), e.getMessage());
        Dataset data = modes("modes", 60, 4);
        Path ckpt = dir.resolve("checkpoint.ebm");
        try (Backend b = new ReferenceBackend();
             Dbm dbm = Dbm.fit(b, data, small().epochs(1).build(), Checkpointing.every(ckpt, 1))) {
            Dataset other = modes("other", 60, 5);
            e = assertThrows(IllegalArgumentException.class, () -> Dbm.resume(ckpt, other, b, Checkpointing.none()));
            assertTrue(e.getMessage().contains("is not the data"), e.getMessage());
            Dataset wide = Dataset.of("wide", 2, 7, new float[14]);
            e = assertThrows(IllegalArgumentException.class, () -> dbm.features(wide, 1, MeanField.precise()));
            assertTrue(e.getMessage().contains("wide has 7 columns but the DBM has 6 visible units"), e.getMessage());
            Path model = dir.resolve("model.ebm");
            dbm.save(model);
            ModelFormatException m = assertThrows(ModelFormatException.class,
                    () -> Dbm.resume(model, data, b, Checkpointing.none()));
            assertTrue(m.getMessage().contains("not a checkpoint"), m.getMessage());
        }
    }

    @Test
    void optionsRoundTripThroughTheirMapForm() {
        DbmOptions o = small().hidden(7, 5, 3).meanField(new MeanField(1e-5, 33, 0.25)).k(3).build();
        assertEquals(o, DbmOptions.fromMap(o.toMap()));
        assertEquals(o, o.toBuilder().build());
        assertEquals(List.of(7, 5, 3), o.hidden());
        assertArrayEquals(new int[] {6, 7, 5, 3}, o.sizes(6));
    }
}
