package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What one HMC transition reports (energy errors, counts, divergences) against values computed here. */
@ExtendWith(NoLeakedTensors.class)
class HmcChainsBookkeepingTest {
    private final Backend b = new ReferenceBackend();

    private static HostEnergy standardNormal(Backend b) {
        return new HostEnergy(b, x -> 0.5 * x * x, x -> x);
    }

    /**
     * One leapfrog step on {@code U = q^2 / 2} is {@code q' = q + eps (p - eps q / 2)}, so the momentum
     * drawn is {@code p = (q' - q) / eps + eps q / 2} and the end momentum {@code p' = p - eps (q + q') / 2}.
     * The energy error {@code H' - H} follows in double; float rounding of q' (about 1e-7 relative) moves
     * it by well under 1e-5.
     */
    @Test
    void oneUncorrectedStepReportsTheEnergyErrorsOfItsOwnTrajectories() {
        float[] start = {0.5f, -1f, 2f, 0f};
        float eps = 0.3f;
        try (HostEnergy u = standardNormal(b); Tensor init = b.fromArray(start, 4, 1);
             HmcChains chains = new HmcChains(u, init)) {
            TrajectoryStats stats = chains.transitionUncorrected(eps, 1, StreamId.HMC_SAMPLING.open(3));
            float[] end = chains.positions().toArray();
            double[] expected = new double[4];
            double sumAbs = 0;
            double maxAbs = 0;
            double sumAccept = 0;
            for (int r = 0; r < 4; r++) {
                double q = start[r];
                double q1 = end[r];
                double p = (q1 - q) / eps + eps * q / 2;
                double p1 = p - eps * (q + q1) / 2;
                expected[r] = (q1 * q1 + p1 * p1 - q * q - p * p) / 2;
                sumAbs += Math.abs(expected[r]);
                maxAbs = Math.max(maxAbs, Math.abs(expected[r]));
                sumAccept += Math.min(1, Math.exp(-expected[r]));
                assertNotEquals(q, q1, "chain " + r + " moves: the uncorrected transition has no Metropolis test");
                assertEquals(0.5 * q1 * q1, chains.potentials()[r], 1e-6, "potential at the new position " + r);
            }
            assertArrayEquals(expected, chains.lastEnergyErrors(), 1e-5);
            assertEquals(4, stats.chains());
            assertEquals(4, stats.accepted());
            assertEquals(4, stats.finiteEnergyErrors());
            assertEquals(0, stats.divergent());
            assertEquals(sumAbs / 4, stats.meanAbsEnergyError(), 1e-5);
            assertEquals(maxAbs, stats.maxAbsEnergyError(), 1e-5);
            assertEquals(sumAccept / 4, stats.meanAcceptProbability(), 1e-5);
            assertTrue(maxAbs > 1e-3, "the step is long enough for the errors to differ from 0");
        }
    }

    /** Divergent means an energy error above the threshold: counted here from the errors themselves. */
    @Test
    void divergencesAreTheEnergyErrorsAboveTheThreshold() {
        try (HostEnergy u = standardNormal(b); Tensor init = b.fromArray(new float[] {0.5f, -1f, 2f, 0f, 1.5f, -0.3f}, 6, 1);
             HmcChains chains = new HmcChains(u, init)) {
            double threshold = 0.05;
            chains.setDivergenceThreshold(threshold);
            TrajectoryStats stats = chains.transitionUncorrected(0.8f, 1, StreamId.HMC_SAMPLING.open(5));
            int above = 0;
            for (double h : chains.lastEnergyErrors()) {
                above += h > threshold ? 1 : 0;
            }
            assertEquals(above, stats.divergent());
            assertTrue(above > 0 && above < 6, "the seed gives both kinds of chain, found " + above);
            assertEquals("divergence threshold must be > 0, found 0.0", assertThrows(IllegalArgumentException.class,
                    () -> chains.setDivergenceThreshold(0)).getMessage());
        }
    }

    /** An energy error exactly at the threshold is not divergent: only errors above it are. */
    @Test
    void anErrorAtTheThresholdIsNotDivergent() {
        float[] start = {0.5f, -1f, 2f, 0f, 1.5f, -0.3f};
        double[] first;
        try (HostEnergy u = standardNormal(b); Tensor init = b.fromArray(start, 6, 1);
             HmcChains chains = new HmcChains(u, init)) {
            chains.transitionUncorrected(0.8f, 1, StreamId.HMC_SAMPLING.open(5));
            first = chains.lastEnergyErrors();
        }
        double max = Math.max(Math.max(first[0], first[1]), Math.max(Math.max(first[2], first[3]),
                Math.max(first[4], first[5])));
        try (HostEnergy u = standardNormal(b); Tensor init = b.fromArray(start, 6, 1);
             HmcChains chains = new HmcChains(u, init)) {
            chains.setDivergenceThreshold(max);
            TrajectoryStats same = chains.transitionUncorrected(0.8f, 1, StreamId.HMC_SAMPLING.open(5));
            assertArrayEquals(first, chains.lastEnergyErrors(), 0.0);
            assertEquals(0, same.divergent());
        }
    }

    /**
     * A step of 100 from these points lands every chain where the energy is above 1e6 (the end point is
     * {@code 100 p - 5000 q}, q at least 0.5 away from 0): all rejected, all divergent, nothing moves.
     */
    @Test
    void aRejectedTransitionKeepsPositionsAndPotentials() {
        float[] start = {0.5f, -1f, 2f};
        try (HostEnergy u = standardNormal(b); Tensor init = b.fromArray(start, 3, 1);
             HmcChains chains = new HmcChains(u, init)) {
            TrajectoryStats stats = chains.transition(100f, 1, StreamId.HMC_SAMPLING.open(1));
            assertEquals(0, stats.accepted());
            assertEquals(3, stats.divergent());
            assertEquals(3, stats.finiteEnergyErrors());
            assertArrayEquals(start, chains.positions().toArray());
            assertArrayEquals(new double[] {0.125, 0.5, 2}, chains.potentials(), 0.0);
            double max = 0;
            for (double h : chains.lastEnergyErrors()) {
                assertTrue(h > 1000, "energy error " + h);
                max = Math.max(max, h);
            }
            assertEquals(max, stats.maxAbsEnergyError(), 0.0);
        }
    }

    /**
     * Where the energy is NaN (beyond |q| = 3 here) the energy error counts as +infinity: the chain
     * diverges and, even without the Metropolis test, keeps its position.
     */
    @Test
    void aNaNEndPointIsAnInfiniteErrorAndTheChainStays() {
        float[] start = {0f, 0.1f, -0.2f};
        try (HostEnergy u = new HostEnergy(b, x -> Math.abs(x) <= 3 ? 0.5 * x * x : Double.NaN, x -> x);
             Tensor init = b.fromArray(start, 3, 1); HmcChains chains = new HmcChains(u, init)) {
            TrajectoryStats stats = chains.transitionUncorrected(1e4f, 1, StreamId.HMC_SAMPLING.open(2));
            assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                    Double.POSITIVE_INFINITY}, chains.lastEnergyErrors(), 0.0);
            assertEquals(0, stats.accepted());
            assertEquals(0, stats.finiteEnergyErrors());
            assertEquals(3, stats.divergent());
            assertEquals(Double.NaN, stats.meanAbsEnergyError());
            assertEquals(Double.POSITIVE_INFINITY, stats.maxAbsEnergyError());
            assertEquals(0.0, stats.meanAcceptProbability());
            assertArrayEquals(start, chains.positions().toArray());
            // The chains still move normally afterwards: the stored gradient is the current point's.
            TrajectoryStats small = chains.transitionUncorrected(0.01f, 1, StreamId.HMC_SAMPLING.open(4));
            assertEquals(3, small.accepted());
            assertEquals(3, small.finiteEnergyErrors());
        }
    }

    @Test
    void aStartingPointWithoutFiniteEnergyIsRefusedAtTheFirstTransition() {
        try (HostEnergy u = new HostEnergy(b, x -> x > 1 ? Double.POSITIVE_INFINITY : 0.5 * x * x, x -> x);
             Tensor init = b.fromArray(new float[] {0f, 2f}, 2, 1); HmcChains chains = new HmcChains(u, init)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> chains.transition(0.1f, 1, StreamId.HMC_SAMPLING.open(1)));
            assertEquals("chain 1 sits where the energy is Infinity; HMC needs a finite energy at every current"
                    + " position (check the starting points or the model's parameters)", e.getMessage());
        }
    }

    /** New positions and a changed energy are both picked up before the next use of the potentials. */
    @Test
    void setPositionsAndEnergyChangedRefreshThePotentials() {
        double[] scale = {1};
        try (HostEnergy u = new HostEnergy(b, x -> scale[0] * x * x, x -> 2 * scale[0] * x);
             Tensor init = b.fromArray(new float[] {1f, 2f}, 2, 1); Tensor moved = b.fromArray(new float[] {3f, -1f}, 2, 1);
             HmcChains chains = new HmcChains(u, init)) {
            assertArrayEquals(new double[] {1, 4}, chains.potentials(), 0.0);
            chains.setPositions(moved);
            assertArrayEquals(new double[] {9, 1}, chains.potentials(), 0.0);
            scale[0] = 2;
            chains.energyChanged();
            assertArrayEquals(new double[] {18, 2}, chains.potentials(), 0.0);
            assertEquals(2, chains.chains());
            assertEquals(1, chains.dimension());
        }
    }

    @Test
    void badStepsAreRefused() {
        try (HostEnergy u = standardNormal(b); Tensor init = b.fromArray(new float[] {1f}, 1, 1);
             HmcChains chains = new HmcChains(u, init)) {
            assertEquals("step size must be finite and > 0, found 0.0", assertThrows(IllegalArgumentException.class,
                    () -> chains.transition(0f, 1, StreamId.HMC_SAMPLING.open(1))).getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> chains.transition(Float.POSITIVE_INFINITY, 1, StreamId.HMC_SAMPLING.open(1)));
            assertThrows(IllegalArgumentException.class,
                    () -> chains.transitionUncorrected(Float.NaN, 1, StreamId.HMC_SAMPLING.open(1)));
            assertEquals("leapfrog steps must be >= 1, found 0", assertThrows(IllegalArgumentException.class,
                    () -> chains.transition(0.1f, 0, StreamId.HMC_SAMPLING.open(1))).getMessage());
            assertEquals("initial step size must be finite and > 0, found -1.0",
                    assertThrows(IllegalArgumentException.class,
                            () -> chains.findReasonableStepSize(-1, StreamId.HMC_SAMPLING.open(1))).getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> chains.findReasonableStepSize(Double.POSITIVE_INFINITY, StreamId.HMC_SAMPLING.open(1)));
            assertThrows(IllegalArgumentException.class,
                    () -> chains.findReasonableStepSize(0, StreamId.HMC_SAMPLING.open(1)));
        }
    }

    /**
     * On a flat energy every step is accepted, so the search doubles from 1 until it passes 1e7 (2^24);
     * where every move leaves the one finite point it halves until it passes below 1e-10 (2^-34). The
     * bounds themselves are still tried: from 2.5e6 the search tries 1e7 and stops at 2e7, from 4e-10
     * it tries 1e-10 and stops at 5e-11. The flat energy is 5, not 0, so a search that skipped computing
     * the current energies (zeros before the first transition) would see errors of -5 and halve.
     */
    @Test
    void theStepSizeSearchGivesUpAtItsBounds() {
        // 64 chains: a search that forgot the kinetic energy before the step would see a mean acceptance of
        // E exp(-p^2 / 2) = 0.707 (standard error 0.03), below the target, and halve.
        try (HostEnergy flat = new HostEnergy(b, x -> 5, x -> 0); Tensor init = b.allocate(64, 1);
             HmcChains chains = new HmcChains(flat, init)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> chains.findReasonableStepSize(1, StreamId.HMC_SAMPLING.open(1)));
            assertEquals("no usable step size: searching from the initial step size reached 1.6777216E7 (check that"
                    + " the energy gradient matches the energy)", e.getMessage());
            e = assertThrows(IllegalStateException.class,
                    () -> chains.findReasonableStepSize(2.5e6, StreamId.HMC_SAMPLING.open(1)));
            assertEquals("no usable step size: searching from the initial step size reached 2.0E7 (check that"
                    + " the energy gradient matches the energy)", e.getMessage());
        }
        try (HostEnergy spike = new HostEnergy(b, x -> x == 0 ? 0 : Double.POSITIVE_INFINITY, x -> 0);
             Tensor init = b.fromArray(new float[] {0f, 0f}, 2, 1); HmcChains chains = new HmcChains(spike, init)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> chains.findReasonableStepSize(1, StreamId.HMC_SAMPLING.open(1)));
            assertEquals("no usable step size: searching from the initial step size reached " + Math.pow(2, -34)
                    + " (check that the energy gradient matches the energy)", e.getMessage());
            e = assertThrows(IllegalStateException.class,
                    () -> chains.findReasonableStepSize(4 * 1e-10, StreamId.HMC_SAMPLING.open(1)));
            assertEquals("no usable step size: searching from the initial step size reached " + 0.5e-10
                    + " (check that the energy gradient matches the energy)", e.getMessage());
        }
    }

    /**
     * On {@code U = q^2 / 2} from q = 0 one step of size eps has the energy error {@code p^2 eps^4 / 8}, so
     * the mean acceptance is {@code E exp(-p^2 eps^4 / 8) = (1 + eps^4 / 4)^-1/2}: 0.894 at eps = 1 and
     * 0.447 at eps = 2. Over 64 chains its standard error is 0.016 at eps = 1 and 0.046 at eps = 2
     * (per-chain sd 0.127 and 0.365, from the same formula at twice the exponent), so both lie over 5
     * standard errors from the 0.8 target: the search from 0.25 doubles to
     * exactly 2, the one from 16 halves to exactly 1, and the chains do not move.
     */
    @Test
    void theStepSizeSearchStopsAtTheFirstDoublingBelowTheTarget() {
        float[] start = new float[64];
        try (HostEnergy u = standardNormal(b); Tensor init = b.fromArray(start, 64, 1);
             HmcChains chains = new HmcChains(u, init)) {
            assertEquals(2.0, chains.findReasonableStepSize(0.25, StreamId.HMC_SAMPLING.open(9)), 0.0);
            assertArrayEquals(start, chains.positions().toArray());
            assertArrayEquals(new double[64], chains.potentials(), 0.0);
            assertEquals(1.0, chains.findReasonableStepSize(16, StreamId.HMC_SAMPLING.open(9)), 0.0);
        }
    }
}
