package org.ebm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.AisOptions;
import org.ebm4j.rbm.AisResult;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * Tiny DBMs (6-4-3 and 5-4-3-2 units) against full enumeration ({@link BruteForceDbm}): conditionals,
 * exact log Z and log-likelihood, mean-field fixed points, the variational bound, AIS and the sampled
 * gradient.
 */
class DbmTest {
    private static final int[] TWO = {6, 4, 3};
    private static final int[] THREE = {5, 4, 3, 2};

    /** {@code p} with the weights between layers 1 and 2 set to zero: then {@code p(h1, h2 | v)} factorizes. */
    private static DbmParameters factorized(DbmParameters p) {
        List<float[]> w = new ArrayList<>(p.weights());
        w.set(1, new float[w.get(1).length]);
        return new DbmParameters(p.sizes(), w, p.biases());
    }

    private static float[] randomRows(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(2);
        }
        return v;
    }

    private static Tensor[] states(Backend b, int[] sizes, double[][] x) {
        Tensor[] t = new Tensor[sizes.length];
        for (int l = 0; l < sizes.length; l++) {
            float[] f = new float[sizes[l]];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) x[l][i];
            }
            t[l] = b.fromArray(f, 1, sizes[l]);
        }
        return t;
    }

    private static void close(Tensor[] ts) {
        for (Tensor t : ts) {
            t.close();
        }
    }

    @Test
    void everyLayersConditionalMatchesEnumerationOfThatLayer() {
        for (int[] sizes : new int[][] {TWO, THREE}) {
            BruteForceDbm bf = new BruteForceDbm(BruteForceDbm.random(sizes, 1.5, 7));
            SplittableRandom r = new SplittableRandom(3);
            try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, bf.p)) {
                for (int trial = 0; trial < 5; trial++) {
                    double[][] x = bf.state(r.nextLong(1L << bf.units));
                    Tensor[] t = states(b, sizes, x);
                    for (int l = 0; l < sizes.length; l++) {
                        // p(x_l | rest) by enumerating the 2^n_l states of layer l with the rest fixed.
                        double[] marginal = new double[sizes[l]];
                        double z = 0;
                        double[] saved = x[l].clone();
                        for (int m = 0; m < 1 << sizes[l]; m++) {
                            for (int j = 0; j < sizes[l]; j++) {
                                x[l][j] = (m >>> j) & 1;
                            }
                            double w = Math.exp(-bf.energy(x));
                            z += w;
                            for (int j = 0; j < sizes[l]; j++) {
                                marginal[j] += w * x[l][j];
                            }
                        }
                        x[l] = saved;
                        try (Tensor pre = b.allocate(1, sizes[l]); Tensor probs = b.allocate(1, sizes[l])) {
                            dbm.layerProbabilities(t, l, pre, probs);
                            float[] got = probs.toArray();
                            for (int j = 0; j < sizes[l]; j++) {
                                assertEquals(marginal[j] / z, got[j], 2e-6, "layer " + l + " unit " + j);
                            }
                        }
                    }
                    close(t);
                }
            }
        }
    }

    @Test
    void exactLogPartitionAndLikelihoodMatchFullEnumeration() {
        for (int[] sizes : new int[][] {TWO, THREE}) {
            BruteForceDbm bf = new BruteForceDbm(BruteForceDbm.random(sizes, 1.0, 11));
            assertEquals(bf.logPartition(), DbmExact.logPartition(bf.p), 1e-9);
            float[] v = randomRows(5, sizes[0], 2);
            double expected = 0;
            for (int r = 0; r < 5; r++) {
                float[] row = new float[sizes[0]];
                System.arraycopy(v, r * sizes[0], row, 0, sizes[0]);
                expected += bf.logLikelihood(row) / 5;
            }
            assertEquals(expected, DbmExact.meanLogLikelihood(bf.p, v, 5), 1e-9);
        }
    }

    /** Runs mean field to a tight tolerance and returns the posteriors on the host. */
    private static float[][] meanField(Dbm dbm, float[] v, int rows, MeanField mf) {
        Backend b = dbm.backend();
        try (Tensor t = b.fromArray(v, rows, dbm.sizes()[0]);
             MeanFieldPass pass = new MeanFieldPass(dbm, LayerScales.uniform(dbm.sizes().length), rows)) {
            pass.run(t, mf);
            assertTrue(pass.change() <= mf.tolerance(), "converged: RMS change " + pass.change());
            float[][] mu = new float[dbm.sizes().length][];
            mu[0] = v.clone();
            for (int l = 1; l < mu.length; l++) {
                mu[l] = pass.mu[l].toArray();
            }
            return mu;
        }
    }

    @Test
    void meanFieldStopsAtAFixedPointOfItsEquations() {
        for (double damping : new double[] {0.0, 0.5}) {
            for (int[] sizes : new int[][] {TWO, THREE}) {
                DbmParameters p = BruteForceDbm.random(sizes, 1.5, 5);
                int rows = 4;
                float[] v = randomRows(rows, sizes[0], 9);
                try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, p)) {
                    float[][] mu = meanField(dbm, v, rows, new MeanField(1e-7, 2000, damping));
                    for (int r = 0; r < rows; r++) {
                        double[][] x = new double[sizes.length][];
                        for (int l = 0; l < sizes.length; l++) {
                            x[l] = new double[sizes[l]];
                            for (int j = 0; j < sizes[l]; j++) {
                                x[l][j] = mu[l][r * sizes[l] + j];
                            }
                        }
                        for (int l = 1; l < sizes.length; l++) {
                            double[] in = DbmExact.input(p, x, l);
                            for (int j = 0; j < sizes[l]; j++) {
                                // Float GEMMs and sigmoids: a few ulps of values near 1 on top of the 1e-7 stop.
                                assertEquals(1 / (1 + Math.exp(-in[j])), x[l][j], 2e-6,
                                        "damping " + damping + " layer " + l + " unit " + j);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void meanFieldIsTheExactPosteriorWhenItFactorizes() {
        BruteForceDbm bf = new BruteForceDbm(factorized(BruteForceDbm.random(TWO, 1.5, 13)));
        int rows = 3;
        float[] v = randomRows(rows, TWO[0], 4);
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, bf.p)) {
            float[][] mu = meanField(dbm, v, rows, new MeanField(1e-7, 100, 0));
            for (int r = 0; r < rows; r++) {
                float[] row = new float[TWO[0]];
                System.arraycopy(v, r * TWO[0], row, 0, TWO[0]);
                double[][] exact = bf.posteriorMarginals(row);
                for (int l = 1; l < TWO.length; l++) {
                    for (int j = 0; j < TWO[l]; j++) {
                        assertEquals(exact[l][j], mu[l][r * TWO[l] + j], 2e-6, "layer " + l + " unit " + j);
                    }
                }
            }
        }
    }

    @Test
    void variationalBoundNeverExceedsTheLikelihoodAndIsTightWhenThePosteriorFactorizes() {
        MeanField mf = new MeanField(1e-7, 1000, 0);
        for (int[] sizes : new int[][] {TWO, THREE}) {
            DbmParameters p = BruteForceDbm.random(sizes, 2.0, 17);
            BruteForceDbm bf = new BruteForceDbm(p);
            double logZ = bf.logPartition();
            try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, p)) {
                double largestGap = 0;
                for (int r = 0; r < 12; r++) {
                    float[] row = randomRows(1, sizes[0], 100 + r);
                    double bound = dbm.variationalBound(Dataset.of("row", 1, sizes[0], row), logZ, mf);
                    double ll = bf.logLikelihood(row);
                    // The bound is computed in float GEMMs: allow their rounding, not a real excess.
                    assertTrue(bound <= ll + 1e-5, "bound " + bound + " above log p(v) " + ll);
                    largestGap = Math.max(largestGap, ll - bound);
                }
                assertTrue(largestGap > 1e-3, "with strong W2 the posterior does not factorize: some gap, found "
                        + largestGap);
            }
        }
        BruteForceDbm bf = new BruteForceDbm(factorized(BruteForceDbm.random(TWO, 2.0, 19)));
        double logZ = bf.logPartition();
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, bf.p)) {
            for (int r = 0; r < 6; r++) {
                float[] row = randomRows(1, TWO[0], 200 + r);
                double bound = dbm.variationalBound(Dataset.of("row", 1, TWO[0], row), logZ, mf);
                assertEquals(bf.logLikelihood(row), bound, 1e-5, "tight for row " + r);
            }
        }
    }

    @Test
    void aisLogPartitionLiesWithinItsIntervalOfTheExactValue() {
        for (int[] sizes : new int[][] {TWO, THREE}) {
            DbmParameters p = BruteForceDbm.random(sizes, 1.0, 23);
            double exact = new BruteForceDbm(p).logPartition();
            try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, p)) {
                // The interval covers the estimator's spread, not its bias (AIS underestimates log Z when the
                // chains lag behind the annealing); 3,000 temperatures make the bias small against the spread
                // for these models (with weights up to 1.5, 1,000 left log Z of the 6-4-3 one 0.05 low).
                AisResult r = dbm.estimateLogPartition(new AisOptions(100, 3_000, 5));
                assertTrue(r.logZLow() <= exact && exact <= r.logZHigh(), "exact " + exact + " outside ["
                        + r.logZLow() + ", " + r.logZHigh() + "], estimate " + r.logZ());
                // The interval is the estimate -+ 3 standard errors: also demand it is informative.
                assertTrue(r.logZHigh() - r.logZLow() < 0.5, "interval width " + (r.logZHigh() - r.logZLow()));
            }
        }
    }

    @Test
    void sampledGradientIsWithinMonteCarloErrorOfTheExactGradient() {
        // With W2 = 0 the mean-field positive phase is exact, so the trainer's gradient estimates the
        // exact log-likelihood gradient; with W2 != 0 its negative phase still estimates the exact model moments.
        checkGradient(new BruteForceDbm(factorized(BruteForceDbm.random(TWO, 1.0, 29))), true);
        checkGradient(new BruteForceDbm(BruteForceDbm.random(TWO, 1.0, 31)), false);
    }

    private static void checkGradient(BruteForceDbm bf, boolean exactPositive) {
        int rows = 8;
        int chains = 4000;
        int[] sizes = bf.sizes;
        float[] v = randomRows(rows, sizes[0], 37);
        DbmOptions o = DbmOptions.builder().hidden(sizes[1], sizes[2]).chains(chains).k(200)
                .meanField(new MeanField(1e-7, 200, 0)).build();
        DbmTrainer.Stage stage = new DbmTrainer.Stage(DbmTrainer.JOINT, 1, e -> 0.1,
                LayerScales.uniform(sizes.length), StreamId.DBM_SAMPLING,
                StreamId.DBM_SHUFFLE, StreamId.DBM_CHAIN_INIT, 41);
        double[][][] moments = bf.modelMoments();
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, bf.p);
             Tensor data = b.fromArray(v, rows, sizes[0]);
             DbmTrainer trainer = new DbmTrainer(dbm, o, stage, data);
             MeanFieldPass pass = trainer.newPass(rows)) {
            trainer.gradient(data, pass, null);
            double[][] pos = new double[sizes.length][];
            for (int l = 0; l < sizes.length; l++) {
                pos[l] = new double[sizes[l]];
            }
            double[][] posPair = new double[sizes.length][];
            float[][] mu = new float[sizes.length][];
            mu[0] = v;
            for (int l = 1; l < sizes.length; l++) {
                mu[l] = pass.mu[l].toArray();
                posPair[l] = new double[sizes[l - 1] * sizes[l]];
            }
            for (int r = 0; r < rows; r++) {
                float[] row = new float[sizes[0]];
                System.arraycopy(v, r * sizes[0], row, 0, sizes[0]);
                double[][] q = exactPositive ? bf.posteriorMarginals(row) : null;
                double[][] m = new double[sizes.length][];
                for (int l = 0; l < sizes.length; l++) {
                    m[l] = new double[sizes[l]];
                    for (int j = 0; j < sizes[l]; j++) {
                        m[l][j] = l == 0 ? row[j] : exactPositive ? q[l][j] : mu[l][r * sizes[l] + j];
                        pos[l][j] += m[l][j] / rows;
                    }
                }
                for (int l = 1; l < sizes.length; l++) {
                    for (int i = 0; i < sizes[l - 1]; i++) {
                        for (int j = 0; j < sizes[l]; j++) {
                            // Given v the layers are independent when W2 = 0, and mean field is a product by construction.
                            posPair[l][i * sizes[l] + j] += m[l - 1][i] * m[l][j] / rows;
                        }
                    }
                }
            }
            for (int l = 0; l < sizes.length; l++) {
                checkWithinError(trainer.gradientOfBias(l).toArray(), pos[l], moments[1][l], chains, "bias " + l);
                if (l > 0) {
                    checkWithinError(trainer.gradientOfWeights(l).toArray(), posPair[l], moments[0][l], chains,
                            "W" + l);
                }
            }
        }
    }

    /**
     * {@code got = pos - mean of C independent Bernoulli products}: each negative statistic is the mean
     * of C draws of a 0/1 variable with exact mean {@code q}, so its standard error is
     * {@code sqrt(q (1 - q) / C)}; 4.5 of them bound one element with probability 1 - 7e-6, and all
     * 49 elements of a 6-4-3 model together with probability above 0.9996.
     */
    private static void checkWithinError(float[] got, double[] pos, double[] q, int chains, String what) {
        for (int i = 0; i < got.length; i++) {
            double se = Math.sqrt(q[i] * (1 - q[i]) / chains);
            double exact = pos[i] - q[i];
            assertEquals(exact, got[i], 4.5 * se + 1e-5, what + " element " + i + " (se " + se + ")");
        }
    }
}
