package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random-walk Metropolis replayed in the test: the proposals come from the backend's normal fill on the
 * same stream (the sampler under test is not called for them), the decisions from the stream's next
 * draw, {@code u < min(1, exp(U(q) - U(q')))} per chain.
 */
@ExtendWith(NoLeakedTensors.class)
class MetropolisSamplerKnownAnswerTest {
    private final Backend b = new ReferenceBackend();

    /** {@code U = q^2 / 2} inside |q| <= 2 and +infinity outside, so some proposals are impossible. */
    private static double energy(double x) {
        return Math.abs(x) <= 2 ? 0.5 * x * x : Double.POSITIVE_INFINITY;
    }

    @Test
    void threeTransitionsMatchTheirReplay() {
        int n = 16;
        int draws = 3;
        float sigma = 1.5f;
        float[] start = new float[n];
        for (int i = 0; i < n; i++) {
            start[i] = -1.5f + 0.2f * i;
        }
        try (HostEnergy u = new HostEnergy(b, MetropolisSamplerKnownAnswerTest::energy, x -> x);
             Tensor init = b.fromArray(start, n, 1); Tensor noise = b.allocate(n, 1)) {
            HmcOptions options = HmcOptions.builder().chains(n).stepSize(sigma).adaptStepSize(false).warmup(0)
                    .draws(draws).keepDraws(true).build();
            HmcResult r = MetropolisSampler.sample(u, init, options, new RandomStream(7, 2, 0));

            RandomStream replay = new RandomStream(7, 2, 0);
            float[] q = start.clone();
            double probSum = 0;
            long accepted = 0;
            int impossible = 0;
            for (int it = 0; it < draws; it++) {
                b.sampler().fillNormal(noise, 0f, sigma, replay);
                float[] z = noise.toArray();
                long draw = replay.nextDraw();
                double probs = 0;
                for (int i = 0; i < n; i++) {
                    float proposal = z[i] + q[i];
                    double up = (float) energy(proposal);
                    double p = Double.isFinite(up) ? Math.min(1, Math.exp((float) energy(q[i]) - up)) : 0;
                    impossible += Double.isFinite(up) ? 0 : 1;
                    probs += p;
                    if (Philox.uniform(7, 2, draw, i) < p) {
                        q[i] = proposal;
                        accepted++;
                    }
                }
                probSum += probs / n;
                assertArrayEquals(q, r.draw(it), "draw " + it);
            }
            assertTrue(impossible > 0, "some proposals leave |q| <= 2");
            assertTrue(accepted > 0 && accepted < (long) n * draws, "accepted " + accepted);
            assertArrayEquals(q, r.finalPositions());
            HmcDiagnostics d = r.diagnostics();
            assertEquals(probSum / draws, d.acceptanceRate(), 1e-6);
            assertEquals((double) accepted / (n * draws), d.acceptedFraction(), 0.0);
            assertEquals(sigma, d.stepSize(), 0.0);
            assertEquals(0, d.leapfrogSteps());
            assertEquals(0, d.divergences());
            assertEquals(0, d.warmupDivergences());
            assertEquals(Double.NaN, d.meanAbsEnergyError());
            assertEquals(0.0, d.maxAbsEnergyError());
            assertArrayEquals(new double[] {1}, r.inverseMass(), 0.0);
        }
    }

    /** Warm-up moves the chains with the fixed sigma when adaptation is off, and adapts it when on. */
    @Test
    void warmupAdaptsTheProposalScaleOnlyWhenAsked() {
        try (HostEnergy u = new HostEnergy(b, MetropolisSamplerKnownAnswerTest::energy, x -> x);
             Tensor init = b.fromArray(new float[] {0.1f, -0.3f, 0.7f, 1f}, 4, 1)) {
            HmcOptions fixed = HmcOptions.builder().chains(4).stepSize(0.8).adaptStepSize(false).warmup(5).draws(1)
                    .build();
            assertEquals(0.8, MetropolisSampler.sample(u, init, fixed, new RandomStream(3)).stepSize(), 0.0);
            HmcOptions adapted = HmcOptions.builder().chains(4).stepSize(0.8).adaptStepSize(true).warmup(5).draws(1)
                    .build();
            assertNotEquals(0.8, MetropolisSampler.sample(u, init, adapted, new RandomStream(3)).stepSize());
            HmcOptions noWarmup = HmcOptions.builder().chains(4).stepSize(0.8).adaptStepSize(true).warmup(0).draws(1)
                    .build();
            assertEquals(0.8, MetropolisSampler.sample(u, init, noWarmup, new RandomStream(3)).stepSize(), 0.0);
            // Five warm-up transitions with a fixed sigma use the same stream as five replayed ones: the kept
            // draw is the sixth transition's.
            HmcOptions six = HmcOptions.builder().chains(4).stepSize(0.8).adaptStepSize(false).warmup(0).draws(6)
                    .keepDraws(true).build();
            HmcOptions fiveAndOne = HmcOptions.builder().chains(4).stepSize(0.8).adaptStepSize(false).warmup(5)
                    .draws(1).keepDraws(true).build();
            assertArrayEquals(MetropolisSampler.sample(u, init, six, new RandomStream(3)).draw(5),
                    MetropolisSampler.sample(u, init, fiveAndOne, new RandomStream(3)).draw(0));
        }
    }
}
