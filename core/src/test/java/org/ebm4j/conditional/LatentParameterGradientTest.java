package org.ebm4j.conditional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parameter gradient of a continuous latent's reduced energy against central differences of the
 * reduced energy itself, on a network over rows {@code [x | z1 | z2]}: softplus units with positive scales
 * plus {@code |q|^2 / 2}, so strictly convex in {@code z}, with a Hessian in {@code z} that depends on
 * {@code z} (the Laplace gradient's log-determinant terms are all exercised).
 */
@ExtendWith(NoLeakedTensors.class)
class LatentParameterGradientTest {
    private static final float[] ROWS = {-0.6f, 0f, 0f, 1.1f, 0f, 0f};
    private static final double[] WEIGHTS = {0.7, -1.3};
    private static final ContinuousLatent HOW = ContinuousLatent.laplace(0.2f, 400);

    // sum_r w_r F_r with z descending from 0 afresh (the latent columns of ROWS).
    private static double weightedF(EnergyNetwork net, double beta) {
        try (Tensor q = net.backend().fromArray(ROWS, 2, 3)) {
            double[] f = beta == Double.POSITIVE_INFINITY ? LatentReduction.minimum().reduce(net, q, 1, 3, HOW)
                    : HOW.freeEnergy(net, q, 1, 3, beta);
            return WEIGHTS[0] * f[0] + WEIGHTS[1] * f[1];
        }
    }

    private static List<float[]> gradient(EnergyNetwork net, double beta) {
        Backend b = net.backend();
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : net.parameters()) {
            grads.add(b.allocate(p.rows(), p.cols()));
        }
        try (Tensor q = b.fromArray(ROWS, 2, 3)) {
            if (beta == Double.POSITIVE_INFINITY) {
                LatentReduction.minimum().reduce(net, q, 1, 3, HOW);
            } else {
                HOW.freeEnergy(net, q, 1, 3, beta);
            }
            HOW.addParameterGradient(net, q, 1, 3, beta, WEIGHTS, grads);
            List<float[]> out = new ArrayList<>();
            for (Tensor g : grads) {
                out.add(g.toArray());
            }
            return out;
        } finally {
            grads.forEach(Tensor::close);
        }
    }

    /**
     * Tolerance 3e-3 + 1e-2 |g|: the central difference in a parameter (step 1e-2) is off by about
     * step^2 / 6 times the third derivative, ~1e-4 here; float32 energies (~1e-7 relative) and the
     * Hessian's float32 central differences (eps |g| / 5e-3, ~1e-5 in log det) move F by ~2e-5, which the
     * division by 2e-2 raises to ~1e-3; the gradient's own differences along the posterior (0.1 sd) carry
     * a fourth-order error near 1e-3 relative. At beta = Infinity (the envelope theorem) only the first
     * two apply. The Laplace terms beyond the envelope are asked to exceed ten tolerances somewhere, so a
     * gradient that left them out would fail.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.7, 2, Double.POSITIVE_INFINITY})
    void theReducedEnergysParameterGradientEqualsCentralDifferences(double beta) {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = new EnergyNetwork(b, 3, List.of(new EnergyNetwork.Layer(3, Activation.SOFTPLUS)), 1.0)) {
            net.initialize(StreamId.ENERGY_INIT.open(4), 2.0, 0.8);
            List<float[]> g = gradient(net, beta);
            List<float[]> envelope = gradient(net, Double.POSITIVE_INFINITY);
            double largestExtra = 0;
            float step = 1e-2f;
            for (int p = 0; p < g.size(); p++) {
                Tensor param = net.parameters().get(p);
                float[] values = param.toArray();
                for (int i = 0; i < values.length; i++) {
                    float keep = values[i];
                    values[i] = keep + step;
                    param.copyFrom(values, 0);
                    net.parametersChanged();
                    double up = weightedF(net, beta);
                    values[i] = keep - step;
                    param.copyFrom(values, 0);
                    net.parametersChanged();
                    double down = weightedF(net, beta);
                    values[i] = keep;
                    param.copyFrom(values, 0);
                    net.parametersChanged();
                    double fd = (up - down) / (2 * step);
                    String where = net.parameterNames().get(p) + "[" + i + "] at beta " + beta;
                    assertEquals(fd, g.get(p)[i], 3e-3 + 1e-2 * Math.abs(fd), where);
                    largestExtra = Math.max(largestExtra, Math.abs(g.get(p)[i] - envelope.get(p)[i]));
                }
            }
            if (beta != Double.POSITIVE_INFINITY) {
                assertTrue(largestExtra > 10 * 3e-3, "the Laplace terms change the gradient by " + largestExtra);
            }
        }
    }
}
