package org.ebm4j.hmc;

import static org.ebm4j.testing.HostArrays.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * HMC transitions on {@code U = q^2 / 2} replayed in double in the test: the reference backend draws
 * momentum {@code r} of a transition as {@code sqrt(M) Philox.normal(seed, stream, draw, r)} and decides
 * with {@code Philox.uniform(seed, stream, draw + 1, r) < exp(-dH)}; a Metropolis transition takes two
 * draws (momenta, decision), an uncorrected one three (momenta and its two selections). Positions agree
 * with the float computation to 1e-5 over these few steps of size near 1; every decision in the test
 * has a margin over 1e-3 between the uniform and the acceptance probability, so no rounding flips one.
 */
@ExtendWith(NoLeakedTensors.class)
class HmcChainsReplayTest {
    private final Backend b = new ReferenceBackend();

    private static final long SEED = 13;
    private static final int STREAM = 2;
    private static final int CHAINS = 32;

    private static float[] starts() {
        float[] q = new float[CHAINS];
        for (int r = 0; r < CHAINS; r++) {
            q[r] = -2f + 0.125f * r;
        }
        return q;
    }

    /** Leapfrog for {@code U = q^2 / 2} with inverse mass {@code invMass}: returns {q', p'}. */
    private static double[] leapfrog(double q, double p, double eps, int steps, double invMass) {
        for (int s = 0; s < steps; s++) {
            p -= eps / 2 * q;
            q += eps * invMass * p;
            p -= eps / 2 * q;
        }
        return new double[] {q, p};
    }

    @Test
    void metropolisTransitionsWithAMassMatrixMatchTheirReplay() {
        double invMass = 0.5;
        float eps = 2.5f;
        int steps = 2;
        float[] start = starts();
        try (HostEnergy u = new HostEnergy(b, x -> 0.5 * x * x, x -> x); Tensor init = b.fromArray(start, CHAINS, 1);
             HmcChains chains = new HmcChains(u, init)) {
            assertSame(u, chains.energyFunction());
            chains.metric().setInverseMass(new double[] {invMass});
            RandomStream rng = new RandomStream(SEED, STREAM, 0);
            double[] q = toDouble(start);
            int acceptedTotal = 0;
            for (int t = 0; t < 3; t++) {
                TrajectoryStats stats = chains.transition(eps, steps, rng);
                int accepted = 0;
                double[] h = new double[CHAINS];
                for (int r = 0; r < CHAINS; r++) {
                    double p = Philox.normal(SEED, STREAM, 2L * t, r) / Math.sqrt(invMass);
                    double[] end = leapfrog(q[r], p, eps, steps, invMass);
                    h[r] = 0.5 * end[0] * end[0] + 0.5 * invMass * end[1] * end[1] - 0.5 * q[r] * q[r]
                            - 0.5 * invMass * p * p;
                    double uniform = Philox.uniform(SEED, STREAM, 2L * t + 1, r);
                    double acceptance = Math.exp(-h[r]);
                    assertTrue(Math.abs(uniform - acceptance) > 1e-3, "decision " + t + "," + r + " is clear-cut");
                    if (uniform < acceptance) {
                        q[r] = end[0];
                        accepted++;
                    }
                }
                assertEquals(accepted, stats.accepted(), "transition " + t);
                assertArrayEquals(h, chains.lastEnergyErrors(), 1e-4, "energy errors of transition " + t);
                float[] now = chains.positions().toArray();
                for (int r = 0; r < CHAINS; r++) {
                    assertEquals(q[r], now[r], 1e-5, "chain " + r + " after transition " + t);
                    assertEquals(0.5 * q[r] * q[r], chains.potentials()[r], 1e-5);
                }
                acceptedTotal += accepted;
            }
            assertTrue(acceptedTotal > 10 && acceptedTotal < 3 * CHAINS - 10,
                    "the step gives both decisions often: " + acceptedTotal);
        }
    }

    /** Without the Metropolis test every finite end point is taken, even with large energy errors. */
    @Test
    void uncorrectedTransitionsMatchTheirReplay() {
        float eps = 1.9f;
        int steps = 3;
        float[] start = starts();
        try (HostEnergy u = new HostEnergy(b, x -> 0.5 * x * x, x -> x); Tensor init = b.fromArray(start, CHAINS, 1);
             HmcChains chains = new HmcChains(u, init)) {
            RandomStream rng = new RandomStream(SEED, STREAM, 0);
            double[] q = toDouble(start);
            double maxError = 0;
            for (int t = 0; t < 2; t++) {
                TrajectoryStats stats = chains.transitionUncorrected(eps, steps, rng);
                assertEquals(CHAINS, stats.accepted());
                for (int r = 0; r < CHAINS; r++) {
                    double p = Philox.normal(SEED, STREAM, 3L * t, r);
                    double[] end = leapfrog(q[r], p, eps, steps, 1);
                    maxError = Math.max(maxError, 0.5 * end[0] * end[0] + 0.5 * end[1] * end[1] - 0.5 * q[r] * q[r]
                            - 0.5 * p * p);
                    q[r] = end[0];
                }
                float[] now = chains.positions().toArray();
                for (int r = 0; r < CHAINS; r++) {
                    assertEquals(q[r], now[r], 1e-5, "chain " + r + " after transition " + t);
                }
            }
            assertTrue(maxError > 1, "some energy errors are large enough that Metropolis would reject: " + maxError);
        }
    }

    /**
     * Stan's step-size search replayed: try {@code t} draws its momenta from draw {@code 100 + t}, takes one
     * leapfrog step from the current positions and averages {@code min(1, exp(-dH))} over chains; the
     * first try's side of 0.8 sets the direction, and the search doubles (or halves) until the mean
     * acceptance crosses 0.8. Every replayed mean lies over 1e-3 from 0.8, so rounding cannot move the
     * crossing.
     */
    @Test
    void theStepSizeSearchMatchesItsReplay() {
        float[] start = starts();
        try (HostEnergy u = new HostEnergy(b, x -> 0.5 * x * x, x -> x); Tensor init = b.fromArray(start, CHAINS, 1);
             HmcChains chains = new HmcChains(u, init)) {
            // A transition first, so that the chains' kinetic-energy buffers hold values of other momenta.
            chains.transition(0.7f, 2, new RandomStream(SEED + 1, STREAM, 0));
            float[] current = chains.positions().toArray();
            double found = chains.findReasonableStepSize(0.05, new RandomStream(SEED, STREAM, 100));
            double eps = 0.05;
            int direction = 0;
            int tries = 0;
            for (int t = 0; ; t++) {
                double sum = 0;
                for (int r = 0; r < CHAINS; r++) {
                    double q = current[r];
                    double p = Philox.normal(SEED, STREAM, 100 + t, r);
                    double[] end = leapfrog(q, p, (float) eps, 1, 1);
                    double h = (end[0] * end[0] + end[1] * end[1] - q * q - p * p) / 2;
                    sum += Math.min(1, Math.exp(-h));
                }
                double acceptance = sum / CHAINS;
                assertTrue(Math.abs(acceptance - 0.8) > 1e-3, "try " + t + " is clear of the target: " + acceptance);
                if (direction == 0) {
                    direction = acceptance > 0.8 ? 1 : -1;
                }
                tries++;
                if (direction == 1 ? acceptance < 0.8 : acceptance > 0.8) {
                    break;
                }
                eps = direction == 1 ? 2 * eps : 0.5 * eps;
            }
            assertTrue(tries > 2, "the search takes several steps: " + tries);
            assertEquals(eps, found, 0.0);
            assertArrayEquals(current, chains.positions().toArray());
        }
    }

    @Test
    void positionsOfTheWrongWidthAreRefused() {
        try (HostEnergy u = new HostEnergy(b, x -> 0.5 * x * x, x -> x); Tensor wide = b.allocate(2, 2)) {
            assertEquals("HmcChains: positions must have 1 columns (the energy's dimension) but are 2x2",
                    assertThrows(IllegalArgumentException.class, () -> new HmcChains(u, wide)).getMessage());
        }
    }
}
