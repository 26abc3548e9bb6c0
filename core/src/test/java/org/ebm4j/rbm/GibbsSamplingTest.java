package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class GibbsSamplingTest {
    private final Backend backend = new ReferenceBackend();

    @Test
    void withoutWeightsTheLastStepGivesTheVisibleMeans() {
        RbmParameters p = new RbmParameters(VisibleType.BERNOULLI, 3, 2, new float[6], new float[] {-1f, 0f, 2f},
                new float[2]);
        try (Rbm rbm = Rbm.of(backend, p)) {
            float[] v = GibbsSampling.visibleMeans(rbm, 4, 3, new float[] {0.1f, 0.5f, 0.9f}, new RandomStream(1));
            for (int r = 0; r < 4; r++) {
                assertEquals(1 / (1 + Math.exp(1)), v[r * 3], 1e-6);
                assertEquals(0.5, v[r * 3 + 1], 1e-6);
                assertEquals(1 / (1 + Math.exp(-2)), v[r * 3 + 2], 1e-6);
            }
            RandomStream rng = new RandomStream(2);
            GibbsSampling.visibleMeans(rbm, 2, 5, null, rng);
            assertEquals(2 * 5, rng.drawIndex(), "a start draw, a hidden draw per step, a visible draw per step but the last");
            assertThrows(IllegalArgumentException.class, () -> GibbsSampling.visibleMeans(rbm, 0, 1, null, rng));
        }
    }
}
