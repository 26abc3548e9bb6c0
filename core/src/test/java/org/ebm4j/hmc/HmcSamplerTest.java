package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class HmcSamplerTest {

    /** |estimate - truth| / MCSE of the variance estimate, with the MCSE from the ESS of the squared deviations. */
    static double varianceZ(HmcResult r, int j, double truth) {
        double[][] c = r.coordinate(j);
        double m = r.diagnostics().mean()[j];
        for (double[] chain : c) {
            for (int i = 0; i < chain.length; i++) {
                chain[i] = (chain[i] - m) * (chain[i] - m);
            }
        }
        double estimate = ConvergenceDiagnostics.pooledMean(c);
        return Math.abs(estimate - truth) / ConvergenceDiagnostics.meanStandardError(c);
    }

    @Test
    void samplesA100DimensionalDenseGaussian() {
        Backend b = new ReferenceBackend();
        int d = 100;
        int chains = 8;
        DenseGaussian g = DenseGaussian.randomRotation(d, 0.5, 2.0, 21);
        double[][] cov = g.covariance();
        try (GaussianEnergy u = new GaussianEnergy(b, g); Tensor init = b.allocate(chains, d)) {
            b.sampler().fillNormal(init, 0f, 2f, new RandomStream(5)); // overdispersed starts
            HmcSettings s = HmcSettings.builder().leapfrogSteps(10).warmup(300).draws(1000).build();
            HmcResult r = HmcSampler.sample(u, init, s, new RandomStream(7));
            HmcDiagnostics dg = r.diagnostics();
            assertEquals(0, dg.divergences());
            assertEquals(0.8, dg.acceptanceRate(), 0.08, "dual averaging aims at 0.8");
            assertTrue(dg.maxRhat() < 1.01, "max split R-hat " + dg.maxRhat());
            assertTrue(dg.minEss() > 500, "min ESS " + dg.minEss());
            for (int j = 0; j < d; j++) {
                double zMean = Math.abs(dg.mean()[j]) / dg.mcse()[j];
                assertTrue(zMean < 5, "coordinate " + j + ": mean " + dg.mean()[j] + " is " + zMean + " MCSE from 0");
                double zVar = varianceZ(r, j, cov[j][j]);
                assertTrue(zVar < 5, "coordinate " + j + ": variance is " + zVar + " MCSE from " + cov[j][j]);
            }
        }
    }

    @Test
    void windowedMassAdaptationLearnsVeryDifferentScales() {
        Backend b = new ReferenceBackend();
        int d = 10;
        double[][] cov = new double[d][d];
        for (int j = 0; j < d; j++) {
            cov[j][j] = Math.pow(10, -2 + 4.0 * j / (d - 1)); // variances 0.01 .. 100
        }
        DenseGaussian g = DenseGaussian.fromCovariance(new double[d], cov);
        try (GaussianEnergy u = new GaussianEnergy(b, g); Tensor init = b.allocate(4, d)) {
            HmcSettings s = HmcSettings.builder().leapfrogSteps(8).warmup(600).draws(600).adaptMass(true).build();
            HmcResult r = HmcSampler.sample(u, init, s, new RandomStream(8));
            double[] inv = r.inverseMass();
            for (int j = 0; j < d; j++) {
                // The last window holds 400 x 4 draws; the variance estimate is within about 10% (and
                // draws from the earlier, poorly scaled windows are not mixed in).
                assertEquals(1.0, inv[j] / cov[j][j], 0.3, "inverse mass " + j + " " + inv[j] + " vs variance " + cov[j][j]);
                assertTrue(varianceZ(r, j, cov[j][j]) < 5, "variance of coordinate " + j);
            }
            // With the metric adapted, a step near 1 (trajectory of about one unit-scale period) is accepted.
            assertTrue(r.stepSize() > 0.3, "step size " + r.stepSize());
            assertTrue(r.diagnostics().maxRhat() < 1.05, "max R-hat " + r.diagnostics().maxRhat());
        }
    }

    @Test
    void anAbsurdStepSizeIsReportedDivergentAndTheChainsStayPut() {
        Backend b = new ReferenceBackend();
        int d = 20;
        DenseGaussian g = DenseGaussian.randomRotation(d, 0.5, 2.0, 3);
        try (GaussianEnergy u = new GaussianEnergy(b, g); Tensor init = b.allocate(4, d)) {
            b.sampler().fillNormal(init, 0f, 1f, new RandomStream(1));
            float[] start = init.toArray();
            HmcSettings s = HmcSettings.builder().stepSize(1e4).adaptStepSize(false).stepSizeJitter(0)
                    .leapfrogSteps(10).warmup(0).draws(5).build();
            HmcResult r = HmcSampler.sample(u, init, s, new RandomStream(2));
            HmcDiagnostics dg = r.diagnostics();
            assertEquals(20, dg.divergences(), "every transition diverges");
            assertEquals(0.0, dg.acceptedFraction());
            assertEquals(0.0, dg.acceptanceRate(), 1e-12);
            assertTrue(dg.maxAbsEnergyError() > 1000, "energy error " + dg.maxAbsEnergyError());
            assertArrayEquals(start, r.finalPositions(), "rejected chains keep their position");
        }
    }

    @Test
    void theSameSeedGivesTheSameDraws() {
        Backend b = new ReferenceBackend();
        DenseGaussian g = DenseGaussian.randomRotation(5, 0.5, 2.0, 4);
        HmcSettings s = HmcSettings.builder().leapfrogSteps(5).warmup(30).draws(20).build();
        float[][] runs = new float[2][];
        for (int k = 0; k < 2; k++) {
            try (GaussianEnergy u = new GaussianEnergy(b, g); Tensor init = b.allocate(3, 5)) {
                HmcResult r = HmcSampler.sample(u, init, s, new RandomStream(99));
                runs[k] = r.draw(19);
            }
        }
        assertArrayEquals(runs[0], runs[1]);
    }

    @Test
    void aStartingPointWithInfiniteEnergyIsAnError() {
        Backend b = new ReferenceBackend();
        DenseGaussian g = DenseGaussian.randomRotation(3, 0.5, 2.0, 4);
        try (GaussianEnergy u = new GaussianEnergy(b, g);
             Tensor init = b.fromArray(new float[] {0, 0, 0, Float.NaN, 0, 0}, 2, 3)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> HmcSampler.sample(u, init, HmcSettings.builder().warmup(0).draws(4).build(), new RandomStream(1)));
            assertTrue(e.getMessage().startsWith("chain 1 sits where the energy is NaN"), e.getMessage());
        }
    }

    @Test
    void settingsNameTheBadValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HmcSettings.builder().leapfrogSteps(0));
        assertEquals("leapfrog steps must be >= 1, found 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HmcSettings.builder().stepSize(Double.NaN));
        assertEquals("step size must be finite and > 0, found NaN", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HmcSettings.builder().targetAccept(1));
        assertThrows(IllegalArgumentException.class, () -> HmcSettings.builder().stepSizeJitter(1));
    }
}
