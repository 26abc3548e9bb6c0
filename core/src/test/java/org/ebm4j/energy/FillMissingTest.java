package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class FillMissingTest {

    // Softplus units with positive scales plus the quadratic term: strictly convex, so the filled-in value
    // is the global minimum along the missing coordinate, which a grid search finds independently.
    static EnergyModel convexModel(Backend b) {
        EnergyNetwork net = new EnergyNetwork(b, 3, List.of(new EnergyNetwork.Layer(4, Activation.SOFTPLUS)), 0.5);
        net.initialize(StreamId.ENERGY_INIT.open(6), 2.0, 0.5);
        return EnergyModel.of(net, new DataMoments(new double[] {0.2, -0.1, 0.4}, 1));
    }

    @Test
    void missingEntriesGoToTheEnergyMinimumAlongThemAndObservedOnesStay() {
        Backend b = new ReferenceBackend();
        float nan = Float.NaN;
        float[] rows = {0.5f, nan, -1f, nan, 1.5f, 0.3f, 2f, -0.7f, 0.1f};
        try (EnergyModel m = convexModel(b)) {
            Dataset filled = m.fillMissing(Dataset.of("partial", 3, 3, rows), 3000, 0.1);
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
                int m1 = 6001;
                float[] grid = new float[3 * m1];
                for (int g = 0; g < m1; g++) {
                    System.arraycopy(v, 3 * r, grid, 3 * g, 3);
                    grid[3 * g + c] = -3f + g * 1e-3f;
                }
                float[] e;
                try (Tensor q = b.fromArray(grid, m1, 3); Tensor out = b.allocate(m1, 1)) {
                    m.energyFunction().energy(q, out);
                    e = out.toArray();
                }
                int best = 0;
                for (int g = 1; g < m1; g++) {
                    if (e[g] < e[best]) {
                        best = g;
                    }
                }
                // Grid spacing 1e-3; the energy is flat to second order at its minimum.
                assertEquals(grid[3 * best + c], v[3 * r + c], 2e-3, "row " + r + " column " + c);
            }
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> m.fillMissing(Dataset.of("narrow", 1, 2, new float[2]), 1, 0.1));
            assertTrue(ex.getMessage().contains("2 columns") && ex.getMessage().contains("takes 3"), ex.getMessage());
        }
    }
}
