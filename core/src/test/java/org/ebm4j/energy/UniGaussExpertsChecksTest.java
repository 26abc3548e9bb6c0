package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link UniGaussExperts}' initialization, smallest shapes and argument checks, against values worked out by hand. */
@ExtendWith(NoLeakedTensors.class)
class UniGaussExpertsChecksTest {

    /**
     * Hinton's start: {@code mu = center + spread * N(0, 1)}, the normals those the backend's sampler draws
     * from the same stream; {@code rho = 1 / spread}; {@code c = 0} whatever it held.
     */
    @Test
    void initializePlacesTheExpertsAroundTheCenterWithTheDataSpread() {
        Backend b = new ReferenceBackend();
        float[] center = {0.5f, -1f};
        float spread = 0.8f;
        try (UniGaussExperts poe = new UniGaussExperts(b, 2, 3, 0.1);
             Tensor normals = b.allocate(3, 2)) {
            assertEquals(3, poe.experts());
            b.fill(poe.parameters().get(0), 5f);
            poe.initialize(new RandomStream(3), center, spread);
            b.sampler().fillNormal(normals, 0f, spread, new RandomStream(3));
            float[] z = normals.toArray();
            Map<String, float[]> p = poe.hostParameters();
            for (int i = 0; i < 6; i++) {
                assertEquals(center[i % 2] + z[i], p.get("mu")[i], 1e-6, "mu " + i);
                assertEquals(1f / spread, p.get("rho")[i], 0f, "rho " + i);
            }
            for (float c : p.get("c")) {
                assertEquals(0f, c, 0f);
            }
            // The derived quantities follow the new parameters: E(mu_0) by the definition (c = 0, lambda = 1 / spread^2).
            try (Tensor x = b.fromArray(new float[] {p.get("mu")[0], p.get("mu")[1]}, 1, 2);
                 Tensor e = b.allocate(1, 1)) {
                poe.energy(x, e);
                double expected = 0.05 * (x.toArray()[0] * x.toArray()[0] + x.toArray()[1] * x.toArray()[1]);
                for (int m = 0; m < 3; m++) {
                    double q = 0;
                    for (int i = 0; i < 2; i++) {
                        double diff = p.get("mu")[i] - p.get("mu")[2 * m + i];
                        q += diff * diff / (spread * spread);
                    }
                    expected -= Math.log1p(Math.exp(-0.5 * q));
                }
                assertEquals(expected, e.toArray()[0], 1e-5);
            }
        }
    }

    @Test
    void theSmallestProductIsAcceptedAndBadShapesOrSpreadsAreRefused() {
        Backend b = new ReferenceBackend();
        try (UniGaussExperts one = new UniGaussExperts(b, 1, 1, 0)) {
            assertEquals(1, one.dimension());
            assertEquals("center needs 1 coordinates, found 2", assertThrows(IllegalArgumentException.class,
                    () -> one.initialize(new RandomStream(1), new float[2], 1f)).getMessage());
            assertEquals("spread must be finite and > 0, found 0.0", assertThrows(IllegalArgumentException.class,
                    () -> one.initialize(new RandomStream(1), new float[1], 0f)).getMessage());
            assertEquals("spread must be finite and > 0, found Infinity", assertThrows(IllegalArgumentException.class,
                    () -> one.initialize(new RandomStream(1), new float[1], Float.POSITIVE_INFINITY)).getMessage());
        }
        assertEquals("a product of uni-gauss experts needs dimension >= 1 and >= 1 experts, found 0 and 1",
                assertThrows(IllegalArgumentException.class, () -> new UniGaussExperts(b, 0, 1, 0)).getMessage());
        assertEquals("a product of uni-gauss experts needs dimension >= 1 and >= 1 experts, found 1 and 0",
                assertThrows(IllegalArgumentException.class, () -> new UniGaussExperts(b, 1, 0, 0)).getMessage());
        assertEquals("envelope precision must be finite and >= 0, found -1.0",
                assertThrows(IllegalArgumentException.class, () -> new UniGaussExperts(b, 1, 1, -1)).getMessage());
    }

    @Test
    void passesRefuseMisshapedArgumentsNamingTheOperation() {
        Backend b = new ReferenceBackend();
        try (UniGaussExperts poe = new UniGaussExperts(b, 2, 3, 0.1)) {
            TrainableEnergyChecks.assertRefusesMisshapedArguments(b, poe, "UniGaussExperts", (x, weights, grads) ->
                    assertEquals("UniGaussExperts.accumulateParameterGradient: expected 3 gradient tensors (c, mu, rho), found 2",
                            assertThrows(IllegalArgumentException.class,
                                    () -> poe.accumulateParameterGradient(x, weights, grads.subList(0, 2))).getMessage()));
        }
    }
}
