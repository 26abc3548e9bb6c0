package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The accumulation paths of {@link ParameterUpdate} ({@code step} with weight decay, {@code applyColumnSums})
 * under both optimizers, against steps worked out by hand or by a host Adam written out here.
 */
@ExtendWith(NoLeakedTensors.class)
class ParameterUpdateTest {
    private static final float TOL = 1e-6f;
    private final Backend backend = new ReferenceBackend();

    /**
     * Adam's parameter after the steps for {@code grads} (one row each) from {@code start}, written
     * from Kingma and Ba's algorithm 1 (beta1 0.9, beta2 0.999, eps 1e-8).
     */
    private static double[] adamByHand(double[] start, double lr, double[]... grads) {
        double[] p = start.clone();
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < p.length; i++) {
                double g = grads[t - 1][i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                p[i] += lr * (m[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(v[i] / (1 - Math.pow(0.999, t))) + 1e-8);
            }
        }
        return p;
    }

    private static void assertClose(double[] want, float[] got) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], TOL, "element " + i);
        }
    }

    /**
     * Momentum 0.5, old velocity (0.4, 0.2), loss gradient (1, 3) (direction -1), lr 0.2, weight decay
     * 0.1 on p = (1, -2): velocity = 0.5 (0.4, 0.2) - 0.2 (1, 3) - 0.2 * 0.1 (1, -2) = (-0.02, -0.46),
     * p = (0.98, -2.46).
     */
    @Test
    void momentumStepKeepsPartOfTheVelocityAndDecaysTowardZero() {
        try (Tensor p = backend.fromArray(new float[] {1f, -2f}, 1, 2);
             ParameterUpdate u = Optimizer.SGD.update(p, "w", 0.5)) {
            u.target().copyFrom(new float[] {0.4f, 0.2f});
            try (Tensor g = backend.fromArray(new float[] {1f, 3f}, 1, 2)) {
                u.step(-1f, g, 0.1, 0.2f);
            }
            assertArrayEquals(new float[] {0.98f, -2.46f}, p.toArray(), TOL);
            assertArrayEquals(new float[] {-0.02f, -0.46f}, u.target().toArray(), TOL, "the velocity is the step");
        }
    }

    /**
     * No decay at weight decay 0 or below (a negative decay would push parameters away from 0): an ascent
     * gradient (2, -1) at lr 0.5 from zero velocity moves p = (1, 1) by (1, -0.5) exactly.
     */
    @Test
    void noDecayAtZeroOrNegativeWeightDecay() {
        for (double wd : new double[] {0, -0.3}) {
            try (Tensor p = backend.fromArray(new float[] {1f, 1f}, 1, 2);
                 ParameterUpdate u = Optimizer.SGD.update(p, "w", 0.9);
                 Tensor g = backend.fromArray(new float[] {2f, -1f}, 1, 2)) {
                u.step(1f, g, wd, 0.5f);
                assertArrayEquals(new float[] {2f, 0.5f}, p.toArray(), TOL, "weight decay " + wd);
            }
            try (Tensor p = backend.fromArray(new float[] {1f, 1f}, 1, 2);
                 ParameterUpdate u = Optimizer.ADAM.update(p, "w", 0);
                 Tensor g = backend.fromArray(new float[] {2f, -1f}, 1, 2)) {
                u.step(1f, g, wd, 0.5f);
                assertClose(adamByHand(new double[] {1, 1}, 0.5, new double[] {2, -1}), p.toArray());
            }
        }
    }

    /**
     * Adam forgets the target's old contents (keep 0), follows the direction and adds the decay to the
     * gradient: loss gradient (0.5, -0.25) (direction -1) with decay 0.2 on p = (1, 2) is the ascent
     * gradient (-0.5 - 0.2, 0.25 - 0.4) = (-0.7, -0.15); the second step's gradient (1, -1) - 0.2 p.
     */
    @Test
    void adamStepUsesTheDirectionAndTheDecayedGradient() {
        try (Tensor p = backend.fromArray(new float[] {1f, 2f}, 1, 2);
             ParameterUpdate u = Optimizer.ADAM.update(p, "w", 0.9);
             Tensor g = backend.fromArray(new float[] {0.5f, -0.25f}, 1, 2)) {
            u.target().copyFrom(new float[] {100f, -100f});
            u.step(-1f, g, 0.2, 0.1f);
            double[] first = adamByHand(new double[] {1, 2}, 0.1, new double[] {-0.7, -0.15});
            assertClose(first, p.toArray());
            assertClose(new double[] {first[0] - 1, first[1] - 2}, u.target().toArray());
            g.copyFrom(new float[] {-1f, 1f});
            u.step(-1f, g, 0.2, 0.1f);
            double[] second = {1 - 0.2 * first[0], -1 - 0.2 * first[1]};
            assertClose(adamByHand(new double[] {1, 2}, 0.1, new double[] {-0.7, -0.15}, second), p.toArray());
        }
    }

    /**
     * A bias from data column sums (4, 6) scaled by 0.5 and model column sums (3, 1) scaled by -1:
     * gradient (-1, 2). Momentum 0.5 from velocity (0.2, -0.2): velocity (-0.9, 1.9), bias (1, 1) becomes
     * (0.1, 2.9).
     */
    @Test
    void columnSumsUpdateABiasUnderBothOptimizers() {
        try (Tensor data = backend.fromArray(new float[] {1f, 2f, 3f, 4f}, 2, 2);
             Tensor model = backend.fromArray(new float[] {3f, 1f}, 1, 2)) {
            try (Tensor b = backend.fromArray(new float[] {1f, 1f}, 1, 2);
                 ParameterUpdate u = Optimizer.SGD.update(b, "b", 0.5)) {
                u.target().copyFrom(new float[] {0.2f, -0.2f});
                u.applyColumnSums(data, 0.5f, model, -1f, 0.3f);
                assertArrayEquals(new float[] {0.1f, 2.9f}, b.toArray(), TOL);
                assertArrayEquals(new float[] {-0.9f, 1.9f}, u.target().toArray(), TOL);
            }
            try (Tensor b = backend.fromArray(new float[] {1f, 1f}, 1, 2);
                 ParameterUpdate u = Optimizer.ADAM.update(b, "b", 0.5)) {
                u.target().copyFrom(new float[] {50f, 50f});
                u.applyColumnSums(data, 0.5f, model, -1f, 0.3f);
                // A second call with the model scaled by -2: gradient (2, 3) - (6, 2) = (-4, 1).
                u.applyColumnSums(data, 0.5f, model, -2f, 0.3f);
                assertClose(adamByHand(new double[] {1, 1}, 0.3, new double[] {-1, 2}, new double[] {-4, 1}),
                        b.toArray());
            }
        }
    }

    /** A velocity saved under its name continues in a fresh update: the next steps match to the bit. */
    @Test
    void momentumVelocityRoundTripsThroughATrainingState() {
        try (Tensor p = backend.fromArray(new float[] {0f, 0f}, 1, 2); Tensor q = backend.allocate(1, 2);
             ParameterUpdate a = Optimizer.SGD.update(p, "w", 0.8); ParameterUpdate b = Optimizer.SGD.update(q, "w", 0.8);
             Tensor g = backend.fromArray(new float[] {0.5f, -1f}, 1, 2)) {
            a.step(1f, g, 0, 0.1f);
            a.step(1f, g, 0, 0.1f);
            TrainingState.Builder s = TrainingState.builder("test", 0);
            a.save(s);
            TrainingState state = s.build();
            // Velocity after two steps: 0.1 g, then 0.8 * 0.1 g + 0.1 g = 0.18 g.
            assertArrayEquals(new float[] {0.09f, -0.18f}, state.array("velocity.w", 1, 2), TOL);
            b.restore(state);
            q.copyFrom(p.toArray());
            a.step(1f, g, 0, 0.1f);
            b.step(1f, g, 0, 0.1f);
            assertArrayEquals(p.toArray(), q.toArray());
            assertArrayEquals(new float[] {0.09f + 0.05f + 0.122f, -0.18f - 0.1f - 0.244f}, q.toArray(), TOL);
        }
    }

    /** Adam's moments and step count are saved under the parameter's name. */
    @Test
    void adamStateIsSavedUnderTheName() {
        try (Tensor p = backend.fromArray(new float[] {0f}, 1, 1); ParameterUpdate a = Optimizer.ADAM.update(p, "v", 0)) {
            for (int t = 0; t < 2; t++) {
                a.target().copyFrom(new float[] {2f});
                a.apply(0.01f);
            }
            TrainingState.Builder s = TrainingState.builder("test", 0);
            a.save(s);
            TrainingState state = s.build();
            assertEquals(2, state.counter("adam.t.v"));
            // m = 0.9 * 0.2 + 0.2 = 0.38; s = 0.999 * 0.004 + 0.004 = 0.007996.
            assertEquals(0.38f, state.array("adam.m.v", 1, 1)[0], TOL);
            assertEquals(0.007996f, state.array("adam.s.v", 1, 1)[0], 1e-8f);
        }
    }
}
