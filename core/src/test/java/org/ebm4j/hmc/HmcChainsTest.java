package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class HmcChainsTest {

    /**
     * A rejected proposal leaves its end point's gradient in the integrator's buffer; the next trajectory
     * must start from the current point's gradient instead. Chains that just rejected a proposal must
     * therefore make exactly the transition that fresh chains at the same points, with the same draws, make.
     */
    @Test
    void afterARejectionTheNextTrajectoryStartsFromTheCurrentPointsGradient() {
        Backend b = new ReferenceBackend();
        DenseGaussian g = DenseGaussian.randomRotation(3, 0.5, 2.0, 4);
        float[] start = {0.3f, -0.2f, 0.5f, -1f, 0.4f, 0.1f};
        try (GaussianEnergy u = new GaussianEnergy(b, g); Tensor init = b.fromArray(start, 2, 3);
             HmcChains rejecting = new HmcChains(u, init); HmcChains fresh = new HmcChains(u, init)) {
            RandomStream rng = StreamId.HMC_SAMPLING.open(1);
            TrajectoryStats absurd = rejecting.transition(1e4f, 3, rng);
            assertEquals(0, absurd.accepted(), "a step of 1e4 on unit-scale Gaussians is rejected by every chain");
            assertArrayEquals(start, rejecting.positions().toArray());
            RandomStream same = new RandomStream(rng.seed(), rng.streamId(), rng.drawIndex());
            TrajectoryStats afterRejection = rejecting.transition(0.1f, 3, rng);
            TrajectoryStats reference = fresh.transition(0.1f, 3, same);
            // A short trajectory on this target is accepted (energy errors near 1e-4), so the chains move
            // and their new positions depend on the gradient the trajectory started from.
            assertEquals(2, reference.accepted());
            assertEquals(2, afterRejection.accepted());
            assertArrayEquals(fresh.positions().toArray(), rejecting.positions().toArray());
            assertArrayEquals(fresh.lastEnergyErrors(), rejecting.lastEnergyErrors());
        }
    }
}
