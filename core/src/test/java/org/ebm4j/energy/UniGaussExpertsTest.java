package org.ebm4j.energy;

import java.util.List;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class UniGaussExpertsTest {

    static double referenceEnergy(List<double[]> p, int d, int m, double envelope, double[] x) {
        double[] c = p.get(0);
        double[] mu = p.get(1);
        double[] rho = p.get(2);
        double e = 0;
        for (int k = 0; k < m; k++) {
            double q = 0;
            for (int i = 0; i < d; i++) {
                double lam = rho[k * d + i] * rho[k * d + i];
                double diff = x[i] - mu[k * d + i];
                q += lam * diff * diff;
            }
            double z = c[k] - 0.5 * q;
            e -= Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
        }
        double sq = 0;
        for (double v : x) {
            sq += v * v;
        }
        return e + 0.5 * envelope * sq;
    }

    @Test
    void energyAndBackpropMatchFiniteDifferencesOfTheDoubleReference() {
        Backend b = new ReferenceBackend();
        int d = 2;
        int m = 3;
        double envelope = 0.1;
        try (UniGaussExperts poe = new UniGaussExperts(b, d, m, envelope)) {
            poe.initialize(new RandomStream(3), new float[] {0.5f, -0.25f}, 1.2f);
            // Random c and unequal rho so every term of the derivatives matters.
            int k = 0;
            for (Tensor t : poe.parameters()) {
                float[] v = t.toArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] += 0.5f * Philox.normal(4, 0, k, i);
                }
                t.copyFrom(v);
                k++;
            }
            poe.parametersChanged();
            float[] xs = new float[5 * d];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = 1.5f * Philox.normal(6, 0, 0, i);
            }
            EnergyGradientCheck.check(poe, (params, x) -> referenceEnergy(params, d, m, envelope, x), xs,
                    new float[] {1f, -0.5f, 2f, 0.25f, -1f}, 1e-5);
        }
    }
}
