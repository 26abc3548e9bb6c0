package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class MetropolisSamplerTest {
    private final Backend b = new ReferenceBackend();

    static HmcOptions rwm(int warmup, int draws, long seed) {
        return HmcOptions.builder().chains(8).initSd(1).stepSize(0.5).targetAccept(0.3).warmup(warmup).draws(draws)
                .keepDraws(true).seed(seed).build();
    }

    @Test
    void samplesAGaussianWithinItsMonteCarloError() {
        DenseGaussian g = DenseGaussian.randomRotation(6, 0.5, 2.0, 21);
        try (GaussianEnergy u = new GaussianEnergy(b, g)) {
            HmcResult r = MetropolisSampler.sample(u, rwm(1000, 4000, 5));
            // Means and variances within 5 Monte Carlo standard errors (from each coordinate's ESS): a
            // false alarm for one of 12 statistics has probability below 1e-5.
            McseCheck check = r.checkAgainst(g.mean(), g.variances());
            assertTrue(check.within(5), check.summary());
            // Dual averaging holds the acceptance near its target (it is a mean over 4000 x 8 decisions).
            assertEquals(0.3, r.diagnostics().acceptanceRate(), 0.05);
            assertEquals(0, r.diagnostics().leapfrogSteps());
        }
    }

    @Test
    void sameSeedSameDrawsAnotherSeedOthers() {
        DenseGaussian g = DenseGaussian.randomRotation(3, 0.5, 2.0, 4);
        try (GaussianEnergy u = new GaussianEnergy(b, g)) {
            float[] one = MetropolisSampler.sample(u, rwm(20, 10, 7)).draw(9);
            float[] two = MetropolisSampler.sample(u, rwm(20, 10, 7)).draw(9);
            float[] three = MetropolisSampler.sample(u, rwm(20, 10, 8)).draw(9);
            assertArrayEquals(one, two);
            assertTrue(!java.util.Arrays.equals(one, three));
        }
    }

    @Test
    void aStartWithoutFiniteEnergyIsRefused() {
        IllegalStateException e = HmcSamplerTest.refusedStart(
                (u, init) -> MetropolisSampler.sample(u, init, rwm(1, 1, 1), org.ebm4j.random.StreamId.BENCHMARK.open(1)));
        assertTrue(e.getMessage().contains("chain 1"), e.getMessage());
    }
}
