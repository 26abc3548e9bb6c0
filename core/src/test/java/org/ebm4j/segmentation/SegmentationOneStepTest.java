package org.ebm4j.segmentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.conditional.LatentReduction;
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
 * One update of {@link SegmentationTrainer} per loss, on every parameter of the segment network, against
 * the plain gradient step of the batch-mean loss: each segment's energy {@code F(window, k) = E([window,
 * e_k])} written out in doubles, {@code F+} and {@code F-} by enumeration of every segmentation and
 * reading ({@link SegmentationGraphTest#every}): minima for the losses of the most offending answer, free
 * energies for NLL. The windows are the trainer's input, taken from {@link SegmentationEnergy#windows}
 * (their averaging has its own test).
 */
@ExtendWith(NoLeakedTensors.class)
class SegmentationOneStepTest {
    private static final int K = SegmentationGraphTest.K;
    private static final SegmentationOptions TINY = SegmentationOptions.builder().window(2, 2).stride(1).maxSpan(3)
            .digits(2, 3).build();
    private static final double MARGIN = 0.5;
    private static final double SCALE = 2.0;
    private static final double LR = 0.1;
    private static final double DECAY = 0.01;

    private static DigitString string(SplittableRandom r, int[] digits, int[] cuts) {
        float[] p = new float[3 * 7];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextDouble();
        }
        return new DigitString(p, 3, 7, digits, cuts);
    }

    /**
     * Momentum 0 makes the update {@code theta - lr dJ/dtheta}, {@code J = mean over the strings of L +
     * (decay/2)|W|^2}. Tolerance 3e-6: a path's energy sums at most 3 float segment energies of order 1
     * (rounding about 3e-7), every loss's derivative in the path energies is at most about 3, lr = 0.1,
     * and the result is rounded to a float below 2 (1.2e-7).
     */
    @ParameterizedTest
    @MethodSource("org.ebm4j.testing.PlainLosses#names")
    void oneUpdateEqualsThePlainGradientStepOfTheBatchMeanLoss(String name) {
        PlainSoftplusNetwork plain = new PlainSoftplusNetwork(TINY.windowSize() + K, 3, 0.1);
        double[][] theta = plain.randomParameters(23);
        SplittableRandom r = new SplittableRandom(29);
        List<DigitString> xs = List.of(string(r, new int[] {2, 0, 1}, new int[] {0, 2, 5, 7}),
                string(r, new int[] {1, 1, 0}, new int[] {0, 3, 5, 7}));
        ConditionalOptions o = ConditionalOptions.builder().encoding(ConditionalEnergy.Encoding.ONE_HOT)
                .layers("3:softplus").visiblePrecision(0.1).loss(name).margin(MARGIN).lossScale(SCALE)
                .learningRate(LR).momentum(0).weightDecay(DECAY).batchSize(xs.size()).epochs(1).seed(31).build();
        Backend b = new ReferenceBackend();
        EnergyNetwork net = plain.network(b, theta);
        try (SegmentationEnergy model = new SegmentationEnergy(new ConditionalEnergy(net,
                ConditionalEnergy.Encoding.ONE_HOT, TINY.windowSize(), K, 0, LatentReduction.minimum()), TINY);
             SegmentationTrainer trainer = new SegmentationTrainer(model, xs, o)) {
            List<Paths> strings = new ArrayList<>();
            for (DigitString x : xs) {
                SegmentationGraph g = model.graph(x);
                try (Tensor w = model.windows(List.of(x), List.of(g))) {
                    strings.add(new Paths(g, w.toArray(), x.digits()));
                }
            }
            ToDoubleFunction<double[][]> objective = t -> {
                double total = 0;
                for (Paths p : strings) {
                    total += p.loss(name, plain, t);
                }
                return total / xs.size();
            };
            PlainSoftplusNetwork.assertLossHasGradient(theta, objective, name + " loss");
            double[][] expected = PlainSoftplusNetwork.gradientStep(theta,
                    t -> objective.applyAsDouble(t) + PlainSoftplusNetwork.weightPenalty(t, DECAY), LR);
            trainer.train(List.of());
            PlainSoftplusNetwork.assertParameters(expected, net.parameters(), net.parameterNames(), 3e-6);
        }
    }

    /**
     * One string's windows and its paths, enumerated once: each path as the indices {@code segment K +
     * digit} of its factors, those reading the truth and those reading another answer of an allowed length.
     */
    private record Paths(int segments, float[] windows, List<int[]> good, List<int[]> bad) {
        Paths(SegmentationGraph g, float[] windows, int[] truth) {
            this(g.segments(), windows, factorIndices(g, y -> Arrays.equals(y, truth)),
                    factorIndices(g, y -> y.length >= TINY.minDigits() && y.length <= TINY.maxDigits()
                            && !Arrays.equals(y, truth)));
        }

        private static List<int[]> factorIndices(SegmentationGraph g, Predicate<int[]> keep) {
            List<int[]> out = new ArrayList<>();
            for (SegmentationGraphTest.Scored p : SegmentationGraphTest.every(g, new double[g.segments() * K],
                    TINY.maxSpan(), keep)) {
                int[] idx = new int[p.y().length];
                for (int s = 0; s < idx.length; s++) {
                    idx[s] = g.segment(p.z()[s], p.z()[s + 1]) * K + p.y()[s];
                }
                out.add(idx);
            }
            return out;
        }

        /** The loss of this string, its factors {@code F(window_s, k)} from the plain network. */
        double loss(String name, PlainSoftplusNetwork plain, double[][] theta) {
            int size = TINY.windowSize();
            double[] f = new double[segments * K];
            for (int s = 0; s < segments; s++) {
                for (int k = 0; k < K; k++) {
                    double[] u = new double[size + K];
                    for (int c = 0; c < size; c++) {
                        u[c] = windows[s * size + c];
                    }
                    u[size + k] = 1;
                    f[s * K + k] = plain.energy(theta, u);
                }
            }
            List<Double> plus = energies(good, f);
            List<Double> minus = energies(bad, f);
            if (name.equals("nll")) {
                return PlainLosses.of(name, MARGIN, SCALE, SegmentationGraphTest.logSumExpFree(plus, SCALE),
                        SegmentationGraphTest.logSumExpFree(minus, SCALE));
            }
            return PlainLosses.of(name, MARGIN, SCALE, Collections.min(plus), Collections.min(minus));
        }

        private static List<Double> energies(List<int[]> paths, double[] f) {
            List<Double> e = new ArrayList<>(paths.size());
            for (int[] idx : paths) {
                double sum = 0;
                for (int i : idx) {
                    sum += f[i];
                }
                e.add(sum);
            }
            return e;
        }
    }
}
