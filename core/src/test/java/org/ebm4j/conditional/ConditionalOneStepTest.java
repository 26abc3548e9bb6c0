package org.ebm4j.conditional;

import static org.ebm4j.testing.HostArrays.toFloat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.testing.PlainLosses;
import org.ebm4j.testing.PlainSoftplusNetwork;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One update of {@link ConditionalTrainer} per loss of the table, on every parameter, against the plain
 * gradient step of the batch-mean loss written out from LeCun et al.'s table ({@link PlainLosses}) over a
 * one-hot conditional energy {@code F(x, y) = E([x, e_y])} without a latent variable, every incorrect
 * answer contrastive.
 */
@ExtendWith(NoLeakedTensors.class)
class ConditionalOneStepTest {
    private static final int INPUTS = 2;
    private static final int ANSWERS = 3;
    private static final int ROWS = 4;
    private static final int[] LABELS = {0, 1, 2, 1};
    private static final double MARGIN = 0.5;
    private static final double SCALE = 2.0;
    private static final double LR = 0.1;
    private static final double DECAY = 0.01;

    /**
     * Momentum 0 makes the update {@code theta - lr (dJ/dtheta)} with {@code J = mean_i L_i + (decay/2)|W|^2}.
     * Tolerance 2e-6: the library's energies are float (relative rounding about 1e-7 on values of order
     * 1), every loss's derivative in {@code F} is at most about 3 here, and lr = 0.1; the result is then
     * rounded to a float of magnitude below 2 (1.2e-7). The loss is not flat at this batch (asserted), so
     * a missing or wrong term moves elements by far more.
     */
    @ParameterizedTest
    @MethodSource("org.ebm4j.testing.PlainLosses#names")
    void oneUpdateEqualsThePlainGradientStepOfTheBatchMeanLoss(String name) {
        PlainSoftplusNetwork plain = new PlainSoftplusNetwork(INPUTS + ANSWERS, 3, 0.1);
        double[][] theta = plain.randomParameters(5);
        SplittableRandom r = new SplittableRandom(7);
        double[] x = PlainSoftplusNetwork.uniform(r, ROWS * INPUTS);
        ToDoubleFunction<double[][]> objective = t -> {
            double total = 0;
            for (int i = 0; i < ROWS; i++) {
                double ep = 0;
                double[] en = new double[ANSWERS - 1];
                for (int y = 0, j = 0; y < ANSWERS; y++) {
                    double[] u = new double[INPUTS + ANSWERS];
                    System.arraycopy(x, i * INPUTS, u, 0, INPUTS);
                    u[INPUTS + y] = 1;
                    double e = plain.energy(t, u);
                    if (y == LABELS[i]) {
                        ep = e;
                    } else {
                        en[j++] = e;
                    }
                }
                total += PlainLosses.of(name, MARGIN, SCALE, ep, en);
            }
            return total / ROWS;
        };
        PlainSoftplusNetwork.assertLossHasGradient(theta, objective, name + " loss");
        double[][] expected = PlainSoftplusNetwork.gradientStep(theta,
                t -> objective.applyAsDouble(t) + PlainSoftplusNetwork.weightPenalty(t, DECAY), LR);
        ConditionalOptions o = ConditionalOptions.builder().encoding(ConditionalEnergy.Encoding.ONE_HOT)
                .layers("3:softplus").visiblePrecision(0.1).loss(name).margin(MARGIN).lossScale(SCALE)
                .learningRate(LR).momentum(0).weightDecay(DECAY).batchSize(ROWS).epochs(1).seed(11).build();
        Backend b = new ReferenceBackend();
        EnergyNetwork net = plain.network(b, theta);
        try (ConditionalEnergy model = new ConditionalEnergy(net, ConditionalEnergy.Encoding.ONE_HOT, INPUTS, ANSWERS,
                0, LatentReduction.minimum());
             Tensor data = b.fromArray(toFloat(x), ROWS, INPUTS);
             ConditionalTrainer trainer = new ConditionalTrainer(model, data, LABELS, o)) {
            trainer.train(List.of());
            PlainSoftplusNetwork.assertParameters(expected, net.parameters(), net.parameterNames(), 2e-6);
            // the epoch's metrics are the batch's, before its update: the mean loss and the argmin's errors
            int wrong = 0;
            for (int i = 0; i < ROWS; i++) {
                int best = 0;
                for (int y = 1; y < ANSWERS; y++) {
                    best = energy(plain, theta, x, i, y) < energy(plain, theta, x, i, best) ? y : best;
                }
                wrong += best != LABELS[i] ? 1 : 0;
            }
            assertEquals(objective.applyAsDouble(theta), trainer.epochMetrics().get("loss"), 1e-5);
            assertEquals((double) wrong / ROWS, trainer.epochMetrics().get("train_error"), 0);
            assertEquals(1, trainer.iteration());
        }
    }

    private static double energy(PlainSoftplusNetwork plain, double[][] t, double[] x, int row, int answer) {
        double[] u = new double[INPUTS + ANSWERS];
        System.arraycopy(x, row * INPUTS, u, 0, INPUTS);
        u[INPUTS + answer] = 1;
        return plain.energy(t, u);
    }
}
