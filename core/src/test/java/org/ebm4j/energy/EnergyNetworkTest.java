package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class EnergyNetworkTest {

    /** The network's energy in double from host copies of its parameters: the reference. */
    static double referenceEnergy(List<double[]> params, List<EnergyNetwork.Layer> layers, int d, double lambda,
                                  double[] x) {
        double[] a = x;
        int in = d;
        double e = 0;
        for (int l = 0; l < layers.size(); l++) {
            double[] w = params.get(3 * l);
            double[] b = params.get(3 * l + 1);
            double[] s = params.get(3 * l + 2);
            int h = layers.get(l).units();
            double[] next = new double[h];
            for (int j = 0; j < h; j++) {
                double z = b[j];
                for (int i = 0; i < in; i++) {
                    z += a[i] * w[i * h + j];
                }
                next[j] = layers.get(l).activation().value(z);
                e += s[j] * next[j];
            }
            a = next;
            in = h;
        }
        double sq = 0;
        for (double v : x) {
            sq += v * v;
        }
        return e + 0.5 * lambda * sq;
    }

    static void randomize(EnergyNetwork net, long seed) {
        net.initialize(new RandomStream(seed), 1.5, 1.0);
        int k = 0;
        for (Tensor t : net.parameters()) {
            float[] v = t.toArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = (k % 3 == 0) ? v[i] : Philox.normal(seed, 3, k, i); // random biases and scales of both signs
            }
            t.copyFrom(v);
            k++;
        }
    }

    @Test
    void backpropMatchesFiniteDifferencesOfTheDoubleReference() {
        Backend b = new ReferenceBackend();
        int d = 3;
        List<EnergyNetwork.Layer> layers = List.of(new EnergyNetwork.Layer(5, Activation.SOFTPLUS),
                new EnergyNetwork.Layer(4, Activation.LOG1P_SQUARE));
        double lambda = 0.3;
        try (EnergyNetwork net = new EnergyNetwork(b, d, layers, lambda)) {
            randomize(net, 17);
            float[] xs = new float[4 * d];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = Philox.normal(5, 0, 0, i);
            }
            EnergyGradientCheck.check(net, (params, x) -> referenceEnergy(params, layers, d, lambda, x), xs,
                    new float[] {0.5f, -1.25f, 2f, 1f}, 1e-5);
        }
    }

    @Test
    void layerSpecificationsParseAndFailClearly() {
        List<EnergyNetwork.Layer> l = EnergyNetwork.parseLayers("64:softplus, 32:fas,8");
        assertEquals(List.of(new EnergyNetwork.Layer(64, Activation.SOFTPLUS),
                new EnergyNetwork.Layer(32, Activation.LOG1P_SQUARE), new EnergyNetwork.Layer(8, Activation.SOFTPLUS)), l);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnergyNetwork.parseLayers("64:relu"));
        assertTrue(e.getMessage().contains("relu") && e.getMessage().contains("softplus, fas"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EnergyNetwork.parseLayers("x:fas"));
        assertThrows(IllegalArgumentException.class, () -> EnergyNetwork.parseLayers("0"));
        assertThrows(IllegalArgumentException.class, () -> new EnergyNetwork(new ReferenceBackend(), 2, List.of(), 0));
    }

    @Test
    void hostActivationDefaultMatchesTheDefinitions() {
        Backend b = new ReferenceBackend();
        float[] z = {-40f, -3f, -0.5f, 0f, 0.7f, 2f, 30f, 1e20f};
        float[] bias = {0.25f, 0f, 0f, 0f, 0f, 0f, 0f, 0f};
        for (Activation a : Activation.values()) {
            try (Tensor x = b.fromArray(z, 1, 8); Tensor bb = b.fromArray(bias, 1, 8);
                 Tensor v = b.allocate(1, 8); Tensor dv = b.allocate(1, 8)) {
                b.activation(a, x, bb, v, dv);
                for (int i = 0; i < z.length; i++) {
                    double zz = (double) z[i] + bias[i];
                    assertEquals(a.value(zz), v.toArray()[i], 1e-6 * (1 + Math.abs(a.value(zz))), a + " value at " + zz);
                    assertEquals(a.derivative(zz), dv.toArray()[i], 1e-6, a + " derivative at " + zz);
                }
            }
        }
        assertEquals(Math.log1p(Math.exp(2.0)), Activation.SOFTPLUS.value(2.0), 1e-15);
        assertEquals(1 / (1 + Math.exp(3.0)), Activation.SOFTPLUS.derivative(-3.0), 1e-15);
        assertEquals(Math.log(1 + 4.0), Activation.LOG1P_SQUARE.value(2.0), 1e-15);
        assertEquals(4.0 / 5, Activation.LOG1P_SQUARE.derivative(2.0), 1e-15);
    }
}
