package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link EnergyNetwork}'s smallest shapes, names, initialization, memory estimates and argument checks,
 * against values worked out by hand.
 */
@ExtendWith(NoLeakedTensors.class)
class EnergyNetworkChecksTest {

    @Test
    void theSmallestNetworkIsAcceptedAndItsGradientWithoutTheQuadraticTermIsTheUnitsAlone() {
        Backend b = new ReferenceBackend();
        // d = 1, one unit, lambda = 0: E(x) = s softplus(w x + c), dE/dx = s w sigmoid(w x + c).
        try (EnergyNetwork net = new EnergyNetwork(b, 1, List.of(new EnergyNetwork.Layer(1, Activation.SOFTPLUS)), 0);
             Tensor x = b.fromArray(new float[] {0.5f, -2f}, 2, 1);
             Tensor e = b.allocate(2, 1);
             Tensor g = b.allocate(2, 1)) {
            assertEquals(0.0, net.visiblePrecision());
            assertEquals(List.of(new EnergyNetwork.Layer(1, Activation.SOFTPLUS)), net.layers());
            net.parameters().get(0).copyFrom(new float[] {1.5f}, 0);
            net.parameters().get(1).copyFrom(new float[] {-0.25f}, 0);
            net.parameters().get(2).copyFrom(new float[] {-2f}, 0);
            b.fill(e, Float.NaN);
            b.fill(g, Float.NaN);
            net.energyAndGradient(x, e, g);
            float[] xs = x.toArray();
            for (int r = 0; r < 2; r++) {
                double z = 1.5 * xs[r] - 0.25;
                assertEquals(-2 * Math.log1p(Math.exp(z)), e.toArray()[r], 1e-6, "energy of row " + r);
                assertEquals(-2 * 1.5 / (1 + Math.exp(-z)), g.toArray()[r], 1e-6, "gradient of row " + r);
            }
        }
    }

    @Test
    void parametersAreNamedByLayerAndOnlyTheWeightsDecay() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = new EnergyNetwork(b, 2, List.of(new EnergyNetwork.Layer(3, Activation.SOFTPLUS),
                new EnergyNetwork.Layer(2, Activation.LOG1P_SQUARE)), 0.1)) {
            assertEquals(List.of("W1", "b1", "s1", "W2", "b2", "s2"), net.parameterNames());
            List<Boolean> decays = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                decays.add(net.decays(i));
            }
            assertEquals(List.of(true, false, false, true, false, false), decays);
            assertEquals("3x2", net.parameters().get(3).shape());
            assertEquals(0.1f, net.visiblePrecision(), 0.0);
        }
    }

    /**
     * Weights {@code N(0, weightScale^2 / fanIn)}: with 2,000 weights per layer the sample variance lies
     * within 6 of its standard errors ({@code sqrt(2 / 2000)} relative) of the target; biases 0 whatever
     * they held, scales the given value.
     */
    @Test
    void initializeDrawsWeightsWithTheFanInVarianceZeroesBiasesAndSetsEveryScale() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = new EnergyNetwork(b, 40, List.of(new EnergyNetwork.Layer(50, Activation.SOFTPLUS),
                new EnergyNetwork.Layer(40, Activation.SOFTPLUS)), 0)) {
            for (Tensor p : net.parameters()) {
                b.fill(p, 9f);
            }
            net.initialize(new RandomStream(7), 2.0, -0.3);
            int[] fanIn = {40, 50};
            for (int l = 0; l < 2; l++) {
                float[] w = net.parameters().get(3 * l).toArray();
                double mean = 0;
                double sq = 0;
                for (float v : w) {
                    mean += v;
                    sq += (double) v * v;
                }
                mean /= w.length;
                double variance = sq / w.length - mean * mean;
                double target = 4.0 / fanIn[l];
                assertEquals(target, variance, 6 * Math.sqrt(2.0 / w.length) * target, "variance of W" + (l + 1));
                for (float v : net.parameters().get(3 * l + 1).toArray()) {
                    assertEquals(0f, v, 0f, "bias of layer " + (l + 1));
                }
                for (float v : net.parameters().get(3 * l + 2).toArray()) {
                    assertEquals(-0.3f, v, 0f, "scale of layer " + (l + 1));
                }
            }
        }
    }

    @Test
    void constructorAndLayerChecksAcceptTheirBoundsAndRefuseBelow() {
        Backend b = new ReferenceBackend();
        List<EnergyNetwork.Layer> one = List.of(new EnergyNetwork.Layer(1, Activation.SOFTPLUS));
        assertEquals("a hidden layer needs >= 1 units, found 0", assertThrows(IllegalArgumentException.class,
                () -> new EnergyNetwork.Layer(0, Activation.SOFTPLUS)).getMessage());
        assertEquals("visible dimension must be >= 1, found 0", assertThrows(IllegalArgumentException.class,
                () -> new EnergyNetwork(b, 0, one, 0)).getMessage());
        assertEquals("visible precision must be finite and >= 0, found -0.5", assertThrows(
                IllegalArgumentException.class, () -> new EnergyNetwork(b, 1, one, -0.5)).getMessage());
        assertEquals("visible precision must be finite and >= 0, found Infinity", assertThrows(
                IllegalArgumentException.class, () -> new EnergyNetwork(b, 1, one, Double.POSITIVE_INFINITY))
                .getMessage());
    }

    @Test
    void workspaceBytesCountThreeFloatArraysPerLayerAndHugeShapesAreRefusedNamingTheSetting() {
        List<EnergyNetwork.Layer> layers = List.of(new EnergyNetwork.Layer(64, Activation.SOFTPLUS),
                new EnergyNetwork.Layer(16, Activation.LOG1P_SQUARE));
        // 3 arrays x 4 bytes x 200 rows x (64 + 16) units.
        assertEquals(3L * 4 * 200 * 80, EnergyNetwork.workspaceBytes(200, layers));
        EnergyNetwork.requireTrainingMemory(10, layers, 200, "the rows");

        long heap = Runtime.getRuntime().maxMemory();
        // 4 matrices of (visible + 1) x units floats: 16 TiB for 2^20 units on as many columns, beyond any heap.
        int wide = 1 << 20;
        List<EnergyNetwork.Layer> huge = List.of(new EnergyNetwork.Layer(wide, Activation.SOFTPLUS));
        SettingException e = assertThrows(SettingException.class,
                () -> EnergyNetwork.requireTrainingMemory(wide, huge, 1, "the rows"));
        assertTrue(e.getMessage().startsWith("layers: the weights of the layers 1048576:softplus with their gradient,"
                + " momentum and saved copy need about "), e.getMessage());
        // Rows: 4 bytes x rows x (2 x 10 columns + 3 x 80 units) = 1040 bytes a row; twice the heap's worth.
        long rows = 2 * heap / 1040 + 1;
        e = assertThrows(SettingException.class, () -> EnergyNetwork.requireTrainingMemory(10, layers, rows,
                "the many rows"));
        assertTrue(e.getMessage().startsWith("batch_size: the activations of the many rows need about "),
                e.getMessage());
        // Half the heap's worth of rows passes.
        EnergyNetwork.requireTrainingMemory(10, layers, heap / 2 / 1040, "the rows");
    }

    @Test
    void passesRefuseMisshapedArgumentsNamingTheOperation() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = new EnergyNetwork(b, 2, List.of(new EnergyNetwork.Layer(3, Activation.SOFTPLUS)), 0.1)) {
            TrainableEnergyChecks.assertRefusesMisshapedArguments(b, net, "EnergyNetwork", (x, weights, grads) -> { });
        }
    }
}
