package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sampler's summary against the per-transition statistics its listener saw, summed here. */
@ExtendWith(NoLeakedTensors.class)
class HmcSamplerBookkeepingTest {
    private final Backend b = new ReferenceBackend();

    private record Call(boolean warmup, int iteration, double stepSize, TrajectoryStats stats) {
    }

    @Test
    void theSummaryAggregatesEveryTransitionOfItsPhase() {
        int chains = 3;
        int warmup = 6;
        int draws = 8;
        try (GaussianEnergy u = new GaussianEnergy(b, DenseGaussian.autoregressive(2, 0.5));
             Tensor init = b.fromArray(new float[] {0.5f, -1f, 1.5f, 0.2f, -0.7f, 0.9f}, chains, 2)) {
            // A threshold of 0.05 makes some transitions of a 0.9-step trajectory divergent, not all.
            HmcOptions options = HmcOptions.builder().chains(chains).stepSize(0.9).adaptStepSize(false)
                    .adaptMass(false).stepSizeJitter(0).leapfrogSteps(3).warmup(warmup).draws(draws)
                    .divergenceThreshold(0.05).keepDraws(true).build();
            List<Call> calls = new ArrayList<>();
            HmcResult r = HmcSampler.sample(u, init, options, new RandomStream(5),
                    (w, it, eps, stats) -> calls.add(new Call(w, it, eps, stats)));
            assertEquals(warmup + draws, calls.size());
            long warmupDivergent = 0;
            long divergent = 0;
            long accepted = 0;
            double acceptSum = 0;
            double absSum = 0;
            long finite = 0;
            double max = 0;
            for (int k = 0; k < calls.size(); k++) {
                Call c = calls.get(k);
                assertEquals(k < warmup, c.warmup(), "phase of call " + k);
                assertEquals(k < warmup ? k : k - warmup, c.iteration(), "iteration of call " + k);
                assertEquals(0.9, c.stepSize(), 0.0);
                assertEquals(chains, c.stats().chains());
                if (c.warmup()) {
                    warmupDivergent += c.stats().divergent();
                } else {
                    divergent += c.stats().divergent();
                    accepted += c.stats().accepted();
                    acceptSum += c.stats().meanAcceptProbability();
                    absSum += c.stats().meanAbsEnergyError() * c.stats().finiteEnergyErrors();
                    finite += c.stats().finiteEnergyErrors();
                    max = Math.max(max, c.stats().maxAbsEnergyError());
                }
            }
            assertTrue(warmupDivergent > 0 && divergent > 0 && divergent < (long) chains * draws,
                    "the settings give divergent and regular transitions in both phases: " + warmupDivergent + ", "
                            + divergent);
            HmcDiagnostics d = r.diagnostics();
            assertEquals(chains, d.chains());
            assertEquals(draws, d.draws());
            assertEquals(0.9, d.stepSize(), 0.0);
            assertEquals(3, d.leapfrogSteps());
            assertEquals(warmupDivergent, d.warmupDivergences());
            assertEquals(divergent, d.divergences());
            assertEquals((double) accepted / (chains * draws), d.acceptedFraction(), 1e-15);
            assertEquals(acceptSum / draws, d.acceptanceRate(), 1e-15);
            assertEquals(absSum / finite, d.meanAbsEnergyError(), 1e-12);
            assertEquals(max, d.maxAbsEnergyError(), 0.0);
            assertEquals(draws, r.drawCount());
            assertArrayEquals(r.draw(draws - 1), r.finalPositions());
            assertNull(r.inverseMass(), "mass adaptation was off");
        }
    }

    /** With no warm-up nothing adapts, whatever the options ask: the step size and the metric stay. */
    @Test
    void withoutWarmupTheStepSizeAndMetricStay() {
        try (GaussianEnergy u = new GaussianEnergy(b, DenseGaussian.autoregressive(2, 0.5));
             Tensor init = b.fromArray(new float[] {0.5f, -1f, 1.5f, 0.2f}, 2, 2)) {
            HmcOptions options = HmcOptions.builder().chains(2).stepSize(0.37).adaptStepSize(true).adaptMass(true)
                    .stepSizeJitter(0).leapfrogSteps(2).warmup(0).draws(4).build();
            List<Call> calls = new ArrayList<>();
            HmcResult r = HmcSampler.sample(u, init, options, new RandomStream(5),
                    (w, it, eps, stats) -> calls.add(new Call(w, it, eps, stats)));
            assertEquals(0.37, r.stepSize(), 0.0);
            assertNull(r.inverseMass());
            assertEquals(4, calls.size());
            for (Call c : calls) {
                assertEquals(0.37, c.stepSize(), 0.0);
            }
        }
    }

    /**
     * The jitter draws one uniform u from the stream's next draw index and scales the step by
     * {@code 1 + jitter (2u - 1)}; without jitter no draw is used.
     */
    @Test
    void theJitterUsesOneDrawOfTheStream() {
        HmcOptions none = HmcOptions.builder().stepSizeJitter(0).build();
        RandomStream rng = new RandomStream(17, 3, 40);
        assertEquals(0.3f, HmcSampler.jittered(0.3, none, rng), 0f);
        assertEquals(40, rng.drawIndex());
        HmcOptions half = HmcOptions.builder().stepSizeJitter(0.5).build();
        for (int k = 0; k < 3; k++) {
            double u = Philox.uniform(17, 3, 40 + k, 0);
            assertEquals((float) (0.3 * (1 + 0.5 * (2 * u - 1))), HmcSampler.jittered(0.3, half, rng), 0f);
            assertEquals(41 + k, rng.drawIndex());
        }
    }
}
