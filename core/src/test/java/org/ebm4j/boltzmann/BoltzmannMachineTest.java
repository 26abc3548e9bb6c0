package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.CheckpointWriter;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

/** The one-call API of Boltzmann machines: fit, resume, save/load, provenance, sampling, exact scores. */
@ExtendWith(NoLeakedTensors.class)
class BoltzmannMachineTest {
    @TempDir
    Path dir;

    private static final Dataset BAS = BarsAndStripes.dataset(3, UnitValues.BINARY);

    private static BoltzmannOptions.Builder small() {
        return BoltzmannOptions.builder().hidden(2).epochs(6).batchSize(4).modelChains(30).learningRate(0.1)
                .lrDecay(BoltzmannOptions.LearningRateDecay.LINEAR).evalEvery(2).samples(50).sampleSweeps(5).seed(11);
    }

    /** Records the reports of a run. */
    private static final class Reports implements TrainingListener {
        final List<EpochReport> reports = new ArrayList<>();

        @Override
        public void onReport(EpochReport r) {
            reports.add(r);
        }
    }

    @Test
    void fitSaveLoadAndSampleRoundTrip() throws Exception {
        Path file = dir.resolve("bas.ebm");
        try (Backend backend = new ReferenceBackend()) {
            float[] w;
            float[] b;
            Dataset samples;
            Reports reports = new Reports();
            try (BoltzmannMachine m = BoltzmannMachine.fit(backend, BAS, small().build(), Checkpointing.none(), reports)) {
                assertEquals(9, m.visible());
                assertEquals(2, m.hidden());
                w = m.couplings().weightsToHost();
                b = m.couplings().biasToHost();
                m.save(file);
                samples = m.sample(40, TemperatureSchedule.geometric(3, 1, 10), 5);
                assertArrayEquals(samples.values(), m.sample(40, TemperatureSchedule.geometric(3, 1, 10), 5).values(),
                        "same seed, same samples");
                assertEquals(m.exact().logPartition(), m.logPartition(), 0.0);
            }
            try (BoltzmannMachine back = BoltzmannMachine.load(file, backend)) {
                assertArrayEquals(w, back.couplings().weightsToHost());
                assertArrayEquals(b, back.couplings().biasToHost());
                assertEquals(UnitValues.BINARY, back.unitValues());
                assertEquals(40, samples.rows());
                assertEquals(9, samples.cols());
                assertArrayEquals(samples.values(), back.sample(40, TemperatureSchedule.geometric(3, 1, 10), 5).values(),
                        "a loaded machine samples like the one saved");
                assertEquals("bm", back.provenance().get("model"));
                assertEquals(BarsAndStripes.name(3), back.provenance().get("data.source"));
            }
            assertEquals(6, reports.reports.size());
            List<Integer> evaluated = new ArrayList<>();
            for (EpochReport r : reports.reports) {
                if (!r.metrics().isEmpty()) {
                    evaluated.add(r.epoch());
                    assertEquals(List.of("log_likelihood", "data_mass", "data_match_fraction", "distinct_matches",
                            "metrics_seconds"), new ArrayList<>(r.metrics().keySet()));
                    assertTrue(BoltzmannMachine.METRICS.containsAll(r.metrics().keySet()));
                }
            }
            assertEquals(List.of(2, 4, 6), evaluated);
            assertEquals(0.1 * 2 * 2 / 6, reports.reports.get(4).learningRate(), 1e-15, "linear decay in epoch 5");
        }
    }

    @Test
    void provenanceRecordsOptionsDataSeedBackendAndDraws() throws Exception {
        BoltzmannOptions o = small().units(UnitValues.SPIN).build();
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine m = BoltzmannMachine.fit(backend, BAS, o, Checkpointing.none())) {
            Provenance p = m.provenance();
            assertEquals("bm", p.get("model"));
            assertEquals(o.toBuilder().visible(9).build(), BoltzmannOptions.fromMap(p.options()),
                    "the options, with the visible count taken from the data");
            assertEquals(BAS.sha256(), p.get("data.sha256"));
            assertEquals("14", p.get("data.rows"));
            assertEquals("9", p.get("data.cols"));
            assertEquals("11", p.get("seed"));
            assertEquals(backend.name(), p.get("backend"));
            assertEquals(Provenance.libraryVersion(), p.get("ebm4j_version"));
            assertEquals(Provenance.jvm(), p.get("jvm"));
            assertTrue(Long.parseLong(p.get("draw.bm_sampling")) > 0, p.toString());
            assertEquals("6", p.get("draw.bm_shuffle"), "one permutation per epoch");
            ModelFile f = m.toModelFile();
            assertEquals("bm", f.metadata().get("model"));
            assertEquals("spin", f.metadata().get("bm.units"));
            assertEquals(p, Provenance.fromMetadata(f.metadata()));
        }
    }

    /**
     * A run stopped after a checkpoint (here by a failure in epoch 4 of 6) and resumed from it ends
     * with the parameters, stream positions and reports of the run that never stopped: the momentum,
     * the persistent chains and both stream positions travel in the checkpoint, and the metrics'
     * samples depend on the epoch alone.
     */
    @Test
    void resumeIsBitIdenticalToAnUninterruptedRun() throws Exception {
        Path ck = dir.resolve("run.ckpt");
        BoltzmannOptions o = small().build();
        try (Backend backend = new ReferenceBackend()) {
            Reports straight = new Reports();
            float[] w;
            float[] b;
            Map<String, String> straightDraws;
            try (BoltzmannMachine m = BoltzmannMachine.fit(backend, BAS, o, Checkpointing.none(), straight)) {
                w = m.couplings().weightsToHost();
                b = m.couplings().biasToHost();
                straightDraws = m.provenance().entries();
            }
            RuntimeException crash = assertThrows(RuntimeException.class, () -> BoltzmannMachine.fit(backend, BAS, o,
                    Checkpointing.every(ck, 3), new TrainingListener() {
                        @Override
                        public void onBatch(int epoch, int batch, int batches) {
                            if (epoch == 4 && batch == 2) {
                                throw new IllegalStateException("killed");
                            }
                        }
                    }));
            assertEquals("killed", crash.getMessage());
            assertEquals(3, CheckpointWriter.read(ck).state().epochsDone());
            Reports resumed = new Reports();
            try (BoltzmannMachine m = BoltzmannMachine.resume(ck, BAS, backend, Checkpointing.none(), resumed)) {
                assertArrayEquals(w, m.couplings().weightsToHost());
                assertArrayEquals(b, m.couplings().biasToHost());
                assertEquals(straightDraws.get("draw.bm_sampling"), m.provenance().get("draw.bm_sampling"));
                assertEquals(straightDraws.get("draw.bm_shuffle"), m.provenance().get("draw.bm_shuffle"));
            }
            assertEquals(3, resumed.reports.size());
            for (int k = 0; k < 3; k++) {
                Map<String, Double> a = new java.util.HashMap<>(straight.reports.get(3 + k).metrics());
                Map<String, Double> r = new java.util.HashMap<>(resumed.reports.get(k).metrics());
                a.remove("metrics_seconds");
                r.remove("metrics_seconds");
                assertEquals(a, r, "metrics of epoch " + (4 + k));
            }
            try (BoltzmannMachine fromCheckpoint = BoltzmannMachine.load(ck, backend)) {
                assertEquals(9, fromCheckpoint.visible(), "a checkpoint is a model file too");
            }
        }
    }

    @Test
    void resumeRefusesOtherData() throws Exception {
        Path ck = dir.resolve("run.ckpt");
        try (Backend backend = new ReferenceBackend()) {
            BoltzmannMachine.fit(backend, BAS, small().epochs(1).build(), Checkpointing.every(ck, 1)).close();
            Dataset other = BarsAndStripes.dataset(3, UnitValues.SPIN);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BoltzmannMachine.resume(ck, other, backend, Checkpointing.none()));
            assertTrue(e.getMessage().startsWith("the data differ from the data the checkpoint " + ck), e.getMessage());
            assertTrue(e.getMessage().contains(BAS.sha256()), e.getMessage());
        }
    }

    @Test
    void sameSeedSameMachineOtherSeedOtherMachine() {
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine a = BoltzmannMachine.fit(backend, BAS, small().samples(0).build(), Checkpointing.none());
             BoltzmannMachine b = BoltzmannMachine.fit(backend, BAS, small().samples(0).build(), Checkpointing.none());
             BoltzmannMachine c = BoltzmannMachine.fit(backend, BAS, small().samples(0).seed(12).build(),
                     Checkpointing.none())) {
            assertArrayEquals(a.couplings().weightsToHost(), b.couplings().weightsToHost());
            assertFalse(java.util.Arrays.equals(a.couplings().weightsToHost(), c.couplings().weightsToHost()));
        }
    }

    @Test
    void zeroOneRowsTrainASpinMachineAndBadRowsAreRefused() {
        BoltzmannOptions spin = small().units(UnitValues.SPIN).samples(0).build();
        try (Backend backend = new ReferenceBackend();
             BoltzmannMachine fromBinary = BoltzmannMachine.fit(backend, BAS, spin, Checkpointing.none());
             BoltzmannMachine fromSpin = BoltzmannMachine.fit(backend, BarsAndStripes.dataset(3, UnitValues.SPIN), spin,
                     Checkpointing.none())) {
            assertArrayEquals(fromSpin.couplings().weightsToHost(), fromBinary.couplings().weightsToHost());
            assertNotEquals(fromBinary.provenance().get("data.sha256"), fromSpin.provenance().get("data.sha256"));
            assertEquals(fromSpin.logLikelihood(BAS), fromSpin.logLikelihood(BarsAndStripes.dataset(3, UnitValues.SPIN)), 0.0);
            Dataset bad = Dataset.of("bad.csv", 2, 3, new float[] {0, 1, 1, 0, 2, 1});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BoltzmannMachine.fit(backend, bad, spin, Checkpointing.none()));
            assertEquals("bad.csv: data row 2, column 2 is 2.0; binary rows must be all 0/1 or all -1/+1", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> BoltzmannMachine.fit(backend, BAS, spin.toBuilder().visible(4).build(), Checkpointing.none()));
            assertTrue(e.getMessage().startsWith("options ask for 4 visible units but the data"), e.getMessage());
        }
    }

    @Test
    void loadImportsTheCsvNetworkFileOfEarlierVersions() throws Exception {
        Path csv = dir.resolve("old.csv");
        Files.writeString(csv, "# ebm4j network kind=bm visible=2 hidden=1 values=spin data=bars-and-stripes side=2 units=3\n"
                + "0.0,0.5,-0.25\n0.5,0.0,1.0E-3\n-0.25,1.0E-3,0.0\n0.125,-2.0,0.0\n");
        try (Backend backend = new ReferenceBackend(); BoltzmannMachine m = BoltzmannMachine.load(csv, backend)) {
            assertEquals(2, m.visible());
            assertEquals(1, m.hidden());
            assertEquals(UnitValues.SPIN, m.unitValues());
            assertArrayEquals(new float[] {0f, 0.5f, -0.25f, 0.5f, 0f, 1e-3f, -0.25f, 1e-3f, 0f}, m.couplings().weightsToHost());
            assertArrayEquals(new float[] {0.125f, -2f, 0f}, m.couplings().biasToHost());
            assertEquals(csv.toString(), m.provenance().get("imported_from"));
            assertEquals(2, BarsAndStripes.sideOf(m.provenance().get("data.source")));
            Path saved = dir.resolve("new.ebm");
            m.save(saved);
            try (BoltzmannMachine back = BoltzmannMachine.load(saved, backend)) {
                assertArrayEquals(m.couplings().weightsToHost(), back.couplings().weightsToHost());
            }
        }
        Files.writeString(csv, "# ebm4j network kind=hopfield values=spin units=2\n0,1\n1,0\n0,0\n");
        try (Backend backend = new ReferenceBackend()) {
            Exception e = assertThrows(Exception.class, () -> BoltzmannMachine.load(csv, backend));
            assertTrue(e.getMessage().contains("holds a 'hopfield' network, not a Boltzmann machine (kind=bm)"), e.getMessage());
        }
    }

    @Test
    void loadRefusesAnotherKindOfModel() throws Exception {
        Path f = dir.resolve("other.ebm");
        new ModelFile().putMetadata("model", "hopfield").putTensor("W", 1, 1, new float[1]).write(f);
        try (Backend backend = new ReferenceBackend()) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> BoltzmannMachine.load(f, backend));
            assertEquals(f + ": holds a 'hopfield' model, expected a Boltzmann machine ('bm')", e.getMessage());
        }
    }

    @Test
    void exactScoresNeedASmallMachine() {
        try (Backend backend = new ReferenceBackend(); BoltzmannMachine big = new BoltzmannMachine(backend, 20, 5,
                UnitValues.BINARY)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, big::logPartition);
            assertTrue(e.getMessage().contains("stops at n = 24 but the machine has 25 units (20 visible + 5 hidden)"),
                    e.getMessage());
        }
    }

    /** The empirical measures against counts done by hand. */
    @Test
    void empiricalDistributionCountsRowsMassAndMatches() {
        Dataset d = Dataset.of("d", 4, 2, new float[] {0, 1, 0, 1, 1, 1, 0, 0});
        EmpiricalDistribution e = EmpiricalDistribution.of(d, UnitValues.SPIN);
        assertEquals(3, e.distinctRows());
        assertEquals(0.5 * Math.log(0.5) + 2 * 0.25 * Math.log(0.25), e.negativeEntropy(), 1e-15);
        assertEquals(0.5, e.matchFraction(new float[] {-1, 1, 1, -1}), 0.0);
        assertEquals(1, e.distinctMatches(new float[] {-1, 1, -1, 1, 1, -1}));
        double[] w = {0, 0.3, 0.3, 0};
        double[] b = {0.2, -0.4};
        ExactBoltzmann exact = new ExactBoltzmann(w, b, 2, UnitValues.SPIN);
        double[] pv = exact.visibleProbabilities();
        // Rows (-1,+1), (+1,+1), (-1,-1) have indices 2, 3, 0: everything but (+1,-1).
        assertEquals(pv[0] + pv[2] + pv[3], e.massUnder(exact), 1e-12);
    }
}
