package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class OptimizerTest {
    private final Backend backend = new ReferenceBackend();

    /**
     * Two Adam steps worked out by hand for the gradients g1 = (0.5, -2, 0) and g2 = (1, 1, 3) at
     * lr = 0.1: step 1 has m = 0.1 g1, s = 0.001 g1^2, so the bias-corrected ratio is g1 / |g1| and
     * the step is 0.1 sign(g1) (0 where g1 = 0); step 2 has m = 0.09 g1 + 0.1 g2,
     * s = 0.000999 g1^2 + 0.001 g2^2, corrections 1 - 0.81 = 0.19 and 1 - 0.998001 = 0.001999.
     */
    @Test
    void adamTakesTheHandComputedSteps() {
        try (Tensor p = backend.fromArray(new float[] {1f, 2f, 3f}, 1, 3);
             ParameterUpdate u = Optimizer.ADAM.update(p, "p", 0.9)) {
            assertEquals(1f, u.gradientScale(0.1f));
            assertEquals(0f, u.keep());
            u.target().copyFrom(new float[] {0.5f, -2f, 0f});
            u.apply(0.1f);
            assertArrayEquals(new float[] {1.1f, 1.9f, 3f}, p.toArray(), 1e-6f);
            assertArrayEquals(new float[] {0.1f, -0.1f, 0f}, u.target().toArray(), 1e-6f, "the step is left in the target");
            u.target().copyFrom(new float[] {1f, 1f, 3f});
            u.apply(0.1f);
            double[] expected = new double[3];
            double[] g1 = {0.5, -2, 0};
            double[] g2 = {1, 1, 3};
            double[] start = {1.1, 1.9, 3};
            for (int i = 0; i < 3; i++) {
                double m = 0.09 * g1[i] + 0.1 * g2[i];
                double s = 0.000999 * g1[i] * g1[i] + 0.001 * g2[i] * g2[i];
                expected[i] = start[i] + 0.1 * (m / 0.19) / (Math.sqrt(s / 0.001999) + 1e-8);
            }
            float[] got = p.toArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[i], got[i], 1e-6, "parameter " + i);
            }
            // Hand values: 1.1 + 0.1 * 0.145/0.19 / sqrt(0.0012498/0.001999), ...
            assertEquals(1.1 + 0.1 * (0.145 / 0.19) / Math.sqrt(0.0012497500 / 0.001999), got[0], 1e-6);
        }
    }

    /** The state saved after some steps continues exactly in a fresh update. */
    @Test
    void adamStateRoundTripsThroughATrainingState() {
        float[] grad = {0.3f, -0.7f};
        try (Tensor p = backend.fromArray(new float[] {0f, 0f}, 1, 2); Tensor q = backend.allocate(1, 2);
             ParameterUpdate a = Optimizer.ADAM.update(p, "w", 0); ParameterUpdate b = Optimizer.ADAM.update(q, "w", 0)) {
            for (int t = 0; t < 3; t++) {
                a.target().copyFrom(grad);
                a.apply(0.01f);
            }
            TrainingState.Builder s = TrainingState.builder("test", 0);
            a.save(s);
            b.restore(s.build());
            q.copyFrom(p.toArray());
            a.target().copyFrom(grad);
            a.apply(0.01f);
            b.target().copyFrom(grad);
            b.apply(0.01f);
            assertArrayEquals(p.toArray(), q.toArray());
        }
    }

    @Test
    void momentumAccumulatesIntoTheVelocity() {
        try (Tensor p = backend.fromArray(new float[] {1f}, 1, 1); ParameterUpdate u = Optimizer.SGD.update(p, "p", 0.5)) {
            assertEquals(0.5f, u.keep());
            assertEquals(0.2f, u.gradientScale(0.2f));
            u.target().copyFrom(new float[] {0.2f});
            u.apply(0.2f);
            assertEquals(1.2f, p.toArray()[0], 1e-7f);
        }
        assertEquals(Optimizer.ADAM, Optimizer.parse(" Adam"));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.parse("rmsprop"));
    }
}
