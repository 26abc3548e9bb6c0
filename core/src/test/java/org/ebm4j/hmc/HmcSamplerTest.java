package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiConsumer;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class HmcSamplerTest {
    // JUnit makes one instance per test, so each test has a backend of its own.
    private final Backend b = new ReferenceBackend();

    @Test
    void samplesA100DimensionalDenseGaussian() {
        int d = 100;
        int chains = 8;
        DenseGaussian g = DenseGaussian.randomRotation(d, 0.5, 2.0, 21);
        try (GaussianEnergy u = new GaussianEnergy(b, g)) {
            // Overdispersed starts N(0, 2^2) against variances 0.5..2.
            HmcOptions s = HmcOptions.builder().chains(chains).initSd(2).leapfrogSteps(10).warmup(300).draws(1000)
                    .seed(7).build();
            HmcResult r = HmcSampler.sample(u, s);
            HmcDiagnostics dg = r.diagnostics();
            assertEquals(0, dg.divergences());
            assertEquals(0.8, dg.acceptanceRate(), 0.08, "dual averaging aims at 0.8");
            assertTrue(dg.maxRhat() < 1.01, "max split R-hat " + dg.maxRhat());
            assertTrue(dg.minEss() > 500, "min ESS " + dg.minEss());
            // 200 estimates: beyond 5 MCSE (probability 6e-7 each) would be a bug, not chance.
            McseCheck check = r.checkAgainst(g.mean(), g.variances());
            assertTrue(check.within(5), check.summary());
        }
    }

    @Test
    void windowedMassAdaptationLearnsVeryDifferentScales() {
        int d = 10;
        double[][] cov = new double[d][d];
        for (int j = 0; j < d; j++) {
            cov[j][j] = Math.pow(10, -2 + 4.0 * j / (d - 1)); // variances 0.01 .. 100
        }
        DenseGaussian g = DenseGaussian.fromCovariance(new double[d], cov);
        try (GaussianEnergy u = new GaussianEnergy(b, g)) {
            HmcOptions s = HmcOptions.builder().chains(4).initSd(0).leapfrogSteps(8).warmup(600).draws(600)
                    .adaptMass(true).seed(8).build();
            HmcResult r = HmcSampler.sample(u, s);
            double[] inv = r.inverseMass();
            for (int j = 0; j < d; j++) {
                // The last window holds 400 x 4 draws; the variance estimate is within about 10%. (That
                // earlier windows do not leak into it is checked exactly by AdaptationTest.)
                assertEquals(1.0, inv[j] / cov[j][j], 0.3, "inverse mass " + j + " " + inv[j] + " vs variance " + cov[j][j]);
            }
            McseCheck check = r.checkAgainst(g.mean(), g.variances());
            assertTrue(check.maxVarianceError() < 5, check.summary());
            // With the metric adapted, a step near 1 (trajectory of about one unit-scale period) is accepted.
            assertTrue(r.stepSize() > 0.3, "step size " + r.stepSize());
            assertTrue(r.diagnostics().maxRhat() < 1.05, "max R-hat " + r.diagnostics().maxRhat());
        }
    }

    @Test
    void anAbsurdStepSizeIsReportedDivergentAndTheChainsStayPut() {
        int d = 20;
        DenseGaussian g = DenseGaussian.randomRotation(d, 0.5, 2.0, 3);
        try (GaussianEnergy u = new GaussianEnergy(b, g); Tensor init = b.allocate(4, d)) {
            b.sampler().fillNormal(init, 0f, 1f, new RandomStream(1));
            float[] start = init.toArray();
            HmcOptions s = HmcOptions.builder().chains(4).stepSize(1e4).adaptStepSize(false).stepSizeJitter(0)
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
        DenseGaussian g = DenseGaussian.randomRotation(5, 0.5, 2.0, 4);
        HmcOptions s = HmcOptions.builder().chains(3).leapfrogSteps(5).warmup(30).draws(20).seed(99).build();
        float[][] runs = new float[3][];
        for (int k = 0; k < 3; k++) {
            try (GaussianEnergy u = new GaussianEnergy(b, g)) {
                HmcResult r = HmcSampler.sample(u, k < 2 ? s : s.toBuilder().seed(100).build());
                runs[k] = r.draw(19);
            }
        }
        assertArrayEquals(runs[0], runs[1]);
        assertFalse(java.util.Arrays.equals(runs[0], runs[2]), "another seed gives other draws");
    }

    @Test
    void aStartingPointWithInfiniteEnergyIsAnError() {
        IllegalStateException e = refusedStart(
                (u, init) -> HmcSampler.sample(u, init, HmcOptions.builder().warmup(0).draws(4).build(), new RandomStream(1)));
        assertTrue(e.getMessage().startsWith("chain 1 sits where the energy is NaN"), e.getMessage());
    }

    /**
     * What {@code sampler} throws when started from two chains on a 3-dimensional Gaussian, the second
     * of which sits where the energy is NaN (a sampler must refuse it before its first transition).
     */
    static IllegalStateException refusedStart(BiConsumer<GaussianEnergy, Tensor> sampler) {
        Backend b = new ReferenceBackend();
        DenseGaussian g = DenseGaussian.randomRotation(3, 0.5, 2.0, 4);
        try (GaussianEnergy u = new GaussianEnergy(b, g);
             Tensor init = b.fromArray(new float[] {0, 0, 0, Float.NaN, 0, 0}, 2, 3)) {
            return assertThrows(IllegalStateException.class, () -> sampler.accept(u, init));
        }
    }

    @Test
    void theCheckAgainstATruthMeasuresEachErrorInMonteCarloStandardErrors() {
        DenseGaussian g = DenseGaussian.randomRotation(3, 0.5, 2.0, 6);
        try (GaussianEnergy u = new GaussianEnergy(b, g)) {
            HmcResult r = HmcSampler.sample(u, HmcOptions.builder().warmup(100).draws(200).seed(3).build());
            HmcDiagnostics dg = r.diagnostics();
            McseCheck exact = r.checkAgainst(g.mean(), g.variances());
            for (int j = 0; j < 3; j++) {
                assertEquals(Math.abs(dg.mean()[j]) / dg.mcse()[j], exact.meanErrors()[j], 1e-12);
            }
            // Moving the true mean of coordinate 1 by 10 MCSE away from the estimate adds exactly 10.
            double[] shifted = g.mean();
            shifted[1] = dg.mean()[1] - 10 * dg.mcse()[1];
            McseCheck off = r.checkAgainst(shifted, g.variances());
            assertEquals(10, off.meanErrors()[1], 1e-9);
            assertEquals(10, off.maxMeanError(), 1e-9);
            assertFalse(off.within(5));
            assertTrue(off.summary().startsWith("largest mean error 10.000 MCSE (coordinate 1)"), off.summary());
            double[] wrongVariance = g.variances();
            wrongVariance[2] *= 3;
            assertTrue(r.checkAgainst(g.mean(), wrongVariance).varianceErrors()[2] > 10);
            assertThrows(IllegalArgumentException.class, () -> r.checkAgainst(new double[2], new double[3]));
        }
    }
}
