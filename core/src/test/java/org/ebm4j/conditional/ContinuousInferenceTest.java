package org.ebm4j.conditional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class ContinuousInferenceTest {

    // Softplus units with positive scales plus the quadratic term: E is strictly convex in [x, y, z], so
    // descent must reach the global minimum that a grid search finds.
    static EnergyNetwork convex(Backend b) {
        EnergyNetwork net = new EnergyNetwork(b, 3, List.of(new EnergyNetwork.Layer(5, Activation.SOFTPLUS)), 0.5);
        net.initialize(StreamId.ENERGY_INIT.open(4), 2.0, 0.6);
        return net;
    }

    static float[] energies(EnergyNetwork net, float[] rows) {
        Backend b = net.backend();
        try (Tensor q = b.fromArray(rows, rows.length / 3, 3); Tensor e = b.allocate(rows.length / 3, 1)) {
            net.energy(q, e);
            return e.toArray();
        }
    }

    @Test
    void descentOnTheAnswerReachesTheGridMinimum() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = convex(b)) {
            float[] xz = {-1f, 0.3f, 0.5f, -0.2f, 2f, 1f};
            float[] start = new float[9];
            for (int r = 0; r < 3; r++) {
                start[3 * r] = xz[2 * r];
                start[3 * r + 2] = xz[2 * r + 1];
            }
            float[] found;
            float[] q;
            try (Tensor t = b.fromArray(start, 3, 3)) {
                found = ContinuousInference.minimize(net, t, 1, 2, 0.1f, 3000);
                q = t.toArray();
            }
            int m = 8001;
            for (int r = 0; r < 3; r++) {
                assertEquals(xz[2 * r], q[3 * r], 0, "x is clamped");
                assertEquals(xz[2 * r + 1], q[3 * r + 2], 0, "z is clamped");
                float[] grid = new float[3 * m];
                for (int g = 0; g < m; g++) {
                    grid[3 * g] = xz[2 * r];
                    grid[3 * g + 1] = -4f + g * 1e-3f;
                    grid[3 * g + 2] = xz[2 * r + 1];
                }
                float[] e = energies(net, grid);
                int best = 0;
                for (int g = 1; g < m; g++) {
                    if (e[g] < e[best]) {
                        best = g;
                    }
                }
                assertTrue(best > 0 && best < m - 1, "the grid brackets the minimum");
                // The grid's spacing is 1e-3 and the energy is flat to O(spacing^2) there.
                assertEquals(grid[3 * best + 1], q[3 * r + 1], 2e-3, "y* of row " + r);
                assertEquals(e[best], found[r], 1e-5 * (1 + Math.abs(e[best])), "min_y E of row " + r);
            }
        }
    }

    @Test
    void jointDescentOnAnswerAndLatentReachesTheGridMinimum() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = convex(b); Tensor t = b.fromArray(new float[] {0.7f, 0f, 0f}, 1, 3)) {
            float[] found = ContinuousInference.minimize(net, t, 1, 3, 0.1f, 4000);
            float[] q = t.toArray();
            int m = 401;
            float[] grid = new float[3 * m * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    int g = i * m + j;
                    grid[3 * g] = 0.7f;
                    grid[3 * g + 1] = -4f + i * 0.02f;
                    grid[3 * g + 2] = -4f + j * 0.02f;
                }
            }
            float[] e = energies(net, grid);
            int best = 0;
            for (int g = 1; g < e.length; g++) {
                if (e[g] < e[best]) {
                    best = g;
                }
            }
            assertTrue(found[0] <= e[best] + 1e-5f, "descent " + found[0] + " is no worse than the grid " + e[best]);
            assertEquals(grid[3 * best + 1], q[1], 0.03, "y*");
            assertEquals(grid[3 * best + 2], q[2], 0.03, "z*");
        }
    }

    @Test
    void anEmptyRangeIsRefused() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = convex(b); Tensor t = b.allocate(1, 3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ContinuousInference.minimize(net, t, 2, 2, 0.1f, 1));
            assertTrue(e.getMessage().contains("[2, 2)"), e.getMessage());
        }
    }
}
