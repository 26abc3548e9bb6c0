package org.ebm4j.energy;

import static org.ebm4j.testing.HostArrays.toFloat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.testing.PlainSoftplusNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One update of {@link EnergyTrainer} on every parameter against the plain gradient step of the
 * contrastive objective written out here: the HMC negatives the step used (the chains' positions after
 * their trajectory) are taken as fixed samples, and the network's energy and its derivative come from
 * {@link PlainSoftplusNetwork}, not from the library's backpropagation.
 */
@ExtendWith(NoLeakedTensors.class)
class EnergyOneStepTest {
    private static final int D = 2;
    private static final int ROWS = 8;
    private static final double LR = 0.1;
    private static final double DECAY = 0.01;

    /**
     * {@code theta - lr dJ/dtheta} with {@code J = mean_data E - mean_negatives E + (decay/2)|W|^2}
     * (Hinton's rule for energy models with deterministic hidden units; momentum 0). Tolerance 2e-6:
     * float gradients of terms of order 1 over 8 rows (relative rounding about 1e-6 in the sums), lr = 0.1,
     * then rounding of results below 2 to float (1.2e-7).
     */
    @Test
    void oneUpdateEqualsThePlainStepOfTheDataMinusNegativeEnergies() {
        PlainSoftplusNetwork plain = new PlainSoftplusNetwork(D, 3, 0.2);
        double[][] theta = plain.randomParameters(37);
        double[] x = PlainSoftplusNetwork.uniform(new SplittableRandom(41), ROWS * D);
        EnergyOptions o = EnergyOptions.builder().learningRate(LR).momentum(0).weightDecay(DECAY).batchSize(ROWS)
                .leapfrogSteps(3).stepSize(0.1).updates(1).seed(43).build();
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = plain.network(b, theta);
             Tensor data = b.fromArray(toFloat(x), ROWS, D);
             EnergyTrainer trainer = new EnergyTrainer(net, data, o)) {
            trainer.train(List.of());
            float[] negatives = trainer.chains().positions().toArray();
            assertEquals(ROWS * D, negatives.length, "one chain per row of the batch");
            ToDoubleFunction<double[][]> objective = t -> {
                double j = 0;
                for (int r = 0; r < ROWS; r++) {
                    double[] pos = new double[D];
                    double[] neg = new double[D];
                    for (int c = 0; c < D; c++) {
                        pos[c] = x[r * D + c];
                        neg[c] = negatives[r * D + c];
                    }
                    j += (plain.energy(t, pos) - plain.energy(t, neg)) / ROWS;
                }
                return j;
            };
            PlainSoftplusNetwork.assertLossHasGradient(theta, objective, "the contrastive objective");
            double[][] expected = PlainSoftplusNetwork.gradientStep(theta,
                    t -> objective.applyAsDouble(t) + PlainSoftplusNetwork.weightPenalty(t, DECAY), LR);
            PlainSoftplusNetwork.assertParameters(expected, net.parameters(), net.parameterNames(), 2e-6);
        }
    }
}
