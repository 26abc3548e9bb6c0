package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.random.Philox;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class GaussianEnergyTest {

    @Test
    void energyAndGradientMatchTheDoubleReference() {
        Backend b = new ReferenceBackend();
        int d = 17;
        int n = 5;
        double[] mean = new double[d];
        for (int i = 0; i < d; i++) {
            mean[i] = 0.3 * i - 2;
        }
        DenseGaussian base = DenseGaussian.randomRotation(d, 0.3, 4, 3);
        DenseGaussian g = DenseGaussian.fromCovariance(mean, base.covariance());
        float[] x = new float[n * d];
        for (int e = 0; e < x.length; e++) {
            x[e] = Philox.normal(9, 0, 0, e) * 2;
        }
        double[][] p = g.precision();
        try (GaussianEnergy energy = new GaussianEnergy(b, g);
             Tensor q = b.fromArray(x, n, d);
             Tensor e = b.allocate(n, 1);
             Tensor grad = b.allocate(n, d)) {
            energy.energyAndGradient(q, e, grad);
            float[] es = e.toArray();
            float[] gs = grad.toArray();
            for (int r = 0; r < n; r++) {
                double[] row = new double[d];
                for (int j = 0; j < d; j++) {
                    row[j] = x[r * d + j];
                }
                double expected = g.energy(row);
                assertEquals(expected, es[r], 1e-4 * (1 + Math.abs(expected)), "energy of chain " + r);
                for (int i = 0; i < d; i++) {
                    double gi = 0;
                    for (int j = 0; j < d; j++) {
                        gi += p[i][j] * (row[j] - mean[j]);
                    }
                    assertEquals(gi, gs[r * d + i], 1e-4 * (1 + Math.abs(gi)), "gradient " + r + "," + i);
                }
            }
            // The separate calls agree with the fused one.
            try (Tensor e2 = b.allocate(n, 1); Tensor g2 = b.allocate(n, d)) {
                energy.energy(q, e2);
                energy.gradient(q, g2);
                for (int r = 0; r < n; r++) {
                    assertEquals(es[r], e2.toArray()[r], 0f);
                }
                float[] g2s = g2.toArray();
                for (int i = 0; i < gs.length; i++) {
                    assertEquals(gs[i], g2s[i], 0f);
                }
            }
            // A batch of another row count gets workspaces of its size: the same values for its rows.
            try (Tensor fewer = b.fromArray(java.util.Arrays.copyOf(x, 2 * d), 2, d); Tensor e3 = b.allocate(2, 1);
                 Tensor g3 = b.allocate(2, d)) {
                energy.energyAndGradient(fewer, e3, g3);
                assertEquals(es[0], e3.toArray()[0], 0f);
                assertEquals(es[1], e3.toArray()[1], 0f);
                for (int i = 0; i < 2 * d; i++) {
                    assertEquals(gs[i], g3.toArray()[i], 0f);
                }
            }
            try (Tensor wrong = b.allocate(n, d + 1)) {
                IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                        () -> energy.energy(wrong, e));
                assertEquals("GaussianEnergy: positions must have 17 columns (the energy's dimension) but are 5x18",
                        ex.getMessage());
            }
        }
    }
}
