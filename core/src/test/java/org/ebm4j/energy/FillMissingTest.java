package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ebm4j.data.Dataset;
import org.ebm4j.hmc.HmcOptions;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class FillMissingTest {

    // E(x) = 2 softplus(x0 + 4 x1 - x2) + 1.5 softplus(3 x0 + x2) + |x|^2 / 4: convex and normalizable, so
    // every conditional along one coordinate is unimodal, and quadrature computes it exactly. The first
    // unit is a steep wall on one side of x1 and the Gaussian term a slow slope on the other, so the
    // conditional of x1 is skewed: its mean lies well away from its mode.
    static EnergyModel convexModel(Backend b) {
        EnergyNetwork net = new EnergyNetwork(b, 3, List.of(new EnergyNetwork.Layer(2, Activation.SOFTPLUS)), 0.5);
        List<Tensor> p = net.parameters();
        p.get(0).copyFrom(new float[] {1, 3, 4, 0, -1, 1}, 0); // W: 3 inputs x 2 units
        p.get(2).copyFrom(new float[] {2f, 1.5f}, 0); // scales; the biases stay 0
        return EnergyModel.of(net, new DataMoments(new double[] {0.2, -0.1, 0.4}, 1));
    }

    /** Mean, sd and mode of {@code p(x_c | the rest of row)} ~ exp(-E) by quadrature on a fine grid. */
    static double[] conditional(EnergyModel m, float[] row, int c) {
        int points = 20001;
        double lo = -10;
        double h = 1e-3;
        float[] grid = new float[3 * points];
        for (int g = 0; g < points; g++) {
            System.arraycopy(row, 0, grid, 3 * g, 3);
            grid[3 * g + c] = (float) (lo + g * h);
        }
        Backend b = m.backend();
        float[] e;
        try (Tensor q = b.fromArray(grid, points, 3); Tensor out = b.allocate(points, 1)) {
            m.energyFunction().energy(q, out);
            e = out.toArray();
        }
        double min = Double.POSITIVE_INFINITY;
        int best = 0;
        for (int g = 0; g < points; g++) {
            if (e[g] < min) {
                min = e[g];
                best = g;
            }
        }
        double z = 0;
        double s1 = 0;
        double s2 = 0;
        for (int g = 0; g < points; g++) {
            double w = Math.exp(-(e[g] - min));
            double v = lo + g * h;
            z += w;
            s1 += w * v;
            s2 += w * v * v;
        }
        double mean = s1 / z;
        return new double[] {mean, Math.sqrt(s2 / z - mean * mean), lo + best * h};
    }

    @Test
    void missingEntriesBecomeTheirConditionalMeanAndObservedOnesStay() {
        Backend b = new ReferenceBackend();
        float nan = Float.NaN;
        float[] rows = {0.5f, nan, -1f, nan, 1.5f, 0.3f, 2f, -0.7f, 0.1f};
        int chains = 400;
        HmcOptions options = EnergyModel.fillOptions().toBuilder().chains(chains).warmup(100).draws(50).seed(3)
                .build();
        try (EnergyModel m = convexModel(b)) {
            Dataset filled = m.fillMissing(Dataset.of("partial", 3, 3, rows), options);
            float[] v = filled.values();
            for (int i = 0; i < v.length; i++) {
                assertTrue(Float.isFinite(v[i]), "entry " + i + " filled");
                if (!Float.isNaN(rows[i])) {
                    assertEquals(rows[i], v[i], 0, "observed entry " + i);
                }
            }
            int[][] missing = {{0, 1}, {1, 0}};
            for (int[] rc : missing) {
                int r = rc[0];
                int c = rc[1];
                float[] row = new float[3];
                System.arraycopy(v, 3 * r, row, 0, 3);
                double[] exact = conditional(m, row, c);
                // A chain's average of its draws has a variance of at most the conditional variance whatever
                // its autocorrelation, so the mean over 400 independent chains lies within 5 sd / sqrt(400)
                // of the exact mean (5 standard errors); the quadrature's error (grid 1e-3 over +-10, where
                // the density is negligible at the ends) is far below that.
                double tolerance = 5 * exact[1] / Math.sqrt(chains);
                assertEquals(exact[0], v[3 * r + c], tolerance, "row " + r + " column " + c);
                if (c == 1) {
                    // x1's conditional is skewed: its mode lies outside that band, so a fill that found the
                    // minimum of the energy instead of the mean would fail here.
                    assertTrue(Math.abs(exact[2] - exact[0]) > 2 * tolerance, "mode " + exact[2] + " vs mean "
                            + exact[0] + " (tolerance " + tolerance + ")");
                }
            }
            Dataset again = m.fillMissing(Dataset.of("partial", 3, 3, rows), options);
            assertArrayEquals(v, again.values(), "the same seed gives the same fill");
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> m.fillMissing(Dataset.of("narrow", 1, 2, new float[2]), options));
            assertTrue(ex.getMessage().contains("2 columns") && ex.getMessage().contains("takes 3"), ex.getMessage());
            ex = assertThrows(IllegalArgumentException.class, () -> m.fillMissing(
                    Dataset.of("infinite", 1, 3, new float[] {0, Float.POSITIVE_INFINITY, nan}), options));
            assertTrue(ex.getMessage().contains("column 1") && ex.getMessage().contains("finite"), ex.getMessage());
        }
    }
}
