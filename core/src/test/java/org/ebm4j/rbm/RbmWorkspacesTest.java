package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every evaluation, sampler and trainer of the package on models without weights, where each result
 * has a closed form: with {@code W = 0} the layers are independent, so {@code F(v) = -b.v -
 * sum_j softplus(c_j)}, {@code log Z = sum_i softplus(b_i) + sum_j softplus(c_j)}, {@code E[v | h] =
 * sigmoid(b)} and {@code p(h = 1 | v) = sigmoid(c)}. Sizes are picked so that the batched paths run a
 * full batch and a tail, and {@link NoLeakedTensors} fails a test whose code under test leaves a
 * workspace open.
 */
@ExtendWith(NoLeakedTensors.class)
class RbmWorkspacesTest {
    private final Backend backend = new ReferenceBackend();

    private static final float[] B = {0.4f, -1.1f, 0.9f};
    private static final float[] C = {-0.3f, 0.8f};

    private static double softplus(double z) {
        return Math.log1p(Math.exp(z));
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static RbmParameters unweighted(VisibleType type) {
        return new RbmParameters(type, 3, 2, new float[6], B.clone(), C.clone());
    }

    /** {@code n} binary rows of 3 columns, row r holding the bits of {@code r % 8}. */
    private static float[] bits(int n) {
        float[] v = new float[n * 3];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < 3; i++) {
                v[r * 3 + i] = (r % 8 >> i) & 1;
            }
        }
        return v;
    }

    /** 1003 rows: one batch of {@link FreeEnergies#BATCH} and a tail of 3, each row's value by hand. */
    @Test
    void batchedEvaluationsCoverTheTailRows() {
        int n = FreeEnergies.BATCH + 3;
        float[] v = bits(n);
        double sumC = softplus(C[0]) + softplus(C[1]);
        double[] wantF = new double[n];
        double wantSum = 0;
        double wantRecon = 0;
        for (int r = 0; r < n; r++) {
            double bv = 0;
            for (int i = 0; i < 3; i++) {
                bv += B[i] * v[r * 3 + i];
                double e = v[r * 3 + i] - sigmoid(B[i]);
                wantRecon += e * e;
            }
            wantF[r] = -bv - sumC;
            wantSum += wantF[r];
        }
        try (Rbm rbm = Rbm.of(backend, unweighted(VisibleType.BERNOULLI)); Tensor data = backend.fromArray(v, n, 3)) {
            double[] f = FreeEnergies.values(rbm, data);
            assertArrayEquals(wantF, f, 1e-5);
            assertEquals(wantSum, FreeEnergies.sum(rbm, data), 1e-5 * n);
            assertEquals(wantSum / n, FreeEnergies.mean(rbm, data), 1e-5);
            assertEquals(wantRecon / n, ReconstructionError.mean(rbm, data), 1e-5);
            double logZ = softplus(B[0]) + softplus(B[1]) + softplus(B[2]) + sumC;
            assertEquals(-wantSum / n - logZ, LogLikelihood.average(rbm, data, logZ), 1e-5);
        }
    }

    /**
     * Pseudo-likelihood over a chunk of {@code 2^22 / (16 * 256) = 1024} rows and a tail of 6: without
     * weights {@code p(v_i | v_-i) = sigmoid(b_i)} for a one and {@code 1 - sigmoid(b_i)} for a zero.
     */
    @Test
    void pseudoLikelihoodCoversAChunkAndATail() {
        int nv = 16;
        int nh = 256;
        int n = 1030;
        float[] b = new float[nv];
        for (int i = 0; i < nv; i++) {
            b[i] = (i % 5 - 2) * 0.3f;
        }
        float[] v = new float[n * nv];
        java.util.Random r = new java.util.Random(3);
        double want = 0;
        for (int k = 0; k < v.length; k++) {
            // The tail leans towards ones so a tail read from the wrong rows shows.
            v[k] = r.nextDouble() < (k >= 1024 * nv ? 0.9 : 0.3) ? 1f : 0f;
            double p = sigmoid(b[k % nv]);
            want += Math.log(v[k] == 1f ? p : 1 - p);
        }
        want /= v.length;
        try (Rbm rbm = Rbm.of(backend, new RbmParameters(VisibleType.BERNOULLI, nv, nh, new float[nv * nh], b,
                new float[nh])); Tensor data = backend.fromArray(v, n, nv)) {
            assertEquals(want, PseudoLikelihood.mean(rbm, data), 1e-5);
        }
    }

    /**
     * Enumerating 13 hidden units takes two chunks of 4096 states, each reported; enumerating the
     * visible layer (the smaller one of a 2 x 3 model) and a Gaussian model agree with the closed forms
     * ({@code (nv/2) log 2 pi + sum_j softplus(c_j)} for unit-variance Gaussians).
     */
    @Test
    void exactLogPartitionReportsEachChunkAndMatchesTheClosedForms() {
        float[] b = new float[14];
        float[] c = new float[13];
        double want = 0;
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 3 - 1) * 0.7f;
            want += softplus(b[i]);
        }
        for (int j = 0; j < c.length; j++) {
            c[j] = (j % 4 - 1.5f) * 0.5f;
            want += softplus(c[j]);
        }
        List<long[]> progress = new ArrayList<>();
        try (Rbm rbm = Rbm.of(backend, new RbmParameters(VisibleType.BERNOULLI, 14, 13, new float[14 * 13], b, c))) {
            assertEquals(want, rbm.exactLogPartition((done, total) -> progress.add(new long[] {done, total})), 1e-4);
        }
        assertEquals(2, progress.size());
        assertArrayEquals(new long[] {4096, 8192}, progress.get(0));
        assertArrayEquals(new long[] {8192, 8192}, progress.get(1));
        try (Rbm wide = Rbm.of(backend, new RbmParameters(VisibleType.BERNOULLI, 2, 3, new float[6],
                new float[] {B[0], B[1]}, new float[] {C[0], C[1], 0.5f}));
             Rbm gaussian = Rbm.of(backend, unweighted(VisibleType.GAUSSIAN))) {
            assertEquals(softplus(B[0]) + softplus(B[1]) + softplus(C[0]) + softplus(C[1]) + softplus(0.5),
                    wide.exactLogPartition(), 1e-5);
            assertEquals(1.5 * Math.log(2 * Math.PI) + softplus(C[0]) + softplus(C[1]), gaussian.exactLogPartition(),
                    1e-5);
        }
    }

    /**
     * With {@code W = 0} and base rates {@code sigmoid(b)} the base model has the target's visible
     * biases, and the hidden terms telescope: every run's log weight is {@code sum_j softplus(c_j) -
     * nh log 2}, whatever it samples, so the estimate is exact and its interval has no width. 130
     * temperatures flush the log weights after steps 64, 128 and 129, each reported.
     */
    @Test
    void aisOnAModelWithoutWeightsIsExactAndReportsEveryFlush() {
        float[] means = new float[3];
        for (int i = 0; i < 3; i++) {
            means[i] = (float) sigmoid(B[i]);
        }
        List<long[]> progress = new ArrayList<>();
        AisResult a;
        try (Rbm rbm = Rbm.of(backend, unweighted(VisibleType.BERNOULLI))) {
            a = AisEstimator.estimate(rbm, means, AisEstimator.betas(130), 5, new RandomStream(4),
                    (done, total) -> progress.add(new long[] {done, total}));
        }
        double logZ = softplus(B[0]) + softplus(B[1]) + softplus(B[2]) + softplus(C[0]) + softplus(C[1]);
        assertEquals(logZ, a.logZ(), 1e-4);
        assertEquals(logZ, a.logZLow(), 1e-4);
        assertEquals(logZ, a.logZHigh(), 1e-4);
        assertEquals(5, a.runs());
        assertEquals(130, a.betas());
        assertEquals(3, progress.size());
        assertArrayEquals(new long[] {64, 129}, progress.get(0));
        assertArrayEquals(new long[] {128, 129}, progress.get(1));
        assertArrayEquals(new long[] {129, 129}, progress.get(2));
        // A Gaussian model: its base rates are its biases, so the same telescoping holds.
        try (Rbm g = Rbm.of(backend, unweighted(VisibleType.GAUSSIAN))) {
            AisResult ga = AisEstimator.estimate(g, B.clone(), AisEstimator.betas(10), 3, new RandomStream(4));
            assertEquals(1.5 * Math.log(2 * Math.PI) + softplus(C[0]) + softplus(C[1]), ga.logZ(), 1e-4);
        }
    }

    /** Plain and tempered sampling end on {@code E[v | h] = sigmoid(b)} (Gaussian: {@code b}) without weights. */
    @Test
    void samplersEndOnTheVisibleMeans() {
        try (Rbm rbm = Rbm.of(backend, unweighted(VisibleType.BERNOULLI));
             Rbm gaussian = Rbm.of(backend, unweighted(VisibleType.GAUSSIAN))) {
            float[] want = new float[12];
            float[] wantGaussian = new float[12];
            for (int k = 0; k < 12; k++) {
                want[k] = (float) sigmoid(B[k % 3]);
                wantGaussian[k] = B[k % 3];
            }
            assertArrayEquals(want, GibbsSampling.visibleMeans(rbm, 4, 2, new float[] {0.2f, 0.5f, 0.9f},
                    new RandomStream(1)), 1e-6f);
            assertArrayEquals(wantGaussian, GibbsSampling.visibleMeans(gaussian, 4, 1, null, new RandomStream(1)),
                    1e-6f);
            TemperedSamples t = GibbsSampling.tempered(rbm, 4, 3, new double[] {1, 0.5}, null, new RandomStream(1),
                    new RandomStream(2));
            assertArrayEquals(want, t.samples().values(), 1e-6f);
            assertArrayEquals(new double[] {1, 0.5}, t.betas());
            assertEquals(1, t.swapRates().length);
        }
    }

    /** The model's own entry points on raw data: each closes what it uploads. */
    @Test
    void modelEntryPointsOnDataSets() {
        Dataset rows = Dataset.of("rows", 8, 3, bits(8));
        try (Rbm rbm = Rbm.of(backend, unweighted(VisibleType.BERNOULLI))) {
            Dataset h = rbm.transform(rows);
            for (int k = 0; k < 16; k++) {
                assertEquals(sigmoid(C[k % 2]), h.values()[k], 1e-6);
            }
            double[] f = rbm.freeEnergy(rows);
            assertEquals(-B[0] - B[1] - B[2] - softplus(C[0]) - softplus(C[1]), f[7], 1e-5);
            RbmEvaluation e = rbm.evaluate(rows, 0);
            double meanF = 0;
            for (double x : f) {
                meanF += x / 8;
            }
            assertEquals(-meanF, e.averageLogLikelihood(), 1e-5);
            assertTrue(e.pseudoLikelihood().isPresent());
            AisResult a = rbm.estimateLogPartition(new AisOptions(3, 5, 1), rows);
            assertTrue(Double.isFinite(a.logZ()));
            try (Rbm copy = rbm.withBinarization(org.ebm4j.data.Binarization.fixed(0.5f))) {
                assertEquals(rbm.parameters(), copy.parameters());
                assertEquals(org.ebm4j.data.Binarization.fixed(0.5f), copy.binarization());
            }
        }
    }

    /** A trained model's sampling paths (plain and tempered) and a fit with held-out rows. */
    @Test
    void fitSampleAndTemperedSampleCloseTheirWorkspaces() {
        Dataset data = RbmFitTest.grey("grey", 40, 5, 2);
        RbmOptions o = RbmOptions.builder().hidden(3).holdout(10).chains(4).batchSize(7).epochs(1).build();
        try (Rbm rbm = Rbm.fit(backend, data, o, Checkpointing.none())) {
            assertEquals(6, rbm.sample(6, 2, 1).rows());
            assertEquals(4, rbm.sampleTempered(4, 2, TemperatureLadder.geometric(0.5), 3, 1).samples().rows());
        }
    }

    /** Every trainer configuration: one epoch over batches with a tail (23 rows, batch 10), then closed. */
    @Test
    void everyTrainerConfigurationClosesItsWorkspaces() {
        float[] v = bits(23);
        List<RbmOptions> configs = List.of(
                RbmOptions.builder().method(TrainingMethod.CD).k(2).batchSize(10).epochs(1).build(),
                RbmOptions.builder().method(TrainingMethod.PCD).chains(4).batchSize(10).epochs(1)
                        .sparsity(0.2, 0.1).build(),
                RbmOptions.builder().method(TrainingMethod.PT).replicas(3).chains(4).batchSize(10).epochs(1)
                        .centering(true).build());
        for (RbmOptions o : configs) {
            try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 3, 2); Tensor d = backend.fromArray(v, 23, 3);
                 RbmTrainer t = new RbmTrainer(rbm, o, d)) {
                RbmTrainer.initialize(rbm, o, d);
                assertEquals(3, t.batchesPerEpoch());
                t.trainEpoch(List.of());
                assertEquals(1, t.epochsDone());
            }
        }
    }
}
