package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Standardization;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Optimizer;
import org.junit.jupiter.api.Test;

/**
 * The package's refusals of bad input, each at the first value refused beside the last one accepted
 * where there is such a pair, with the message that names what is wrong; and the small pieces of
 * arithmetic whose results are known by hand.
 */
class RbmInputChecksTest {
    private final Backend backend = new ReferenceBackend();

    private static String message(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable call) {
        return assertThrows(type, call).getMessage();
    }

    /**
     * {@code 7 * 306783377 = 2^31 - 9}, the most weights one tensor holds: accepted (and then refused
     * for the missing array, so nothing that large is allocated); one more hidden unit is too many.
     */
    @Test
    void parametersRefuseEmptyLayersWrongLengthsAndTooManyWeights() {
        assertEquals("an RBM needs at least one visible and one hidden unit, found 0x2", message(
                IllegalArgumentException.class, () -> RbmParameters.zeros(VisibleType.BERNOULLI, 0, 2)));
        assertEquals("an RBM needs at least one visible and one hidden unit, found 2x0", message(
                IllegalArgumentException.class, () -> RbmParameters.zeros(VisibleType.BERNOULLI, 2, 0)));
        assertEquals(1, RbmParameters.zeros(VisibleType.BERNOULLI, 1, 1).weights().length);
        assertEquals("weights", message(NullPointerException.class,
                () -> new RbmParameters(VisibleType.BERNOULLI, 7, 306_783_377, null, null, null)));
        assertEquals("RBM 7x306783378 has too many weights for one tensor", message(IllegalArgumentException.class,
                () -> new RbmParameters(VisibleType.BERNOULLI, 7, 306_783_378, null, null, null)));
        assertEquals("weights must have 6 values, found 5", message(IllegalArgumentException.class,
                () -> new RbmParameters(VisibleType.BERNOULLI, 2, 3, new float[5], new float[2], new float[3])));
        assertEquals("visible bias must have 2 values, found 3", message(IllegalArgumentException.class,
                () -> new RbmParameters(VisibleType.BERNOULLI, 2, 3, new float[6], new float[3], new float[3])));
        assertEquals("hidden bias must have 3 values, found 2", message(IllegalArgumentException.class,
                () -> new RbmParameters(VisibleType.BERNOULLI, 2, 3, new float[6], new float[2], new float[2])));
    }

    @Test
    void parametersIndexWeightsRowMajorAndCompareByValue() {
        RbmParameters p = new RbmParameters(VisibleType.BERNOULLI, 2, 3, new float[] {1, 2, 3, 4, 5, 6},
                new float[] {7, 8}, new float[] {9, 10, 11});
        assertEquals(2f, p.weight(0, 1));
        assertEquals(4f, p.weight(1, 0));
        assertEquals(6f, p.weight(1, 2));
        RbmParameters same = new RbmParameters(VisibleType.BERNOULLI, 2, 3, p.weights().clone(),
                p.visibleBias().clone(), p.hiddenBias().clone());
        assertEquals(p, same);
        assertEquals(p.hashCode(), same.hashCode());
        assertNotEquals(p, new RbmParameters(VisibleType.GAUSSIAN, 2, 3, p.weights(), p.visibleBias(), p.hiddenBias()));
        assertNotEquals(p, new RbmParameters(VisibleType.BERNOULLI, 2, 3, p.weights(), p.visibleBias(),
                new float[] {9, 10, 12}));
        assertNotEquals(p, new RbmParameters(VisibleType.BERNOULLI, 2, 3, p.weights(), new float[] {7, 9},
                p.hiddenBias()));
        assertNotEquals(p, new RbmParameters(VisibleType.BERNOULLI, 3, 2, p.weights(), new float[] {7, 8, 0},
                new float[] {9, 10}));
        assertNotEquals(p, "p");
        assertEquals("RbmParameters[bernoulli 2x3]", p.toString());
    }

    @Test
    void aModelRefusesParametersAndDataOfAnotherShape() {
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 3, 2)) {
            assertEquals("Rbm[bernoulli 3x2 on reference]", rbm.toString());
            assertEquals("parameters are a gaussian 3x2 RBM but this model is bernoulli 3x2", message(
                    IllegalArgumentException.class, () -> rbm.setParameters(RbmParameters.zeros(VisibleType.GAUSSIAN,
                            3, 2))));
            assertEquals("parameters are a bernoulli 4x2 RBM but this model is bernoulli 3x2", message(
                    IllegalArgumentException.class, () -> rbm.setParameters(RbmParameters.zeros(VisibleType.BERNOULLI,
                            4, 2))));
            assertEquals("parameters are a bernoulli 3x3 RBM but this model is bernoulli 3x2", message(
                    IllegalArgumentException.class, () -> rbm.setParameters(RbmParameters.zeros(VisibleType.BERNOULLI,
                            3, 3))));
            assertEquals("four has 4 columns but the model has 3 visible units", message(IllegalArgumentException.class,
                    () -> rbm.freeEnergy(Dataset.of("four", 1, 4, new float[4]))));
            assertEquals("an RBM needs at least one visible and one hidden unit, found 3x0", message(
                    IllegalArgumentException.class, () -> Rbm.forTraining(backend, VisibleType.BERNOULLI, 3, 0, null,
                            null, null)));
            assertEquals("standardization has 2 columns but the model has 3 visible units", message(
                    IllegalArgumentException.class, () -> Rbm.forTraining(backend, VisibleType.BERNOULLI, 3, 2,
                            new Standardization(new float[2], new float[] {1, 1}), null, null)));
            assertEquals("visible means must have 3 values, found 2", message(IllegalArgumentException.class,
                    () -> Rbm.forTraining(backend, VisibleType.BERNOULLI, 3, 2, null, null, new float[2])));
            try (Tensor other = new ReferenceBackend().allocate(1, 3); Tensor wide = backend.allocate(1, 4)) {
                assertEquals("data is on backend 'reference' but the model is on 'reference'", message(
                        IllegalArgumentException.class, () -> FreeEnergies.sum(rbm, other)));
                assertEquals("data has 4 columns but the model has 3 visible units", message(
                        IllegalArgumentException.class, () -> ReconstructionError.mean(rbm, wide)));
                assertEquals("training data is on backend 'reference' but the model is on 'reference'", message(
                        IllegalArgumentException.class, () -> new RbmTrainer(rbm, RbmOptions.builder().build(), other)));
                assertEquals("data has 4 columns but the model has 3 visible units", message(
                        IllegalArgumentException.class, () -> new RbmTrainer(rbm, RbmOptions.builder().build(), wide)));
            }
        }
    }

    /** A standard deviation of 0 is accepted (all weights exactly 0); below 0 and non-finite ones are not. */
    @Test
    void initializationChecksTheWeightStdAndTheMeans() {
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 3, 2);
             Rbm gaussian = Rbm.zeros(backend, VisibleType.GAUSSIAN, 3, 2)) {
            for (float bad : new float[] {-1e-6f, Float.NaN, Float.POSITIVE_INFINITY}) {
                assertEquals("initial weight std must be finite and >= 0, found " + bad, message(
                        IllegalArgumentException.class, () -> rbm.initialize(bad, new RandomStream(1), null)));
            }
            rbm.setParameters(new RbmParameters(VisibleType.BERNOULLI, 3, 2, new float[] {1, 1, 1, 1, 1, 1},
                    new float[] {1, 1, 1}, new float[] {1, 1}));
            rbm.initialize(0f, new RandomStream(1), null);
            assertArrayEquals(new float[6], rbm.parameters().weights());
            assertArrayEquals(new float[2], rbm.parameters().hiddenBias());
            assertArrayEquals(new float[3], rbm.parameters().visibleBias());
            assertEquals("visible means must have 3 values, found 4", message(IllegalArgumentException.class,
                    () -> rbm.initialize(0f, new RandomStream(1), new float[4])));
            gaussian.initialize(0f, new RandomStream(1), new float[] {0.25f, -2f, 7f});
            assertArrayEquals(new float[] {0.25f, -2f, 7f}, gaussian.parameters().visibleBias());
        }
        // log(p / (1 - p)) with p clipped to [0.001, 0.999]
        assertEquals(Math.log(0.001 / 0.999), Rbm.logOdds(-3f), 1e-5);
        assertEquals(Math.log(0.999 / 0.001), Rbm.logOdds(1f), 1e-4);
        assertEquals(Math.log(0.25 / 0.75), Rbm.logOdds(0.25f), 1e-6);
    }

    @Test
    void columnMeansAreTheMeansOfTheColumns() {
        // rows (1, 2), (3, 5), (0, 4)
        try (Tensor t = backend.fromArray(new float[] {1, 2, 3, 5, 0, 4}, 3, 2)) {
            assertArrayEquals(new float[] {4 / 3f, 11 / 3f}, Rbm.columnMeans(t), 1e-6f);
        }
    }

    /** Steps 0 return the starting draws (binary), chains 1 is enough, negative counts are refused. */
    @Test
    void samplingChecksItsCounts() {
        try (Rbm rbm = Rbm.of(backend, new RbmParameters(VisibleType.BERNOULLI, 3, 2, new float[6],
                new float[] {0.3f, 0.3f, 0.3f}, new float[2]))) {
            float[] start = GibbsSampling.visibleMeans(rbm, 1, 0, null, new RandomStream(1));
            for (float x : start) {
                assertTrue(x == 0f || x == 1f, "a start draw, not a mean: " + x);
            }
            assertEquals("sampling needs chains >= 1 and steps >= 0, found 1 chains, -1 steps", message(
                    IllegalArgumentException.class, () -> GibbsSampling.visibleMeans(rbm, 1, -1, null,
                            new RandomStream(1))));
            assertEquals("sampling needs chains >= 1 and steps >= 0, found 0 chains, 2 steps", message(
                    IllegalArgumentException.class, () -> GibbsSampling.tempered(rbm, 0, 2, new double[] {1, 0.5},
                            null, new RandomStream(1), new RandomStream(2))));
        }
        try (Rbm gaussian = Rbm.zeros(backend, VisibleType.GAUSSIAN, 3, 2)) {
            assertEquals("parallel tempering needs Bernoulli visible units, found gaussian", message(
                    IllegalArgumentException.class, () -> new TemperedRbm(gaussian, 4)));
        }
    }

    @Test
    void aisChecksItsInputs() {
        double[] betas = {0, 0.5, 1};
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 2, 2)) {
            float[] means = {0.5f, 0.5f};
            RandomStream rng = new RandomStream(1);
            assertEquals("AIS base rates need 2 visible means, found 3", message(IllegalArgumentException.class,
                    () -> AisEstimator.estimate(rbm, new float[3], betas, 1, rng)));
            assertEquals("AIS needs at least one run, found 0", message(IllegalArgumentException.class,
                    () -> AisEstimator.estimate(rbm, means, betas, 0, rng)));
            for (double[] bad : new double[][] {{1}, {0.1, 0.5, 1}, {0, 0.5, 0.9}}) {
                assertEquals("AIS inverse temperatures must run from 0 to 1", message(IllegalArgumentException.class,
                        () -> AisEstimator.estimate(rbm, means, bad, 1, rng)));
            }
            assertEquals("AIS inverse temperatures must increase; beta[2] = 0.5 follows 0.5", message(
                    IllegalArgumentException.class, () -> AisEstimator.estimate(rbm, means, new double[] {0, 0.5, 0.5,
                            1}, 1, rng)));
            // The smallest schedule, 0 then 1, and a single run are accepted; one run has no interval.
            AisResult one = AisEstimator.estimate(rbm, means, new double[] {0, 1}, 1, rng);
            assertEquals(Double.NEGATIVE_INFINITY, one.logZLow());
            assertEquals(Double.POSITIVE_INFINITY, one.logZHigh());
        }
        assertEquals("AIS needs at least 3 inverse temperatures, found 2", message(IllegalArgumentException.class,
                () -> AisEstimator.betas(2)));
        assertArrayEquals(new double[] {0, 0.5, 1}, AisEstimator.betas(3), 1e-12);
    }

    /**
     * Two runs with weights 0 and log 3: mean weight 2, standard error of the mean {@code sqrt(((1/2)^2 +
     * (1/2)^2) / 1 / 2) = 1/2} of it, so the interval {@code log(2 (1 -+ 3/2))} has no lower end; with
     * weights 0 and log(1.2) (mean 1.1) it is {@code sqrt(2 (0.1/1.1)^2 / 1 / 2) = 0.1/1.1}, small enough for one.
     */
    @Test
    void aisSummariesByHand() {
        AisResult wide = AisEstimator.summarize(new double[] {0, Math.log(3)}, 1.5, 7);
        assertEquals(1.5 + Math.log(2), wide.logZ(), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, wide.logZLow());
        assertEquals(1.5 + Math.log(2) + Math.log(2.5), wide.logZHigh(), 1e-12);
        assertEquals(1.5, wide.logZBase());
        assertEquals(7, wide.betas());
        AisResult narrow = AisEstimator.summarize(new double[] {0, Math.log(1.2)}, 0, 3);
        double se = Math.sqrt(2 * Math.pow(0.1 / 1.1, 2) / 2);
        assertEquals(Math.log(1.1), narrow.logZ(), 1e-12);
        assertEquals(Math.log(1.1) + Math.log(1 - 3 * se), narrow.logZLow(), 1e-12);
        assertEquals(Math.log(1.1) + Math.log(1 + 3 * se), narrow.logZHigh(), 1e-12);
    }

    /** The trainer's own batch updates: the order must cover the data, the batch must exist. */
    @Test
    void callerScheduledUpdatesCheckTheOrderAndTheBatch() {
        float[] v = new float[23 * 3];
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 3, 2); Tensor d = backend.fromArray(v, 23, 3);
             RbmTrainer t = new RbmTrainer(rbm, RbmOptions.builder().method(TrainingMethod.CD).batchSize(10).build(),
                     d)) {
            int[] order = new int[23];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            assertEquals("row order has 22 entries but the data has 23 rows", message(IllegalArgumentException.class,
                    () -> t.update(new int[22], 0, 0.1f)));
            assertEquals("batch -1 is outside 0..2", message(IllegalArgumentException.class,
                    () -> t.update(order, -1, 0.1f)));
            assertEquals("batch 3 is outside 0..2", message(IllegalArgumentException.class,
                    () -> t.update(order, 3, 0.1f)));
            t.update(order, 2, 0.1f);
            t.update(order, 0, 0.1f);
            assertTrue(t.swapRates().isEmpty());
            assertEquals(null, t.tempering());
            assertEquals(null, t.centeringOffsets());
        }
    }

    /**
     * {@code b'.mu + c'.lambda - mu W lambda} for {@code b' = (2, -1)}, {@code c' = 3}, {@code W = (5, 4)^T},
     * {@code mu = (0.5, 0.25)}, {@code lambda = 0.25}: {@code 0.75 + 0.75 - 0.875 = 0.625}.
     */
    @Test
    void centeredFormShiftAndOffsetChecks() {
        RbmParameters p = new RbmParameters(VisibleType.BERNOULLI, 2, 1, new float[] {5, 4}, new float[] {2, -1},
                new float[] {3});
        CenteredParameters c = new CenteredParameters(p, new float[] {0.5f, 0.25f}, new float[] {0.25f});
        assertEquals(0.625, c.energyShift(), 1e-12);
        // b = b' - W lambda = (2 - 1.25, -1 - 1), c = c' - W^T mu = 3 - (2.5 + 1)
        RbmParameters u = c.uncentered();
        assertArrayEquals(new float[] {0.75f, -2f}, u.visibleBias(), 1e-6f);
        assertArrayEquals(new float[] {-0.5f}, u.hiddenBias(), 1e-6f);
        assertEquals("centering offsets must have 2 visible and 1 hidden values, found 1 and 1", message(
                IllegalArgumentException.class, () -> new CenteredParameters(p, new float[1], new float[1])));
        assertEquals("centering offsets must have 2 visible and 1 hidden values, found 2 and 2", message(
                IllegalArgumentException.class, () -> new CenteredParameters(p, new float[2], new float[2])));
        float[] mu = {0.5f, 0.25f};
        CenteringOffsets o = new CenteringOffsets(mu, new float[] {0.25f});
        mu[0] = 9;
        o.visible()[1] = 9;
        assertArrayEquals(new float[] {0.5f, 0.25f}, o.visible());
    }

    @Test
    void modelFilesRefuseOffsetsMeansAndShapesThatDoNotFit() throws ModelFormatException {
        RbmParameters p = RbmParameters.zeros(VisibleType.BERNOULLI, 2, 3);
        assertEquals("visible means must have 2 values, found 3", message(IllegalArgumentException.class,
                () -> new RbmModelFile(p, Map.of(), null, new float[3], null)));
        assertEquals("centering offsets must have 2 and 3 values, found 3 and 3", message(
                IllegalArgumentException.class, () -> new RbmModelFile(p, Map.of(), null, null, null,
                        new CenteringOffsets(new float[3], new float[3]))));
        assertEquals("centering offsets must have 2 and 3 values, found 2 and 2", message(
                IllegalArgumentException.class, () -> new RbmModelFile(p, Map.of(), null, null, null,
                        new CenteringOffsets(new float[2], new float[2]))));
        ModelFile f = new RbmModelFile(p, Map.of()).toModelFile();
        assertEquals(Binarization.none(), RbmModelFile.from(f, "f").binarization());
        f.putMetadata("rbm.visible", "0");
        assertEquals("f: RBM shape 0x3 must be positive", message(ModelFormatException.class,
                () -> RbmModelFile.from(f, "f")));
        f.putMetadata("rbm.visible", "2").putMetadata("rbm.hidden", "0");
        assertEquals("f: RBM shape 2x0 must be positive", message(ModelFormatException.class,
                () -> RbmModelFile.from(f, "f")));
        // Files from before the model carried its preprocessing name the binarization data.binarize.
        ModelFile old = new ModelFile();
        Map<String, String> m = new java.util.LinkedHashMap<>(new RbmModelFile(p, Map.of()).toModelFile().metadata());
        m.remove("rbm.binarization");
        m.put("data.binarize", "fixed:0.25");
        old.putMetadata(m);
        old.putTensor("W", 2, 3, new float[6]).putTensor("vbias", 1, 2, new float[2]).putTensor("hbias", 1, 3,
                new float[3]);
        assertEquals(Binarization.fixed(0.25f), RbmModelFile.from(old, "old").binarization());
        old.putMetadata("data.binarize", "sometimes");
        assertTrue(message(ModelFormatException.class, () -> RbmModelFile.from(old, "old"))
                .startsWith("old: malformed RBM binarization: "));
    }

    /** The one-line summaries of a default run and of one with every optional part. */
    @Test
    void optionsSummariesAndCrossFieldChecks() {
        assertEquals("PCD-1 chains=100 lr=0.0500000 (constant) momentum=0.500000 wd=0.00000 batch=100 epochs=20 seed=1",
                RbmOptions.builder().build().summary());
        assertEquals("CD-2 lr=0.100000 (constant) momentum=0.00000 wd=0.00000 batch=10 epochs=3 seed=4",
                RbmOptions.builder().method(TrainingMethod.CD).k(2).learningRate(0.1).momentum(0).batchSize(10)
                        .epochs(3).seed(4).build().summary());
        RbmOptions full = RbmOptions.builder().method(TrainingMethod.PT).replicas(3)
                .betas(TemperatureLadder.of(1, 0.5, 0.25)).centering(true).optimizer(Optimizer.ADAM).weightDecay(0.01)
                .sparsity(0.1, 0.2).schedule(LearningRateSchedule.parse("exp:0.5")).build();
        assertEquals("PT-1 chains=100 replicas=3 betas=" + TemperatureLadder.of(1, 0.5, 0.25) + " centered lr=0.0500000"
                + " (exp:0.5) adam wd=0.0100000 sparsity=0.100000/0.200000 batch=100 epochs=20 seed=1", full.summary());
        assertTrue(full.hasSparsity());
        assertFalse(RbmOptions.builder().sparsity(0.1, 0).build().hasSparsity());
        assertTrue(message(IllegalArgumentException.class, () -> RbmOptions.builder().sparsity(Double.NaN, 0.2).build())
                .contains("needs a sparsity_target in (0, 1)"));
        assertTrue(message(IllegalArgumentException.class, () -> RbmOptions.builder().visibleType(VisibleType.GAUSSIAN)
                .centering(true).build()).contains("needs Bernoulli visible units, found gaussian"));
        RbmOptions.builder().hidden(3).chains(2).build().requireMemory(4);
    }
    @Test
    void theExactCdObjectiveChecksItsDistribution() {
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 2, 1);
             Rbm gaussian = Rbm.zeros(backend, VisibleType.GAUSSIAN, 2, 1)) {
            assertEquals("the exact CD objective enumerates binary visibles; this RBM has GAUSSIAN visibles", message(
                    IllegalArgumentException.class, () -> ContrastiveDivergenceObjective.exact(gaussian,
                            new double[] {1, 0, 0, 0})));
            assertEquals("expected a distribution over 4 visible states, found 2 probabilities", message(
                    IllegalArgumentException.class, () -> ContrastiveDivergenceObjective.exact(rbm, new double[] {0.5,
                            0.5})));
            assertEquals("probabilities must be >= 0, found -0.5", message(IllegalArgumentException.class,
                    () -> ContrastiveDivergenceObjective.exact(rbm, new double[] {1, 0.5, -0.5, 0})));
            assertEquals("probabilities must be >= 0, found NaN", message(IllegalArgumentException.class,
                    () -> ContrastiveDivergenceObjective.exact(rbm, new double[] {1, Double.NaN, 0, 0})));
            assertEquals("the data distribution must sum to 1, found 0.9", message(IllegalArgumentException.class,
                    () -> ContrastiveDivergenceObjective.exact(rbm, new double[] {0.5, 0.4, 0, 0})));
            assertEquals("three has 3 columns but the RBM has 2 visible units", message(IllegalArgumentException.class,
                    () -> ContrastiveDivergenceObjective.exact(rbm, Dataset.of("three", 1, 3, new float[3]))));
            // A zero-weight model with zero biases is uniform over the 4 states, before and after a step;
            // a point mass on state 3 is log 4 nats from it.
            ContrastiveDivergenceObjective o = ContrastiveDivergenceObjective.exact(rbm,
                    Dataset.of("ones", 2, 2, new float[] {1, 1, 1, 1}));
            assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, o.model(), 1e-12);
            assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, o.oneStep(), 1e-12);
            assertEquals(Math.log(4), o.klData(), 1e-12);
            assertEquals(Math.log(4), o.value(), 1e-12);
        }
        // With weights one step moves part way: both divergences are positive and the objective is their gap.
        try (Rbm rbm = Rbm.of(backend, HostRbm.random(VisibleType.BERNOULLI, 2, 1, 2.0, 0.5, 3))) {
            ContrastiveDivergenceObjective o = ContrastiveDivergenceObjective.exact(rbm, new double[] {1, 0, 0, 0});
            assertTrue(o.klOneStep() > 1e-6 && o.klData() > o.klOneStep(), o.klData() + " " + o.klOneStep());
            assertEquals(o.klData() - o.klOneStep(), o.value(), 1e-15);
        }
    }
    /** Work too large for any heap is refused before it starts, naming the setting that sizes it. */
    @Test
    void workTooLargeForTheHeapIsRefusedUpFront() {
        Dataset rows = Dataset.of("rows", 2, 3, new float[] {0, 1, 1, 1, 0, 0});
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 3, 2)) {
            assertTrue(message(IllegalArgumentException.class, () -> rbm.estimateLogPartition(
                    new AisOptions(1_000_000_000, 3, 1), rows)).contains("ais_runs"));
            assertTrue(message(IllegalArgumentException.class, () -> rbm.estimateLogPartition(
                    new AisOptions(2, 2_000_000_000, 1), rows)).contains("ais_betas"));
            assertTrue(message(IllegalArgumentException.class, () -> rbm.sample(1_000_000_000, 1, 1))
                    .contains("the 1000000000 chains"));
            assertTrue(message(IllegalArgumentException.class, () -> rbm.sampleTempered(100_000_000, 1,
                    TemperatureLadder.geometric(0.5), 10, 1)).contains("the 1000000000 chains"));
        }
        assertTrue(message(IllegalArgumentException.class, () -> Rbm.fit(backend, rows, RbmOptions.builder()
                .hidden(1_000_000_000).build(), org.ebm4j.train.Checkpointing.none())).contains("hidden"));
        assertTrue(message(IllegalArgumentException.class, () -> RbmOptions.builder().chains(1_000_000_000).build()
                .requireMemory(3)).contains("the 1000000000 persistent chains"));
    }
    @Test
    void moreShapeChecksWithTheirMessages() {
        assertEquals("an RBM needs at least one visible and one hidden unit, found 0x2", message(
                IllegalArgumentException.class, () -> Rbm.zeros(backend, VisibleType.BERNOULLI, 0, 2)));
        assertEquals(new AisOptions(100, 14_500, 1L), AisOptions.defaults());
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 3, 2); Tensor wide = backend.allocate(1, 4);
             Tensor grey = backend.fromArray(new float[] {0, 1, 1, 1, 0.5f, 0}, 2, 3)) {
            assertEquals(null, rbm.visibleMeans());
            assertEquals("data has 4 columns but the model has 3 visible units", message(
                    IllegalArgumentException.class, () -> FreeEnergies.values(rbm, wide)));
            assertEquals("data has 4 columns but the model has 3 visible units", message(
                    IllegalArgumentException.class, () -> PseudoLikelihood.mean(rbm, wide)));
            // element 4 is row 1, column 1
            assertEquals("pseudo-likelihood needs binary data, found 0.5 at row 1, column 1 (binarize the data first)",
                    message(IllegalArgumentException.class, () -> PseudoLikelihood.mean(rbm, grey)));
        }
        try (Rbm rbm = Rbm.forTraining(backend, VisibleType.BERNOULLI, 2, 1, null, null, new float[] {0.25f, 0.5f})) {
            float[] means = rbm.visibleMeans();
            means[0] = 9;
            assertArrayEquals(new float[] {0.25f, 0.5f}, rbm.visibleMeans());
        }
    }

    /**
     * Two temperatures make AIS plain importance sampling from the base model: {@code Z = Z_A E_A[p*_1 / p*_0]},
     * so with 4000 runs the exact log Z lies inside the reported interval of 3 standard errors (a false alarm
     * has probability about 0.003; the seed is fixed), and the interval has width because the runs start from
     * independent draws of the base model, whose weights differ.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(VisibleType.class)
    void twoTemperatureAisIsImportanceSamplingFromTheBaseModel(VisibleType type) {
        RbmParameters p = new RbmParameters(type, 2, 1, new float[] {1.5f, -1f}, new float[] {0.2f, -0.3f},
                new float[] {0.4f});
        try (Rbm rbm = Rbm.of(backend, p)) {
            double exact = rbm.exactLogPartition();
            // Gaussian base means at the target's biases keep the weights' tails light enough for the interval.
            float[] means = type == VisibleType.GAUSSIAN ? new float[] {0.2f, -0.3f} : new float[] {0.5f, 0.3f};
            AisResult a = AisEstimator.estimate(rbm, means, new double[] {0, 1}, 4000,
                    new RandomStream(7));
            assertTrue(a.logZLow() <= exact && exact <= a.logZHigh(), a.logZLow() + " <= " + exact + " <= "
                    + a.logZHigh());
            assertTrue(a.logZHigh() - a.logZLow() > 1e-3, "the runs' weights differ");
        }
    }

    /**
     * Sampling with no steps returns the starting draws: independent units with the given means
     * (Bernoulli: probabilities 0.9, 0.1, 0.5; Gaussian: means 2, -1, 0 and unit variance), or 0.5 and the
     * visible biases without them. 4000 chains; each column mean is within 4.5 standard errors.
     */
    @Test
    void startingDrawsHaveTheAskedMeans() {
        int n = 4000;
        float[] b = {0.7f, -0.4f, 1.2f};
        try (Rbm bernoulli = Rbm.of(backend, new RbmParameters(VisibleType.BERNOULLI, 3, 2, new float[6], b,
                new float[2]));
             Rbm gaussian = Rbm.of(backend, new RbmParameters(VisibleType.GAUSSIAN, 3, 2, new float[6], b,
                     new float[2]))) {
            checkColumnMeans(GibbsSampling.visibleMeans(bernoulli, n, 0, new float[] {0.9f, 0.1f, 0.5f},
                    new RandomStream(1)), new double[] {0.9, 0.1, 0.5}, new double[] {0.09, 0.09, 0.25});
            checkColumnMeans(GibbsSampling.visibleMeans(bernoulli, n, 0, null, new RandomStream(2)),
                    new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25});
            checkColumnMeans(GibbsSampling.visibleMeans(gaussian, n, 0, new float[] {2, -1, 0}, new RandomStream(3)),
                    new double[] {2, -1, 0}, new double[] {1, 1, 1});
            checkColumnMeans(GibbsSampling.visibleMeans(gaussian, n, 0, null, new RandomStream(4)),
                    new double[] {0.7, -0.4, 1.2}, new double[] {1, 1, 1});
        }
    }

    private static void checkColumnMeans(float[] v, double[] mean, double[] variance) {
        int n = v.length / 3;
        for (int i = 0; i < 3; i++) {
            double m = 0;
            for (int r = 0; r < n; r++) {
                m += v[r * 3 + i] / (double) n;
            }
            assertEquals(mean[i], m, 4.5 * Math.sqrt(variance[i] / n), "column " + i);
        }
    }

    /**
     * Tempered samples are the visible means given the cold chains' hidden states: with weights 3 and hidden
     * biases 5 a hidden unit is on with probability above sigmoid(5) = 0.993, and each one on raises
     * {@code E[v_i | h]} from {@code sigmoid(b_i)} to at least {@code sigmoid(b_i + 3)}; a row stays at
     * {@code sigmoid(b_i)} only if both of its units are off (probability below 5e-5).
     */
    @Test
    void temperedSamplesComeFromTheColdChainsHiddenStates() {
        float[] w = {3, 3, 3, 3, 3, 3};
        try (Rbm rbm = Rbm.of(backend, new RbmParameters(VisibleType.BERNOULLI, 3, 2, w, new float[] {-1, 0, 1},
                new float[] {5, 5}))) {
            float[] s = GibbsSampling.tempered(rbm, 4, 1, new double[] {1, 0.5}, null, new RandomStream(1),
                    new RandomStream(2)).samples().values();
            for (int k = 0; k < s.length; k++) {
                double low = 1 / (1 + Math.exp(-(k % 3 - 1 + 3)));
                assertTrue(s[k] >= low - 1e-6, "value " + k + " = " + s[k]);
            }
        }
    }
}
