package org.ebm4j.hopfield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.ebm4j.boltzmann.RandomNetworks;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one-call API of Hopfield networks: fit (store), add, recall, save/load, provenance, options. */
class HopfieldFitTest {
    private static final int N = 48;

    @TempDir
    Path dir;

    /** {@code rows} random patterns written as 0/1, as a CSV file would hold them. */
    private static Dataset zeroOnePatterns(int rows, long seed) {
        return Dataset.of("patterns-" + seed, rows, N, RandomNetworks.states(rows, N, UnitValues.BINARY, seed));
    }

    @ParameterizedTest
    @EnumSource(LearningRule.class)
    void fitStoresTheRowsAsTheRuleSaysAndTheFileKeepsThem(LearningRule rule) throws Exception {
        Dataset p = zeroOnePatterns(4, 1);
        float[] spins = UnitValues.SPIN.encode(p).values();
        Path file = dir.resolve("net.ebm");
        try (Backend backend = new ReferenceBackend();
             HopfieldNetwork fitted = HopfieldNetwork.fit(backend, p, HopfieldOptions.builder().rule(rule).build());
             HopfieldNetwork byHand = new HopfieldNetwork(backend, N)) {
            byHand.store(spins, rule);
            assertArrayEquals(byHand.couplings().weightsToHost(), fitted.couplings().weightsToHost(),
                    "fit stores the 0/1 rows as -1/+1 patterns");
            assertEquals(4, fitted.storedPatterns());
            fitted.save(file);
            try (HopfieldNetwork back = HopfieldNetwork.load(file, backend)) {
                assertArrayEquals(fitted.couplings().weightsToHost(), back.couplings().weightsToHost());
                assertArrayEquals(fitted.couplings().biasToHost(), back.couplings().biasToHost());
                assertEquals(4, back.storedPatterns());
                assertEquals(rule.toString(), back.rules());
                assertEquals(fitted.provenance(), back.provenance());
                RecallOptions o = RecallOptions.builder().seed(3).build();
                RecalledStates a = fitted.recall(p, o);
                RecalledStates b = back.recall(p, o);
                assertArrayEquals(a.states(), b.states(), "a loaded network recalls like the one saved");
                assertArrayEquals(spins, a.states(), "every stored pattern is a fixed point at this load");
                assertEquals(4, a.result().count(RecallStatus.FIXED_POINT));
            }
        }
    }

    /**
     * A saved network keeps its patterns (fit and add), so corrupted copies of them can be recalled
     * from the file alone; a file without them (written before they were kept) still loads, with none.
     */
    @Test
    void theFileKeepsTheStoredPatternsAndOlderFilesStillLoad() throws Exception {
        Dataset p = zeroOnePatterns(3, 4);
        Dataset more = zeroOnePatterns(2, 5);
        Path file = dir.resolve("kept.ebm");
        try (Backend backend = new ReferenceBackend();
             HopfieldNetwork net = HopfieldNetwork.fit(backend, p, HopfieldOptions.builder().rule(LearningRule.HEBB).build())) {
            net.add(more, HopfieldOptions.builder().rule(LearningRule.HEBB).build());
            float[] both = Arrays.copyOf(UnitValues.SPIN.encode(p).values(), 5 * N);
            System.arraycopy(UnitValues.SPIN.encode(more).values(), 0, both, 3 * N, 2 * N);
            assertArrayEquals(both, net.patterns().orElseThrow().values());
            net.save(file);
            try (HopfieldNetwork back = HopfieldNetwork.load(file, backend)) {
                Dataset kept = back.patterns().orElseThrow();
                assertEquals(5, kept.rows());
                assertArrayEquals(both, kept.values());
            }
            ModelFile full = net.toModelFile();
            ModelFile older = new ModelFile().putMetadata(full.metadata());
            full.tensors().forEach((name, t) -> {
                if (!name.equals(HopfieldNetwork.PATTERNS)) {
                    older.putTensor(name, t.rows(), t.cols(), t.data());
                }
            });
            Path old = dir.resolve("older.ebm");
            older.write(old);
            try (HopfieldNetwork back = HopfieldNetwork.load(old, backend)) {
                assertTrue(back.patterns().isEmpty(), "a file without the patterns has none");
                assertArrayEquals(net.couplings().weightsToHost(), back.couplings().weightsToHost());
            }
            net.store(UnitValues.SPIN.encode(more).values(), LearningRule.HEBB);
            assertTrue(net.patterns().isEmpty(), "patterns stored by the low-level store are not kept");
        }
    }

    @Test
    void provenanceRecordsTheRuleTheDataAndTheBackendAndTheAddedPatterns() {
        Dataset p = zeroOnePatterns(3, 2);
        Dataset more = zeroOnePatterns(2, 3);
        try (Backend backend = new ReferenceBackend();
             HopfieldNetwork net = HopfieldNetwork.fit(backend, p, HopfieldOptions.builder().rule(LearningRule.HEBB).build())) {
            Provenance pr = net.provenance();
            assertEquals("hopfield", pr.get("model"));
            assertEquals(Map.of("rule", "hebb"), pr.options());
            assertEquals(p.sha256(), pr.get("data.sha256"));
            assertEquals("3", pr.get("data.rows"));
            assertEquals(Integer.toString(N), pr.get("data.cols"));
            assertEquals(backend.name(), pr.get("backend"));
            assertEquals(Provenance.jvm(), pr.get("jvm"));
            assertEquals(Provenance.libraryVersion(), pr.get("ebm4j_version"));
            net.add(more, HopfieldOptions.builder().rule(LearningRule.STORKEY).build());
            assertEquals(5, net.storedPatterns());
            assertEquals("hebb+storkey", net.rules());
            assertEquals("storkey", net.provenance().get("added.1.rule"));
            assertEquals(more.sha256(), net.provenance().get("added.1.data.sha256"));
            ModelFile f = net.toModelFile();
            assertEquals("hebb+storkey", f.metadata().get("hopfield.rule"));
            assertEquals("5", f.metadata().get("hopfield.patterns"));
        }
    }

    @Test
    void addingByThePseudoInverseRuleNeedsTheProjectorOfEveryPattern() throws Exception {
        HopfieldOptions pinv = HopfieldOptions.builder().rule(LearningRule.PSEUDO_INVERSE).build();
        Dataset first = zeroOnePatterns(3, 4);
        Dataset second = zeroOnePatterns(3, 5);
        float[] all = new float[6 * N];
        System.arraycopy(first.values(), 0, all, 0, 3 * N);
        System.arraycopy(second.values(), 0, all, 3 * N, 3 * N);
        Path file = dir.resolve("pinv.ebm");
        try (Backend backend = new ReferenceBackend();
             HopfieldNetwork inOne = HopfieldNetwork.fit(backend, Dataset.of("all", 6, N, all), pinv);
             HopfieldNetwork inTwo = HopfieldNetwork.fit(backend, first, pinv)) {
            inTwo.add(second, pinv);
            float[] a = inOne.couplings().weightsToHost();
            float[] b = inTwo.couplings().weightsToHost();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-5, "weight " + i);
            }
            inTwo.save(file);
            try (HopfieldNetwork loaded = HopfieldNetwork.load(file, backend)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loaded.add(first, pinv));
                assertTrue(e.getMessage().startsWith("the pseudo-inverse rule needs the projector onto all 6 stored patterns"),
                        e.getMessage());
                loaded.add(first, HopfieldOptions.builder().rule(LearningRule.HEBB).build());
                assertEquals("pseudo-inverse+hebb", loaded.rules());
            }
        }
    }

    /**
     * One recall call against the dynamics run by hand: the same seed gives the same unit orders
     * ({@link StreamId#HOPFIELD_RECALL}), a clamped unit keeps its cue value, and the energies are
     * those of the recalled states.
     */
    @ParameterizedTest
    @EnumSource(RecallOptions.Dynamics.class)
    void recallIsTheChosenDynamicsWithClampingAndEnergies(RecallOptions.Dynamics dynamics) {
        Dataset p = zeroOnePatterns(5, 6);
        Dataset cues = CueCorruption.flip(p, 0.25, 8);
        boolean[] clamped = new boolean[N];
        clamped[0] = true;
        clamped[7] = true;
        RecallOptions o = RecallOptions.builder().dynamics(dynamics).maxSweeps(20).annealSweeps(15).tStart(1.5).seed(4)
                .build();
        try (Backend backend = new ReferenceBackend();
             HopfieldNetwork net = HopfieldNetwork.fit(backend, p, HopfieldOptions.builder().build());
             Tensor states = backend.fromArray(cues.values(), 5, N);
             Tensor clamp = org.ebm4j.boltzmann.ClampMask.sameForAllChains(backend, 5, clamped)) {
            RecalledStates r = net.recall(cues, o, clamped);
            RecallResult byHand = net.recall(states, clamp, o, StreamId.HOPFIELD_RECALL.open(4));
            assertEquals(byHand, r.result());
            assertArrayEquals(states.toArray(), r.states());
            assertArrayEquals(net.energies(r.states()), r.energies());
            for (int c = 0; c < 5; c++) {
                assertEquals(cues.values()[c * N], r.states()[c * N], 0f);
                assertEquals(cues.values()[c * N + 7], r.states()[c * N + 7], 0f);
            }
            assertEquals(5, r.count());
        }
    }

    @Test
    void cueCorruptionFlipsExactlyTheAskedFractionAndMasksRegions() {
        Dataset p = zeroOnePatterns(3, 9);
        float[] spins = UnitValues.SPIN.encode(p).values();
        Dataset cues = CueCorruption.flip(p, 0.25, 2);
        for (int r = 0; r < 3; r++) {
            assertEquals(1 - 2 * 0.25, PatternOverlaps.overlap(cues.values(), r, spins, r, N), 0.0);
        }
        assertArrayEquals(cues.values(), CueCorruption.flip(p, 0.25, 2).values(), "same seed, same cues");
        boolean[] bottom = CueCorruption.region("bottom", N, 8);
        Dataset masked = CueCorruption.mask(p, bottom);
        for (int i = 0; i < N; i++) {
            assertEquals(i >= 24 ? -1f : spins[i], masked.values()[i], 0f, "unit " + i);
        }
        assertEquals(2, PatternOverlaps.nearest(spins, 2, spins, N));
    }

    @Test
    void loadImportsTheCsvNetworkFileAndRefusesOtherModels() throws Exception {
        Path csv = dir.resolve("old.csv");
        Files.writeString(csv, "# ebm4j network kind=hopfield values=spin rule=storkey patterns=2 units=3\n"
                + "0.0,0.25,-0.5\n0.25,0.0,0.125\n-0.5,0.125,0.0\n0.0,0.0,0.0\n");
        try (Backend backend = new ReferenceBackend(); HopfieldNetwork net = HopfieldNetwork.load(csv, backend)) {
            assertEquals(3, net.units());
            assertEquals(2, net.storedPatterns());
            assertEquals("storkey", net.rules());
            assertArrayEquals(new float[] {0f, 0.25f, -0.5f, 0.25f, 0f, 0.125f, -0.5f, 0.125f, 0f},
                    net.couplings().weightsToHost());
            assertEquals(csv.toString(), net.provenance().get("imported_from"));
        }
        Path bm = dir.resolve("bm.ebm");
        new ModelFile().putMetadata("model", "bm").write(bm);
        try (Backend backend = new ReferenceBackend()) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> HopfieldNetwork.load(bm, backend));
            assertEquals(bm + ": holds a 'bm' model, expected a Hopfield network ('hopfield')", e.getMessage());
        }
    }

    @Test
    void optionsValidateRoundTripAndRefuseUnknownKeys() {
        for (LearningRule rule : LearningRule.values()) {
            HopfieldOptions o = HopfieldOptions.builder().rule(rule).build();
            assertEquals(o, HopfieldOptions.fromMap(o.toMap()));
        }
        assertEquals(LearningRule.STORKEY, HopfieldOptions.builder().build().rule());
        assertEquals("rule: must be given, found none", assertThrows(IllegalArgumentException.class,
                () -> HopfieldOptions.builder().rule(null).build()).getMessage());
        RecallOptions r = RecallOptions.builder().dynamics(RecallOptions.Dynamics.ANNEAL).maxSweeps(7)
                .annealing(RecallOptions.Annealing.LINEAR).tStart(3.5).tEnd(0.1).annealSweeps(9).seed(-2).build();
        assertEquals(r, RecallOptions.fromMap(r.toMap()));
        assertEquals(r, r.toBuilder().build());
        assertEquals("linear(3.5 -> 0.1, 9)", r.temperatureSchedule().toString());
        assertEquals("t_end: must be finite and > 0, found 0.0", assertThrows(IllegalArgumentException.class,
                () -> RecallOptions.builder().tEnd(0).build()).getMessage());
        assertEquals("max_sweeps: must be >= 1, found 0", assertThrows(IllegalArgumentException.class,
                () -> RecallOptions.builder().maxSweeps(0).build()).getMessage());
        Map<String, String> chaotic = new java.util.HashMap<>(r.toMap());
        chaotic.put("dynamics", "chaotic");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecallOptions.fromMap(chaotic));
        assertEquals("recall dynamics must be async, sync or anneal, found 'chaotic'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HopfieldOptions.fromMap(Map.of("rule", "hebb", "rules", "x")));
        assertTrue(e.getMessage().startsWith("Hopfield options have unknown keys [rules]"), e.getMessage());
    }

    @Test
    void badPatternsAndCuesAreRefusedNamingTheProblem() {
        try (Backend backend = new ReferenceBackend();
             HopfieldNetwork net = HopfieldNetwork.fit(backend, zeroOnePatterns(2, 10), HopfieldOptions.builder().build())) {
            Dataset narrow = Dataset.of("narrow", 1, 3, new float[] {1, -1, 1});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.recall(narrow, RecallOptions.builder().build()));
            assertEquals("narrow (1x3) rows have 3 values but the network has 48 units", e.getMessage());
            float[] v = new float[N];
            Arrays.fill(v, 0.5f);
            e = assertThrows(IllegalArgumentException.class,
                    () -> HopfieldNetwork.fit(backend, Dataset.of("grey", 1, N, v), HopfieldOptions.builder().build()));
            assertEquals("grey: data row 1, column 1 is 0.5; binary rows must be all 0/1 or all -1/+1", e.getMessage());
        }
    }
}
