package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class EnergyTrainerTest {

    @Test
    void oneUpdateIsMinusRateTimesDataGradientMinusNegativeGradientPlusDecay() {
        Backend b = new ReferenceBackend();
        int d = 2;
        int n = 8;
        float[] xs = new float[n * d];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Philox.normal(1, 0, 0, i);
        }
        List<EnergyNetwork.Layer> layers = List.of(new EnergyNetwork.Layer(3, Activation.SOFTPLUS));
        double lr = 0.1;
        double decay = 0.01;
        try (Tensor data = b.fromArray(xs, n, d);
             EnergyNetwork net = new EnergyNetwork(b, d, layers, 0.2);
             EnergyNetwork copy = new EnergyNetwork(b, d, layers, 0.2)) {
            net.initialize(new RandomStream(2), 1, 0.5);
            List<float[]> before = new ArrayList<>();
            for (int i = 0; i < net.parameters().size(); i++) {
                before.add(net.parameters().get(i).toArray());
                copy.parameters().get(i).copyFrom(before.get(i));
            }
            EnergyOptions s = EnergyOptions.builder().learningRate(lr).momentum(0).weightDecay(decay).batchSize(n)
                    .leapfrogSteps(3).stepSize(0.1).updates(1).seed(3).build();
            try (EnergyTrainer trainer = new EnergyTrainer(net, data, s)) {
                trainer.train(List.of());
                // Expected: theta - lr * (mean dE(data) - mean dE(negatives) + decay * theta on weights).
                List<Tensor> grads = new ArrayList<>();
                for (Tensor p : copy.parameters()) {
                    grads.add(b.allocate(p.rows(), p.cols()));
                }
                try (Tensor plus = b.allocate(n, 1); Tensor minus = b.allocate(n, 1)) {
                    b.fill(plus, 1f / n);
                    b.fill(minus, -1f / n);
                    copy.accumulateParameterGradient(data, plus, grads);
                    copy.accumulateParameterGradient(trainer.chains().positions(), minus, grads);
                }
                for (int i = 0; i < grads.size(); i++) {
                    float[] g = grads.get(i).toArray();
                    float[] after = net.parameters().get(i).toArray();
                    for (int j = 0; j < g.length; j++) {
                        double step = g[j] + (net.decays(i) ? decay * before.get(i)[j] : 0);
                        assertEquals(before.get(i)[j] - lr * step, after[j], 1e-6,
                                net.parameterNames().get(i) + "[" + j + "]");
                    }
                }
                grads.forEach(Tensor::close);
            }
        }
    }

    @Test
    void aSingleUniGaussExpertLearnsWhereTheDataAre() {
        Backend b = new ReferenceBackend();
        int n = 400;
        float[] xs = new float[2 * n];
        for (int i = 0; i < n; i++) {
            xs[2 * i] = 1.0f + 0.4f * Philox.normal(5, 0, 0, 2L * i);
            xs[2 * i + 1] = -0.5f + 0.25f * Philox.normal(5, 0, 0, 2L * i + 1);
        }
        try (Tensor data = b.fromArray(xs, n, 2); UniGaussExperts poe = new UniGaussExperts(b, 2, 1, 0.01)) {
            poe.initialize(new RandomStream(6), new float[] {0, 0}, 1f);
            EnergyOptions s = EnergyOptions.builder().learningRate(0.05).momentum(0.5).weightDecay(0)
                    .batchSize(100).negatives(NegativeSampling.PERSISTENT).leapfrogSteps(10).stepSize(0.1).updates(400)
                    .seed(7).build();
            try (EnergyTrainer trainer = new EnergyTrainer(poe, data, s)) {
                trainer.train(List.of());
            }
            float[] mu = poe.hostParameters().get("mu");
            float[] rho = poe.hostParameters().get("rho");
            // The expert's Gaussian centres on the data; with a standard error of 0.02 on each mean (400
            // points) and SGD noise of a similar size, 0.15 is a loose but meaningful bound (the start is 1.1 away).
            assertEquals(1.0, mu[0], 0.15, "mu_x");
            assertEquals(-0.5, mu[1], 0.15, "mu_y");
            // The narrower axis gets the larger precision.
            assertTrue(rho[1] * rho[1] > rho[0] * rho[0], "lambda_y " + rho[1] * rho[1] + " vs lambda_x " + rho[0] * rho[0]);
        }
    }

    /** A network's parameters before and after an update, by name. */
    record BeforeAfter(List<String> names, List<float[]> before, List<float[]> after) {
    }

    /**
     * One update of a 2-3-1 softplus network on 8 points, {@code dataScale} times the Philox
     * normals of seed {@code dataSeed}, with options {@code s}.
     */
    static BeforeAfter oneUpdate(float dataScale, long dataSeed, EnergyOptions s) {
        Backend b = new ReferenceBackend();
        float[] xs = new float[16];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = dataScale * Philox.normal(dataSeed, 0, 0, i);
        }
        try (Tensor data = b.fromArray(xs, 8, 2);
             EnergyNetwork net = new EnergyNetwork(b, 2, List.of(new EnergyNetwork.Layer(3, Activation.SOFTPLUS)), 0.2)) {
            net.initialize(new RandomStream(2), 1, 0.5);
            List<float[]> before = new ArrayList<>();
            for (Tensor p : net.parameters()) {
                before.add(p.toArray());
            }
            try (EnergyTrainer trainer = new EnergyTrainer(net, data, s)) {
                trainer.train(List.of());
            }
            List<float[]> after = new ArrayList<>();
            for (Tensor p : net.parameters()) {
                after.add(p.toArray());
            }
            return new BeforeAfter(net.parameterNames(), before, after);
        }
    }

    static double movementOfOneUpdate(double maxNorm) {
        BeforeAfter u = oneUpdate(3, 8, EnergyOptions.builder().learningRate(0.1).momentum(0).weightDecay(0.01)
                .batchSize(8).leapfrogSteps(3).stepSize(0.1).maxGradientNorm(maxNorm).updates(1).seed(3).build());
        double moved = 0;
        for (int i = 0; i < u.before().size(); i++) {
            float[] before = u.before().get(i);
            float[] after = u.after().get(i);
            for (int j = 0; j < after.length; j++) {
                moved += (after[j] - before[j]) * (double) (after[j] - before[j]);
            }
        }
        return Math.sqrt(moved);
    }

    @Test
    void aLongGradientIsClippedToTheMaximumNorm() {
        // Without momentum one update moves the parameters by lr |g| (lr = 0.1): clip g to a quarter of its norm.
        double free = movementOfOneUpdate(Double.POSITIVE_INFINITY);
        double maxNorm = free / 0.1 / 4;
        assertTrue(free > 1e-3, "the unclipped step (" + free + ") must be long enough to measure its clipping");
        // Parameters near 1 round to 6e-8 per element (12 of them); the clipped step is over 2.5e-4 long.
        assertEquals(0.1 * maxNorm, movementOfOneUpdate(maxNorm), 1e-3 * 0.1 * maxNorm);
    }

    @Test
    void theSignUpdateMovesEveryParameterByTheLearningRate() {
        BeforeAfter u = oneUpdate(2, 9, EnergyOptions.builder().learningRate(0.01).momentum(0).batchSize(8)
                .leapfrogSteps(3).stepSize(0.1).update(EnergyOptions.Update.SIGN).updates(1).seed(3).build());
        for (int i = 0; i < u.before().size(); i++) {
            float[] before = u.before().get(i);
            float[] after = u.after().get(i);
            for (int j = 0; j < after.length; j++) {
                assertEquals(0.01, Math.abs(after[j] - before[j]), 1e-6,
                        u.names().get(i) + "[" + j + "] moves by exactly the learning rate");
            }
        }
    }
}
