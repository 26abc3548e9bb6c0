package org.ebm4j.energy.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.ebm4j.data.Dataset;
import org.ebm4j.hmc.DenseGaussian;
import org.ebm4j.hmc.GaussianEnergy;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class FourSquaresTest {

    @Test
    void pointsFillTheFourSquaresEvenly() {
        int n = 4000;
        float[] xy = FourSquares.sample(n, 7);
        assertEquals(2 * n, xy.length);
        assertEquals(1.0, FourSquares.fractionInside(xy));
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, FourSquares.shareBySquare(xy), 1e-12);
        // Uniform within a square: offsets from the centre have mean 0 and variance 1/12 per axis.
        double sum = 0;
        double sumSq = 0;
        for (float v : xy) {
            double offset = Math.abs(v) - FourSquares.CENTER;
            sum += offset;
            sumSq += offset * offset;
        }
        double mean = sum / xy.length;
        double variance = sumSq / xy.length - mean * mean;
        double se = Math.sqrt(1.0 / 12 / xy.length); // 0.0032
        assertEquals(0, mean, 5 * se, "offset mean");
        // The variance of U(-1/2, 1/2)^2 is 1/80 - 1/144; its standard error over 8,000 values is 8e-4.
        assertEquals(1.0 / 12, variance, 5 * Math.sqrt((1.0 / 80 - 1.0 / 144) / xy.length), "offset variance");
    }

    @Test
    void theSameSeedGivesTheSamePointsAndTheDatasetIsNamed() {
        assertArrayEquals(FourSquares.sample(10, 3), FourSquares.sample(10, 3));
        assertFalse(Arrays.equals(FourSquares.sample(10, 3), FourSquares.sample(10, 4)));
        Dataset d = FourSquares.dataset(10, 3);
        assertEquals("four-squares", d.name());
        assertEquals(10, d.rows());
        assertArrayEquals(FourSquares.sample(10, 3), d.values());
        assertEquals("need >= 1 points, found 0",
                assertThrows(IllegalArgumentException.class, () -> FourSquares.sample(0, 1)).getMessage());
    }

    @Test
    void insideIncludesTheEdgesAndSharesFollowTheSignOrder() {
        assertTrue(FourSquares.inside(1f, 1f));
        assertTrue(FourSquares.inside(-2f, -2f));
        assertTrue(FourSquares.inside(1.5f, -1.5f));
        assertFalse(FourSquares.inside(0.99f, 1.5f));
        assertFalse(FourSquares.inside(2.01f, 1.5f));
        assertFalse(FourSquares.inside(0f, 0f));
        // One point in (+,-), one in (-,+), one outside, one in (+,+).
        float[] xy = {1.5f, -1.5f, -1.5f, 1.5f, 0f, 0f, 1.2f, 1.9f};
        assertEquals(0.75, FourSquares.fractionInside(xy));
        assertArrayEquals(new double[] {0, 0.25, 0.25, 0.25}, FourSquares.shareBySquare(xy));
    }

    @Test
    void evaluateCompletesTheForgottenCoordinateByDescendingTheEnergy() {
        Backend b = new ReferenceBackend();
        // An energy whose conditional minimum in y is 1.5 whatever x is: every completion lands in a square
        // (the data's x are all inside), because descent with rate 0.01 on precision 100 reaches y = 1.5.
        DenseGaussian g = DenseGaussian.fromCovariance(new double[] {0, 1.5}, new double[][] {{1, 0}, {0, 0.01}});
        float[] data = FourSquares.sample(400, 2);
        float[] fantasies = {1.5f, -1.5f, 0f, 0f};
        try (GaussianEnergy u = new GaussianEnergy(b, g)) {
            FourSquares.Report r = FourSquares.evaluate(u, data, fantasies, 1);
            assertEquals(1.0, r.dataFractionInside());
            assertEquals(0.5, r.fantasyFractionInside());
            assertArrayEquals(new double[] {0, 0.5, 0, 0}, r.fantasyShareBySquare());
            assertEquals(1.0, r.completedFractionInside());
        }
        // With the minimum at y = 0, between the squares, no completion is inside.
        DenseGaussian between = DenseGaussian.fromCovariance(new double[] {0, 0}, new double[][] {{1, 0}, {0, 0.01}});
        try (GaussianEnergy u = new GaussianEnergy(b, between)) {
            assertEquals(0.0, FourSquares.evaluate(u, data, fantasies, 1).completedFractionInside());
        }
        DenseGaussian threeD = DenseGaussian.fromCovariance(new double[3], new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        try (GaussianEnergy u = new GaussianEnergy(b, threeD)) {
            assertEquals("the four squares are 2-D but the model's energy takes 3", assertThrows(
                    IllegalArgumentException.class, () -> FourSquares.evaluate(u, data, fantasies, 1)).getMessage());
        }
    }

    /** The documented draw: point i in square i mod 4 ((-,-), (+,-), (-,+), (+,+)), uniform 2i and 2i+1 of draw 0. */
    @Test
    void pointsAreTheDocumentedUniformDrawsInTurnPerSquare() {
        int stream = org.ebm4j.random.StreamId.ENERGY_DEMO_DATA.id();
        float[] got = FourSquares.sample(9, 0x1_0000_0002L);
        for (int i = 0; i < 9; i++) {
            float cx = i % 2 == 0 ? -1.5f : 1.5f;
            float cy = i % 4 < 2 ? -1.5f : 1.5f;
            float ux = org.ebm4j.random.Philox.uniform(0x1_0000_0002L, stream, 0, 2L * i);
            float uy = org.ebm4j.random.Philox.uniform(0x1_0000_0002L, stream, 0, 2L * i + 1);
            assertEquals(cx + 0.5f * (2 * ux - 1), got[2 * i], 0f, "x of point " + i);
            assertEquals(cy + 0.5f * (2 * uy - 1), got[2 * i + 1], 0f, "y of point " + i);
        }
        assertEquals(2, FourSquares.sample(1, 3).length, "one point is allowed");
    }
}
