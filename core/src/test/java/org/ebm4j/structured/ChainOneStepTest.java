package org.ebm4j.structured;

import static org.ebm4j.testing.HostArrays.toFloat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.conditional.ConditionalModel;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.data.Dataset;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.testing.PlainSoftplusNetwork;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One update of {@link ChainTrainer} per chain loss, on the unary network's parameters and the pairwise
 * table, against the plain gradient step of the batch-mean loss, each loss written out here from its
 * definition by enumeration of every labelling of every sequence (2 labels, at most 3 positions).
 */
@ExtendWith(NoLeakedTensors.class)
class ChainOneStepTest {
    private static final int INPUTS = 2;
    private static final int K = 2;
    private static final int[] LENGTHS = {3, 2, 3};
    private static final int[] LABELS = {0, 1, 1, 1, 0, 0, 0, 1};
    private static final double MARGIN = 0.5;
    private static final double BETA = 2.0;
    private static final double LR = 0.1;
    private static final double DECAY = 0.01;

    /**
     * The loss of a sequence with unary energies {@code u[t][k]} and the table {@code p = theta[3]}:
     * {@code E(y) = sum_t u[t][y_t] + sum_{t >= 1} P[y_{t-1}][y_t]}; perceptron {@code E(y) - min E},
     * hinge {@code max(0, E(y) - min_y' (E(y') - m H(y, y')))}, NLL {@code E(y) + (1/beta) log sum exp(-beta E)}.
     */
    private static double loss(String name, double[][] u, double[] p, int[] truth) {
        int len = u.length;
        double lowest = Double.POSITIVE_INFINITY;
        double augmented = Double.POSITIVE_INFINITY;
        double z = 0;
        double e = 0;
        for (int m = 0; m < 1 << len; m++) {
            double em = 0;
            int hamming = 0;
            for (int t = 0; t < len; t++) {
                int y = (m >>> t) & 1;
                em += u[t][y] + (t > 0 ? p[((m >>> (t - 1)) & 1) * K + y] : 0);
                hamming += y != truth[t] ? 1 : 0;
            }
            e = hamming == 0 ? em : e;
            lowest = Math.min(lowest, em);
            augmented = Math.min(augmented, em - MARGIN * hamming);
            z += Math.exp(-BETA * em);
        }
        switch (name) {
            case "perceptron": return e - lowest;
            case "hinge": return Math.max(0, e - augmented);
            case "nll": return e + Math.log(z) / BETA;
            default: throw new AssertionError(name);
        }
    }

    /**
     * Momentum 0 makes the update {@code theta - lr dJ/dtheta}, {@code J = mean over the sequences of L +
     * (decay/2)|W|^2} (the table takes no decay). Tolerance 2e-6: float energies (relative rounding about
     * 1e-7 on values of order 1), at most 3 positions each entering a loss with weight at most 1, lr =
     * 0.1, then rounding of results below 2 to float (1.2e-7).
     */
    @ParameterizedTest
    @ValueSource(strings = {"perceptron", "hinge", "nll"})
    void oneUpdateEqualsThePlainGradientStepOnTheNetworkAndTheTable(String name) {
        PlainSoftplusNetwork plain = new PlainSoftplusNetwork(INPUTS + K, 3, 0.1);
        double[][] net = plain.randomParameters(13);
        SplittableRandom r = new SplittableRandom(17);
        double[] table = PlainSoftplusNetwork.uniform(r, K * K);
        double[][] theta = {net[0], net[1], net[2], table};
        double[] x = PlainSoftplusNetwork.uniform(r, LABELS.length * INPUTS);
        ToDoubleFunction<double[][]> objective = t -> summed(name, plain, t, x, LENGTHS, LABELS)[0] / LENGTHS.length;
        PlainSoftplusNetwork.assertLossHasGradient(theta, objective, name + " loss");
        double[][] expected = PlainSoftplusNetwork.gradientStep(theta,
                t -> objective.applyAsDouble(t) + PlainSoftplusNetwork.weightPenalty(t, DECAY), LR);
        ConditionalOptions o = ConditionalOptions.builder().encoding(ConditionalEnergy.Encoding.ONE_HOT)
                .layers("3:softplus").visiblePrecision(0.1).loss(name).margin(MARGIN).lossScale(BETA)
                .learningRate(LR).momentum(0).weightDecay(DECAY).batchSize(LENGTHS.length).epochs(1).seed(19)
                .build();
        Backend b = new ReferenceBackend();
        Sequences data = new Sequences(new Dataset("sequences", LABELS.length, INPUTS,
                toFloat(x), LABELS, 0, 0), LENGTHS);
        // four held-out sequences in batches of three: a full chunk and a tail of one
        int[] heldLengths = {2, 3, 1, 2};
        int[] heldLabels = {1, 0, 0, 1, 1, 1, 0, 0};
        double[] heldX = PlainSoftplusNetwork.uniform(r, heldLabels.length * INPUTS);
        Sequences heldOut = new Sequences(new Dataset("held out", heldLabels.length, INPUTS,
                toFloat(heldX), heldLabels, 0, 0), heldLengths);
        EnergyNetwork network = plain.network(b, theta);
        try (ChainEnergy model = new ChainEnergy(ConditionalEnergy.of(network, INPUTS, K));
             ChainTrainer trainer = new ChainTrainer(model, data, heldOut, o)) {
            model.pair().copyFrom(toFloat(table));
            trainer.train(List.of());
            PlainSoftplusNetwork.assertParameters(expected, model.parameters(), model.parameterNames(), 2e-6);
            // The epoch's loss is the batch's, taken before its update, per position; the held-out figures
            // are of the updated chain. Tolerance 1e-5: float energies of order 1 summed over 8 positions.
            Map<String, Double> m = trainer.epochMetrics();
            assertEquals(summed(name, plain, theta, x, LENGTHS, LABELS)[0] / LABELS.length, m.get("loss"), 1e-5);
            double[] held = summed(name, plain, expected, heldX, heldLengths, heldLabels);
            assertEquals(held[0] / heldLabels.length, m.get(ConditionalModel.HELDOUT_METRIC), 1e-5);
            assertEquals(held[1] / heldLabels.length, m.get(ConditionalModel.HELDOUT_ERROR), 0);
        }
    }

    /**
     * The summed loss of the sequences under parameters {@code t}, and the number of positions where the
     * lowest-energy labelling (by enumeration) differs from the truth.
     */
    private static double[] summed(String name, PlainSoftplusNetwork plain, double[][] t, double[] x, int[] lengths,
            int[] labels) {
        double total = 0;
        int wrong = 0;
        for (int s = 0, at = 0; s < lengths.length; at += lengths[s++]) {
            double[][] u = new double[lengths[s]][K];
            int[] truth = new int[lengths[s]];
            for (int pos = 0; pos < lengths[s]; pos++) {
                truth[pos] = labels[at + pos];
                for (int k = 0; k < K; k++) {
                    double[] in = new double[INPUTS + K];
                    System.arraycopy(x, (at + pos) * INPUTS, in, 0, INPUTS);
                    in[INPUTS + k] = 1;
                    u[pos][k] = plain.energy(t, in);
                }
            }
            total += loss(name, u, t[3], truth);
            int best = 0;
            double low = Double.POSITIVE_INFINITY;
            for (int mask = 0; mask < 1 << lengths[s]; mask++) {
                double e = 0;
                for (int pos = 0; pos < lengths[s]; pos++) {
                    int y = (mask >>> pos) & 1;
                    e += u[pos][y] + (pos > 0 ? t[3][((mask >>> (pos - 1)) & 1) * K + y] : 0);
                }
                if (e < low) {
                    low = e;
                    best = mask;
                }
            }
            for (int pos = 0; pos < lengths[s]; pos++) {
                wrong += ((best >>> pos) & 1) != truth[pos] ? 1 : 0;
            }
        }
        return new double[] {total, wrong};
    }
}
