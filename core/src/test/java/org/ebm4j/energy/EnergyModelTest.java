package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Dataset;
import org.ebm4j.energy.demo.FourSquares;
import org.ebm4j.hmc.HmcResult;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.Provenance;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.CheckpointWriter;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.Interrupt;
import org.ebm4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class EnergyModelTest {
    static final Dataset SQUARES = FourSquares.dataset(72, 3);

    /** Small and quick: 72 rows in batches of 16 give 4 updates per epoch; 10 updates end mid-epoch. */
    static EnergyOptions small(EnergyOptions.Model model) {
        EnergyOptions.Builder b = EnergyOptions.builder().model(model).layers("6:softplus,3:fas").experts(4)
                .batchSize(16).updates(10).leapfrogSteps(4).seed(11);
        return model == EnergyOptions.Model.UNIGAUSS ? b.negatives(NegativeSampling.PERSISTENT).build()
                : b.trajectories(2).build();
    }

    static List<float[]> parameters(EnergyModel m) {
        List<float[]> p = new ArrayList<>();
        m.energyFunction().parameters().forEach(t -> p.add(t.toArray()));
        return p;
    }

    static void assertSameParameters(EnergyModel a, EnergyModel b) {
        List<float[]> pa = parameters(a);
        List<float[]> pb = parameters(b);
        assertEquals(pa.size(), pb.size());
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i), pb.get(i), a.energyFunction().parameterNames().get(i));
        }
    }

    @ParameterizedTest
    @EnumSource(EnergyOptions.Model.class)
    void fitSaveLoadAndSampleRoundTrip(EnergyOptions.Model kind, @TempDir Path dir) throws IOException {
        Backend b = new ReferenceBackend();
        EnergyOptions o = small(kind);
        Path file = dir.resolve("m.ebm");
        try (EnergyModel m = EnergyModel.fit(b, SQUARES, o, Checkpointing.none())) {
            assertEquals(o, m.options());
            assertEquals(kind.id(), m.energyFunction().kind());
            m.save(file);
            try (EnergyModel back = EnergyModel.load(file, b)) {
                assertSameParameters(m, back);
                assertEquals(m.provenance(), back.provenance());
                assertArrayEquals(m.moments().mean(), back.moments().mean(), 1e-6);
                assertEquals(m.moments().spread(), back.moments().spread());
                assertArrayEquals(m.energy(SQUARES), back.energy(SQUARES));
                // Fantasies start from the stored moments (the mean as float, as fit used it): identical draws.
                HmcResult fa = m.fantasies(6, 10, 4, 5);
                HmcResult fb = back.fantasies(6, 10, 4, 5);
                assertArrayEquals(fa.allDraws(), fb.allDraws());
                assertEquals(6 * 4 * 2, fa.allDraws().length);
                Dataset s = back.sample(5, 9);
                assertEquals(5, s.rows());
                assertEquals(2, s.cols());
                assertArrayEquals(s.values(), m.sample(5, 9).values(), "the same seed gives the same samples");
                assertFalse(java.util.Arrays.equals(s.values(), m.sample(5, 10).values()), "another seed, others");
            }
        }
    }

    @Test
    void theEnergyOfDataIsTheEnergyFunctionsAndChecksTheWidth() {
        Backend b = new ReferenceBackend();
        try (EnergyModel m = EnergyModel.fit(b, SQUARES, small(EnergyOptions.Model.NETWORK), Checkpointing.none())) {
            float[] e = m.energy(SQUARES);
            assertEquals(SQUARES.rows(), e.length);
            try (var x = SQUARES.toTensor(b); var out = b.allocate(SQUARES.rows(), 1)) {
                m.energyFunction().energy(x, out);
                assertArrayEquals(out.toArray(), e);
            }
            Dataset wide = Dataset.of("wide", 2, 3, new float[6]);
            assertEquals("wide has 3 columns but the model's energy takes 2",
                    assertThrows(IllegalArgumentException.class, () -> m.energy(wide)).getMessage());
        }
    }

    /** The four squares with every seventh entry missing: the run then also carries the missing entries' chains. */
    static Dataset squaresWithMissingEntries() {
        float[] v = SQUARES.values().clone();
        for (int i = 3; i < v.length; i += 7) {
            v[i] = Float.NaN;
        }
        return SQUARES.withValues("four squares, every seventh entry missing", v);
    }

    @ParameterizedTest
    @CsvSource({"NETWORK, false", "UNIGAUSS, false", "NETWORK, true"})
    void resumingFromACheckpointEqualsTheUninterruptedRun(EnergyOptions.Model kind, boolean withMissing,
                                                          @TempDir Path dir) throws IOException {
        Backend b = new ReferenceBackend();
        Dataset data = withMissing ? squaresWithMissingEntries() : SQUARES;
        EnergyOptions o = small(kind);
        Path ckpt = dir.resolve("run.ckpt");
        assertEquals(3, o.epochs(data.rows()));
        List<String> wholeCurve = new ArrayList<>();
        TrainingListener curve = TrainingListener.forReports(r -> wholeCurve.add(curvePoint(r.epoch(), r.metrics())));
        try (EnergyModel whole = EnergyModel.fit(b, data, o, Checkpointing.none(), curve)) {
            IllegalStateException stop = assertThrows(IllegalStateException.class,
                    () -> EnergyModel.fit(b, data, o, Checkpointing.every(ckpt, 1), new Interrupt(2)));
            assertEquals("interrupted after epoch 2", stop.getMessage());
            assertEquals(2, CheckpointWriter.read(ckpt).state().epochsDone());
            List<Integer> resumedEpochs = new ArrayList<>();
            List<String> pastCurve = new ArrayList<>();
            TrainingListener epochs = new TrainingListener() {
                @Override
                public void onReport(EpochReport r) {
                    resumedEpochs.add(r.epoch());
                }

                @Override
                public void onPastReport(int epoch, Map<String, Double> metrics) {
                    pastCurve.add(curvePoint(epoch, metrics));
                }
            };
            try (EnergyModel resumed = EnergyModel.resume(ckpt, data, b, Checkpointing.none(), epochs)) {
                assertEquals(List.of(3), resumedEpochs);
                // The learning curve of the epochs before the checkpoint, replayed: the uninterrupted run's.
                assertEquals(wholeCurve.subList(0, 2), pastCurve);
                assertSameParameters(whole, resumed);
                assertEquals(whole.provenance(), resumed.provenance(), "the same run records the same provenance");
            }
        }
    }

    /** An epoch's metrics as a learning curve draws them: timings left out, in name order. */
    private static String curvePoint(int epoch, Map<String, Double> metrics) {
        Map<String, Double> m = new java.util.TreeMap<>(metrics);
        m.keySet().removeIf(name -> name.endsWith("seconds"));
        return epoch + " " + m;
    }

    @Test
    void resumingOnOtherDataIsRefusedNamingBoth(@TempDir Path dir) {
        Backend b = new ReferenceBackend();
        Path ckpt = dir.resolve("run.ckpt");
        EnergyOptions o = small(EnergyOptions.Model.NETWORK);
        assertThrows(IllegalStateException.class,
                () -> EnergyModel.fit(b, SQUARES, o, Checkpointing.every(ckpt, 1), new Interrupt(1)));
        Dataset other = FourSquares.dataset(72, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnergyModel.resume(ckpt, other, b, Checkpointing.none()));
        assertTrue(e.getMessage().startsWith(ckpt + " was trained on four-squares (72x2, sha256 " + SQUARES.sha256()
                + ") but the data given is four-squares (72x2, sha256 " + other.sha256() + ")"), e.getMessage());
    }

    @Test
    void aPlainModelFileIsNotACheckpointAndABareEnergyIsNotAModel(@TempDir Path dir) throws IOException {
        Backend b = new ReferenceBackend();
        Path file = dir.resolve("m.ebm");
        try (EnergyModel m = EnergyModel.fit(b, SQUARES, small(EnergyOptions.Model.NETWORK), Checkpointing.none())) {
            m.save(file);
        }
        IOException e = assertThrows(IOException.class, () -> EnergyModel.resume(file, SQUARES, b, Checkpointing.none()));
        assertTrue(e.getMessage().contains("not a checkpoint"), e.getMessage());
        Path bare = dir.resolve("bare.ebm");
        try (UniGaussExperts poe = new UniGaussExperts(b, 2, 3, 0.1)) {
            EnergyModelFile.save(poe, bare);
        }
        e = assertThrows(IOException.class, () -> EnergyModel.load(bare, b));
        assertTrue(e.getMessage().startsWith(bare + ": holds an energy function without the data moments"),
                e.getMessage());
        try (TrainableEnergy stillReadable = EnergyModelFile.load(b, bare)) {
            assertEquals(UniGaussExperts.KIND, stillReadable.kind());
        }
    }

    @Test
    void provenanceRecordsOptionsDataSeedBackendVersionJvmAndDraws() {
        Backend b = new ReferenceBackend();
        EnergyOptions o = small(EnergyOptions.Model.UNIGAUSS);
        try (EnergyModel m = EnergyModel.fit(b, SQUARES, o, Checkpointing.none())) {
            Provenance p = m.provenance();
            assertEquals("energy-unigauss", p.get("model"));
            assertEquals(new java.util.TreeMap<>(o.toMap()), p.options());
            assertEquals("four-squares", p.get("data.source"));
            assertEquals("72", p.get("data.rows"));
            assertEquals("2", p.get("data.cols"));
            assertEquals(SQUARES.sha256(), p.get("data.sha256"));
            assertEquals("11", p.get("seed"));
            assertEquals(b.name(), p.get("backend"));
            assertEquals(Provenance.libraryVersion(), p.get("ebm4j_version"));
            assertEquals(Provenance.jvm(), p.get("jvm"));
            assertNotNull(p.get("draw.energy_sampling"));
            assertEquals(Long.parseLong(p.get("draw.energy_shuffle")), 1 + 3, "the chain starts and 3 epoch orders");
            ModelFile f = m.toModelFile();
            assertEquals("energy-unigauss", f.metadata().get("model"));
            assertEquals(p, Provenance.fromMetadata(f.metadata()));
        }
    }

    @Test
    void listenersHearEveryUpdateAndAReportPerEpoch() {
        Backend b = new ReferenceBackend();
        List<TrainingStep> steps = new ArrayList<>();
        List<EpochReport> reports = new ArrayList<>();
        EnergyTrainingListener l = new EnergyTrainingListener() {
            @Override
            public void onStep(TrainingStep step) {
                steps.add(step);
            }

            @Override
            public void onReport(EpochReport report) {
                reports.add(report);
            }
        };
        EnergyOptions o = small(EnergyOptions.Model.NETWORK);
        try (EnergyModel m = EnergyModel.fit(b, SQUARES, o, Checkpointing.none(), l)) {
            assertEquals(10, steps.size());
            for (int i = 0; i < steps.size(); i++) {
                assertEquals(i, steps.get(i).iteration());
            }
            assertEquals(3, reports.size());
            Map<String, Double> last = reports.get(2).metrics();
            // The last epoch holds updates 8 and 9: its mean loss is theirs.
            assertEquals((steps.get(8).loss() + steps.get(9).loss()) / 2, last.get("loss"), 1e-12);
            assertEquals(List.of("loss", "data_energy", "negative_energy", "acceptance", "divergent", "step_size"),
                    List.copyOf(last.keySet()));
        }
    }

    @Test
    void constantDataCannotPlaceUniGaussExperts() {
        Dataset flat = Dataset.of("flat", 4, 2, new float[8]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnergyModel.fit(
                new ReferenceBackend(), flat, small(EnergyOptions.Model.UNIGAUSS), Checkpointing.none()));
        assertTrue(e.getMessage().startsWith("uni-gauss experts start with the data's spread, which is 0.0"),
                e.getMessage());
    }
}
