package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.data.Dataset;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.testing.PlainSoftplusNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link HeldOutScore} against its formula, on an energy whose gradient is known in closed form. */
@ExtendWith(NoLeakedTensors.class)
class HeldOutScoreTest {

    /**
     * A network with zero weights and biases is {@code const + (lambda / 2) |x|^2}, so {@code dE/dx = lambda x}.
     * With spread 2 the noise is {@code sigma = 0.1 * 2 = 0.2}; the metric is the mean over entries of
     * {@code (sigma lambda (x + sigma eps) - eps)^2}, {@code eps} the first normals of
     * {@link StreamId#ENERGY_HELDOUT} under the seed.
     */
    @Test
    void theScoreIsTheMeanSquaredMismatchOfTheNoisesScore() {
        Backend b = new ReferenceBackend();
        double lambda = 3;
        PlainSoftplusNetwork plain = new PlainSoftplusNetwork(2, 3, lambda);
        double[][] flat = {new double[6], new double[3], {1, 0.5, 2}};
        float[] x = {0.5f, -1, 2, 0.25f, -0.75f, 1.5f};
        float[] eps;
        try (Tensor t = b.allocate(3, 2)) {
            b.sampler().fillNormal(t, 0f, 1f, StreamId.ENERGY_HELDOUT.open(7));
            eps = t.toArray();
        }
        double sigma = 0.2;
        double expected = 0;
        for (int i = 0; i < x.length; i++) {
            double r = sigma * lambda * (x[i] + sigma * eps[i]) - eps[i];
            expected += r * r / x.length;
        }
        try (EnergyNetwork net = plain.network(b, flat);
             HeldOutScore score = new HeldOutScore(b, Dataset.of("held", 3, 2, x), 2, 7)) {
            // Float positions and gradients (relative 1e-7) in residuals of order 1.
            assertEquals(expected, score.evaluate(net), 1e-5);
        }
    }

    @Test
    void heldOutRowsWithAGapAreRefused() {
        Backend b = new ReferenceBackend();
        Dataset held = Dataset.of("squares", 3, 2, new float[] {0, 1, 2, 3, Float.NaN, 5});
        assertEquals("the held-out rows must be complete, but row 2 of the 3 held out of squares has a missing entry"
                        + " (column 0); hold out fewer rows, or none",
                assertThrows(IllegalArgumentException.class, () -> new HeldOutScore(b, held, 1, 1)).getMessage());
    }
}
