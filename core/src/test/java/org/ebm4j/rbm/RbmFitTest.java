package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.HoldOut;
import org.ebm4j.data.Standardization;
import org.ebm4j.io.Provenance;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.Interrupt;
import org.ebm4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Rbm#fit}, {@link Rbm#resume}, save/load and the model's operations on raw data. */
@ExtendWith(NoLeakedTensors.class)
class RbmFitTest {
    private final Backend backend = new ReferenceBackend();

    @TempDir
    Path dir;

    /** Grey levels in [0, 1] with correlated columns, so binarization matters and there is structure to learn. */
    static Dataset grey(String name, int n, int nv, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * nv];
        for (int row = 0; row < n; row++) {
            float base = r.nextFloat();
            for (int i = 0; i < nv; i++) {
                v[row * nv + i] = Math.min(1f, Math.max(0f, base + 0.3f * (float) r.nextGaussian()));
            }
        }
        return Dataset.of(name, n, nv, v);
    }

    private static RbmOptions.Builder small() {
        return RbmOptions.builder().hidden(4).holdout(10).method(TrainingMethod.PCD).chains(7).batchSize(8)
                .learningRate(0.1).momentum(0.5).epochs(3).seed(5);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Hidden probabilities on the host from the parameters: the plain reference of transform. */
    private static float[] hostHidden(RbmParameters p, float[] v, int n) {
        int nv = p.visible();
        int nh = p.hidden();
        float[] out = new float[n * nh];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < nh; j++) {
                double x = p.hiddenBias()[j];
                for (int i = 0; i < nv; i++) {
                    x += v[r * nv + i] * p.weight(i, j);
                }
                out[r * nh + j] = (float) sigmoid(x);
            }
        }
        return out;
    }

    @Test
    void fitSaveLoadTransformSampleRoundTrip() throws IOException {
        Dataset data = grey("grey", 60, 6, 1);
        Path file = dir.resolve("model.ebm");
        Dataset features;
        RbmParameters params;
        try (Rbm rbm = Rbm.fit(backend, data, small().build(), Checkpointing.none())) {
            assertEquals(Binarization.fixed(0.5f), rbm.binarization());
            assertNull(rbm.standardization());
            features = rbm.transform(data);
            params = rbm.parameters();
            rbm.save(file);
            // transform binarizes first: the reference sees the thresholded rows.
            float[] bin = Binarization.fixed(0.5f).applyOnHost(data.values());
            float[] expect = hostHidden(params, bin, 60);
            assertEquals(60, features.rows());
            assertEquals(4, features.cols());
            for (int i = 0; i < expect.length; i++) {
                assertEquals(expect[i], features.values()[i], 1e-5, "hidden probability " + i);
            }
            Dataset s1 = rbm.sample(5, 20, 9);
            assertEquals(5, s1.rows());
            assertEquals(6, s1.cols());
            for (float x : s1.values()) {
                assertTrue(x >= 0f && x <= 1f, "visible means are probabilities");
            }
            assertArrayEquals(s1.values(), rbm.sample(5, 20, 9).values(), "same seed, same samples");
            assertFalse(Arrays.equals(s1.values(), rbm.sample(5, 20, 10).values()), "another seed, other samples");
        }
        try (Rbm back = Rbm.load(file, backend)) {
            assertEquals(params, back.parameters());
            assertEquals(Binarization.fixed(0.5f), back.binarization());
            assertArrayEquals(features.values(), back.transform(data).values(), "loaded model transforms identically");
            assertEquals("rbm", back.provenance().get("model"));
        }
    }

    @Test
    void gaussianModelsStandardizeAndSampleInTheDataUnits() throws IOException {
        Random r = new Random(3);
        int n = 80;
        float[] v = new float[n * 3];
        for (int i = 0; i < n; i++) {
            v[i * 3] = (float) (10 + 2 * r.nextGaussian());
            v[i * 3 + 1] = (float) (-5 + r.nextGaussian());
            v[i * 3 + 2] = (float) (0.1 * r.nextGaussian());
        }
        Dataset data = Dataset.of("gauss", n, 3, v);
        RbmOptions o = small().visibleType(VisibleType.GAUSSIAN).holdout(0).learningRate(0.01).build();
        assertTrue(o.standardize());
        assertEquals(Binarization.none(), o.binarization());
        try (Rbm rbm = Rbm.fit(backend, data, o, Checkpointing.none())) {
            Standardization st = Standardization.fit(data);
            assertArrayEquals(st.mean(), rbm.standardization().mean());
            float[] expect = hostHidden(rbm.parameters(), st.apply(data).values(), n);
            float[] got = rbm.transform(data).values();
            for (int i = 0; i < expect.length; i++) {
                assertEquals(expect[i], got[i], 1e-5);
            }
            Dataset s = rbm.sample(200, 5, 1);
            double mean0 = 0;
            for (int i = 0; i < 200; i++) {
                mean0 += s.values()[i * 3] / 200.0;
            }
            // Standardized samples have mean ~0 and sd ~1 per column; undone, column 0 sits near 10 (sd 2).
            assertEquals(10.0, mean0, 1.0, "samples come back in the data's units");
            RbmEvaluation ev = rbm.evaluate(data, rbm.exactLogPartition());
            assertTrue(ev.pseudoLikelihood().isEmpty(), "no pseudo-likelihood for Gaussian visibles");
            rbm.save(dir.resolve("g.ebm"));
        }
        try (Rbm back = Rbm.load(dir.resolve("g.ebm"), backend)) {
            assertArrayEquals(Standardization.fit(data).std(), back.standardization().std());
        }
    }

    /** fit is exactly the low-level sequence: hold out, binarize, then start the chains, initialize, train. */
    @Test
    void fitEqualsTheLowLevelSequenceWithChainsStartedOnBinarizedRows() {
        Dataset data = grey("grey", 50, 5, 2);
        RbmOptions o = small().build();
        RbmParameters manual;
        HoldOut split = HoldOut.split(data, null, o.holdout());
        try (Tensor t = split.train().toTensor(backend); Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 5, 4)) {
            o.binarization().apply(t);
            try (RbmTrainer tr = new RbmTrainer(rbm, o, t)) {
                RbmTrainer.initialize(rbm, o, t);
                tr.train(List.of());
            }
            manual = rbm.parameters();
        }
        try (Rbm fitted = Rbm.fit(backend, data, o, Checkpointing.none())) {
            assertEquals(manual, fitted.parameters());
        }
    }


    @Test
    void resumeAfterAKillEqualsTheUninterruptedRun() throws IOException {
        Dataset data = grey("grey", 60, 6, 4);
        Dataset test = grey("test", 30, 6, 5);
        RbmOptions o = small().epochs(4).build();
        Rbm straight = Rbm.fit(backend, data, test, o, Checkpointing.none());
        Path ckpt = dir.resolve("checkpoint.ebm");
        assertThrows(IllegalStateException.class,
                () -> Rbm.fit(backend, data, test, o, Checkpointing.every(ckpt, 1), new Interrupt(2)));
        List<Integer> epochs = new ArrayList<>();
        TrainingListener seen = TrainingListener.forReports(r -> epochs.add(r.epoch()));
        try (straight; Rbm resumed = Rbm.resume(ckpt, data, test, null, backend, Checkpointing.every(ckpt, 1), seen)) {
            assertEquals(List.of(3, 4), epochs);
            assertEquals(straight.parameters(), resumed.parameters(), "checkpoint + resume == uninterrupted run");
            assertEquals(straight.provenance(), resumed.provenance(), "same provenance, draw positions included");
        }
    }

    /**
     * A learning rate of 1e38 takes float32 weights to 1e37 or to infinity within a few updates (each
     * adds up to 1e38 times a gradient entry of order 0.1-1; float32 ends at 3.4e38), and halving it
     * three times does not help: the run fails naming the tensor that became non-finite or grew by
     * orders of magnitude ({@link org.ebm4j.train.TrainingSafety#MAX_GROWTH}), and a checkpoint left
     * behind is a finite one.
     */
    @Test
    void aDivergedRunStopsAtItsCheckpointNamingTheTensor() throws IOException {
        Dataset data = grey("grey", 60, 6, 4);
        Path ckpt = dir.resolve("diverged.ebm");
        RbmOptions o = small().learningRate(1e38).momentum(0.9).epochs(5).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Rbm.fit(backend, data, o, Checkpointing.every(ckpt, 1)));
        assertTrue(e.getMessage().matches("training diverged in epoch \\d+ \\((non-finite value (NaN|-?Infinity) in "
                + "[A-Za-z.]+|the largest magnitude in [A-Za-z.]+ grew from \\S+ to \\S+ in one epoch)\\) after 3 "
                + "rollback\\(s\\).*"), e.getMessage());
        if (Files.exists(ckpt)) {
            Rbm.load(ckpt, backend).close();
        }
    }

    @Test
    void resumeRefusesOtherOptionsAndOtherData() throws IOException {
        Dataset data = grey("grey", 40, 5, 6);
        RbmOptions o = small().epochs(1).build();
        Path ckpt = dir.resolve("c.ebm");
        Rbm.fit(backend, data, o, Checkpointing.every(ckpt, 1)).close();
        assertEquals(o, Rbm.readOptions(ckpt));
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class,
                () -> Rbm.checkResumable(ckpt, data, null, o.toBuilder().learningRate(0.2).build()));
        assertTrue(lr.getMessage().contains("lr=0.2 here but the checkpoint " + ckpt + " was trained with lr=0.1"),
                lr.getMessage());
        Dataset other = grey("other", 40, 5, 7);
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> Rbm.checkResumable(ckpt, other, null, null));
        assertTrue(d.getMessage().startsWith("data other (40x5, sha256 " + other.sha256() + ") is not the data " + ckpt
                + " was trained on (grey, 40x5, sha256 " + data.sha256() + ")"), d.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> Rbm.checkResumable(ckpt, data, other, null));
        assertTrue(t.getMessage().contains("was trained without a test set"), t.getMessage());
        // A constant rate lets a finished run go on for more epochs; a schedule does not.
        assertEquals(3, Rbm.checkResumable(ckpt, data, null, o.toBuilder().epochs(3).metricsEvery(2).build()).epochs());
        Path lin = dir.resolve("lin.ebm");
        RbmOptions linear = o.toBuilder().schedule(LearningRateSchedule.parse("linear:0.5")).build();
        Rbm.fit(backend, data, linear, Checkpointing.every(lin, 1)).close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Rbm.checkResumable(lin, data, null, linear.toBuilder().epochs(3).build()));
        assertTrue(e.getMessage().contains("epochs=3 here"), e.getMessage());
    }

    @Test
    void provenanceRecordsOptionsDataSeedBackendAndDraws() {
        Dataset data = grey("grey", 40, 5, 8);
        Dataset test = grey("test", 20, 5, 9);
        RbmOptions o = small().build();
        try (Rbm rbm = Rbm.fit(backend, data, test, o, Checkpointing.none())) {
            Provenance p = rbm.provenance();
            assertEquals(new java.util.TreeMap<>(o.toMap()), p.options());
            assertEquals(o, RbmOptions.fromMap(p.options()));
            assertEquals("grey", p.get("data.source"));
            assertEquals("40", p.get("data.rows"));
            assertEquals(data.sha256(), p.get("data.sha256"));
            assertEquals(test.sha256(), p.get("test.sha256"));
            assertEquals("5", p.get("seed"));
            assertEquals(backend.name(), p.get("backend"));
            assertEquals(Provenance.libraryVersion(), p.get("ebm4j_version"));
            assertEquals(Provenance.jvm(), p.get("jvm"));
            // 3 epochs of 5 batches (40 rows, test rows held out), 2 PCD half-steps per batch.
            assertEquals("30", p.get("draw.rbm_sampling"));
            assertEquals("3", p.get("draw.rbm_shuffle"));
        }
    }

    @Test
    void reportsCarryTheMetricsAtTheirCadence() {
        Dataset data = grey("grey", 40, 5, 10);
        List<EpochReport> reports = new ArrayList<>();
        TrainingListener l = TrainingListener.forReports(reports::add);
        try (Rbm rbm = Rbm.fit(backend, data, small().epochs(3).metricsEvery(2).build(), Checkpointing.none(), l)) {
            assertEquals(3, reports.size());
            assertEquals(Map.of(), reports.get(0).metrics());
            assertEquals(List.of("recon_error", "recon_error_heldout", "free_energy_gap", "pseudo_likelihood_heldout",
                    "metrics_seconds"), List.copyOf(reports.get(1).metrics().keySet()));
            assertTrue(reports.get(2).metrics().containsKey("recon_error"), "the last epoch always evaluates");
            assertEquals(0.1f, reports.get(2).learningRate(), 0.0, "constant rate by default (the float the update uses)");
        }
    }

    @Test
    void scoresOnRawData() {
        Dataset data = grey("grey", 40, 5, 11);
        try (Rbm rbm = Rbm.fit(backend, data, small().build(), Checkpointing.none())) {
            double logZ = rbm.exactLogPartition();
            double[] f = rbm.freeEnergy(data);
            double mean = 0;
            for (double x : f) {
                mean += x / f.length;
            }
            assertEquals(-mean - logZ, rbm.logLikelihood(data, logZ), 1e-9);
            RbmEvaluation ev = rbm.evaluate(data, logZ);
            assertEquals(rbm.logLikelihood(data, logZ), ev.averageLogLikelihood(), 0.0);
            assertTrue(ev.pseudoLikelihood().isPresent() && ev.pseudoLikelihood().getAsDouble() < 0);
            AisResult ais = rbm.estimateLogPartition(new AisOptions(50, 500, 1));
            assertEquals(logZ, ais.logZ(), 0.1, "AIS near the exact value on a 5x4 model");
            try (Rbm grey = rbm.withBinarization(Binarization.none())) {
                assertTrue(grey.evaluate(data, logZ).pseudoLikelihood().isEmpty(), "grey data has no pseudo-likelihood");
                assertEquals(rbm.parameters(), grey.parameters());
            }
        }
        try (Rbm bare = Rbm.zeros(backend, VisibleType.BERNOULLI, 5, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> bare.estimateLogPartition(AisOptions.defaults()));
            assertTrue(e.getMessage().contains("no training-data means"), e.getMessage());
            assertTrue(bare.provenance().entries().isEmpty());
            IllegalArgumentException cols = assertThrows(IllegalArgumentException.class,
                    () -> bare.transform(grey("wide", 3, 6, 1)));
            assertEquals("wide has 6 columns but the model has 5 visible units", cols.getMessage());
        }
    }

    @Test
    void optionsDefaultToAConstantRateAndTheCliDefaults() {
        RbmOptions o = RbmOptions.builder().learningRate(0.05).epochs(2).build();
        assertEquals(0.05, o.learningRate(1), 0.0, "the second epoch trains at the rate asked for");
        assertEquals(256, o.hidden());
        assertEquals(VisibleType.BERNOULLI, o.visibleType());
        assertEquals(Binarization.fixed(0.5f), o.binarization());
        assertEquals(1000, o.holdout());
        assertEquals(TrainingMethod.PCD, o.method());
        assertEquals(20, RbmOptions.builder().build().epochs());
    }

    @Test
    void optionsRoundTripThroughTheirMap() {
        RbmOptions a = RbmOptions.builder().build();
        RbmOptions b = RbmOptions.builder().hidden(17).visibleType(VisibleType.GAUSSIAN).standardize(false)
                .binarization(Binarization.stochastic(99)).holdout(0).method(TrainingMethod.CD).k(3).chains(5)
                .learningRate(0.0123).schedule(LearningRateSchedule.parse("exp:0.97")).momentum(0.9).weightDecay(2e-4)
                .sparsity(0.05, 0.3).batchSize(7).epochs(11).seed(-4).initWeightStd(0.1).metricsEvery(3).build();
        for (RbmOptions o : List.of(a, b)) {
            assertEquals(o, RbmOptions.fromMap(o.toMap()));
            assertEquals(o, o.toBuilder().build());
        }
        assertEquals("stochastic:99", b.toMap().get("binarization"));
        assertEquals("NaN", a.toMap().get("sparsity_target"));
    }

    @Test
    void optionValidationNamesTheOptionTheRangeAndTheValue() {
        assertMessage("hidden: must be >= 1, found 0", () -> RbmOptions.builder().hidden(0).build());
        assertMessage("momentum: must lie in [0, 1), found 1.0", () -> RbmOptions.builder().momentum(1).build());
        assertMessage("lr: must be finite and > 0, found -1.0",
                () -> RbmOptions.builder().learningRate(-1).build());
        assertMessage("sparsity_target: must lie in (0, 1) (or NaN for none), found 1.5",
                () -> RbmOptions.builder().sparsity(1.5, 0.1).build());
        assertMessage("sparsity_cost: 0.1 needs a sparsity_target in (0, 1); without one the penalty has nothing to "
                + "pull towards", () -> RbmOptions.builder().sparsity(Double.NaN, 0.1).build());
        assertMessage("holdout: must be >= 0, found -1", () -> RbmOptions.builder().holdout(-1).build());
        assertMessage("metrics_every: must be >= 1, found 0", () -> RbmOptions.builder().metricsEvery(0).build());
        assertMessage("k: must be >= 1, found 0", () -> RbmOptions.builder().k(0).build());
        Map<String, String> m = new java.util.LinkedHashMap<>(RbmOptions.builder().build().toMap());
        m.put("colour", "blue");
        assertMessage("unknown RBM option(s) [colour]", () -> RbmOptions.fromMap(m));
        m.remove("colour");
        m.put("k", "two");
        assertMessage("RBM option 'k' has a malformed value 'two'", () -> RbmOptions.fromMap(m));
        m.remove("k");
        assertMessage("RBM options lack 'k'", () -> RbmOptions.fromMap(m));
        assertMessage("ais_betas: must be >= 3, found 2", () -> new AisOptions(10, 2, 1));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
