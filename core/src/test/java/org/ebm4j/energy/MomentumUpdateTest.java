package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link MomentumUpdate}'s steps on small vectors against values worked out by hand in the comments. */
@ExtendWith(NoLeakedTensors.class)
class MomentumUpdateTest {
    private static final double NO_CLIP = Double.POSITIVE_INFINITY;

    /**
     * theta = (1, 2), g = (0.5, -1), decay 0.1, rate 0.2, momentum 0.9 from v = 0: g + 0.1 theta = (0.6, -0.8),
     * v = -0.2 (0.6, -0.8) = (-0.12, 0.16), theta = (0.88, 2.16); a second step with g = 0: the decay alone,
     * g = 0.1 theta = (0.088, 0.216), v = 0.9 v - 0.2 g = (-0.1256, 0.1008), theta = (0.7544, 2.2608).
     */
    @Test
    void momentumStepsWithDecayByHand() {
        Backend b = new ReferenceBackend();
        try (Tensor p = b.fromArray(new float[] {1, 2}, 1, 2); Tensor g = b.fromArray(new float[] {0.5f, -1}, 1, 2);
             MomentumUpdate u = new MomentumUpdate(b, List.of(p), 0.9, false)) {
            u.apply(List.of(p), List.of(g), i -> true, 0.1, 0.2, NO_CLIP);
            assertArrayEquals(new float[] {-0.12f, 0.16f}, u.velocities().get(0).toArray(), 1e-6f);
            assertArrayEquals(new float[] {0.88f, 2.16f}, p.toArray(), 1e-6f);
            g.copyFrom(new float[] {0, 0});
            u.apply(List.of(p), List.of(g), i -> true, 0.1, 0.2, NO_CLIP);
            assertArrayEquals(new float[] {-0.1256f, 0.1008f}, u.velocities().get(0).toArray(), 1e-6f);
            assertArrayEquals(new float[] {0.7544f, 2.2608f}, p.toArray(), 1e-6f);
        }
    }

    /**
     * The sign rule, momentum 0.5, rate 0.1 from theta = 0: g1 = (1, 1, -1, -1) gives v = 0.5 g1, so theta =
     * -0.1 sign(g1) = (-0.1, -0.1, 0.1, 0.1); g2 = (-0.2, -3, 0.2, 3) gives v = 0.5 v + 0.5 g2 =
     * (0.15, -1.25, -0.15, 1.25): theta moves by -0.1 sign(v) to (-0.2, 0, 0.2, 0). The first and third
     * entries step against their own gradient's sign, as the velocity says.
     */
    @Test
    void theSignRuleStepsAgainstTheSignOfTheVelocity() {
        Backend b = new ReferenceBackend();
        try (Tensor p = b.fromArray(new float[4], 1, 4); Tensor g = b.fromArray(new float[] {1, 1, -1, -1}, 1, 4);
             MomentumUpdate u = new MomentumUpdate(b, List.of(p), 0.5, true)) {
            u.apply(List.of(p), List.of(g), i -> false, 0, 0.1, NO_CLIP);
            assertArrayEquals(new float[] {-0.1f, -0.1f, 0.1f, 0.1f}, p.toArray(), 1e-7f);
            g.copyFrom(new float[] {-0.2f, -3, 0.2f, 3});
            u.apply(List.of(p), List.of(g), i -> false, 0, 0.1, NO_CLIP);
            assertArrayEquals(new float[] {-0.2f, 0, 0.2f, 0}, p.toArray(), 1e-7f);
            assertArrayEquals(new float[] {0.15f, -1.25f, -0.15f, 1.25f}, u.velocities().get(0).toArray(), 1e-6f);
        }
    }

    /**
     * Adam's moments and step count travel through a state: a fresh update restored from it takes the same next
     * step as the one that saved it (a fresh Adam's first step would move every entry by the rate instead).
     */
    @Test
    void adamsMomentsAreRestoredFromAState() {
        Backend b = new ReferenceBackend();
        List<String> names = List.of("w");
        float[] g1 = {0.3f, -0.1f, 0.2f};
        float[] g2 = {-0.2f, 0.4f, 0.2f};
        try (Tensor p = b.fromArray(new float[] {1, -2, 0.5f}, 1, 3); Tensor q = b.allocate(1, 3);
             Tensor g = b.fromArray(g1, 1, 3);
             MomentumUpdate saved = new MomentumUpdate(b, List.of(p), names, 0, false, Optimizer.ADAM);
             MomentumUpdate restored = new MomentumUpdate(b, List.of(q), names, 0, false, Optimizer.ADAM)) {
            saved.apply(List.of(p), List.of(g), i -> false, 0, 0.1, NO_CLIP);
            TrainingState.Builder s = TrainingState.builder("test", 0);
            saved.save(s, names, 7);
            assertEquals(7, restored.restore(s.build(), names));
            q.copyFrom(p.toArray());
            g.copyFrom(g2);
            saved.apply(List.of(p), List.of(g), i -> false, 0, 0.1, NO_CLIP);
            g.copyFrom(g2);
            restored.apply(List.of(q), List.of(g), i -> false, 0, 0.1, NO_CLIP);
            assertArrayEquals(p.toArray(), q.toArray());
        }
    }
}
