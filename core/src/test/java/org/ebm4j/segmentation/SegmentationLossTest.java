package org.ebm4j.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.conditional.LatentReduction;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/** Each loss's derivatives against central differences, on the factors and through the segment network. */
class SegmentationLossTest {
    static final int K = 3;
    static final SegmentationOptions TINY = SegmentationOptions.builder().window(2, 2).stride(1).maxSpan(3)
            .digits(2, 3).build();
    static final int[] TRUTH = {2, 0, 1};

    static SegmentationLoss loss(String name, double scale) {
        return SegmentationLoss.of(ConditionalOptions.builder().loss(name).margin(0.5).lossScale(scale).build());
    }

    static double evaluate(SegmentationLoss l, SegmentationGraph g, double[] f) {
        return l.evaluate(g, f, TRUTH, K, 1, new double[f.length]);
    }

    @Test
    void everyLossGradientWithRespectToTheSegmentEnergiesMatchesFiniteDifferences() {
        SegmentationGraph g = new SegmentationGraph(7, TINY);
        // LVQ2 is defined for positive energies, so the factors are drawn in [0.2, 1.2].
        for (String name : List.of("perceptron", "lvq2", "nll", "hinge", "log")) {
            SegmentationLoss l = loss(name, name.equals("lvq2") ? 4.0 : 1.3);
            int nonZero = 0;
            for (long seed = 1; seed <= 6; seed++) {
                SplittableRandom r = new SplittableRandom(seed);
                double[] f = new double[g.segments() * K];
                for (int i = 0; i < f.length; i++) {
                    f[i] = r.nextDouble(0.2, 1.2);
                }
                double[] grad = new double[f.length];
                double value = l.evaluate(g, f, TRUTH, K, 1, grad);
                nonZero += value != 0 ? 1 : 0;
                double h = 1e-6;
                for (int j = 0; j < f.length; j++) {
                    double keep = f[j];
                    f[j] = keep + h;
                    double up = evaluate(l, g, f);
                    f[j] = keep - h;
                    double down = evaluate(l, g, f);
                    f[j] = keep;
                    // Piecewise-linear losses are smooth away from ties, which continuous random energies avoid;
                    // central differences in double are then exact to ~1e-9.
                    assertEquals((up - down) / (2 * h), grad[j], 1e-6, name + " seed " + seed + " factor " + j);
                }
            }
            assertTrue(nonZero >= 3, name + ": the loss was non-zero on only " + nonZero + " of 6 draws");
        }
    }

    @Test
    void theNllIsTheFreeEnergyOfTheAnswerMinusTheFreeEnergyOfEveryAnswer() {
        SegmentationGraph g = new SegmentationGraph(7, TINY);
        double[] f = SegmentationGraphTest.randomFactors(g, 3);
        double beta = 0.8;
        double expected = g.consistent(TRUTH, K).freeEnergy(f, beta) - g.all(K).freeEnergy(f, beta);
        assertEquals(expected, evaluate(loss("nll", beta), g, f), 1e-10);
    }

    @Test
    void theGradientReachesTheSegmentNetworkParameters() {
        Backend b = new ReferenceBackend();
        int inputs = TINY.windowSize();
        EnergyNetwork net = new EnergyNetwork(b, ConditionalEnergy.Encoding.BLOCK.jointColumns(inputs, K, 0),
                List.of(new EnergyNetwork.Layer(5, Activation.SOFTPLUS)), 0.1);
        net.initialize(StreamId.SEGMENTATION_INIT.open(2), 1.5, 0.5);
        SplittableRandom r = new SplittableRandom(4);
        float[] p = new float[3 * 7];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextDouble();
        }
        DigitString x = new DigitString(p, 3, 7, TRUTH, new int[] {0, 2, 5, 7});
        try (SegmentationEnergy e = new SegmentationEnergy(new ConditionalEnergy(net, ConditionalEnergy.Encoding.BLOCK,
                inputs, K, 0, LatentReduction.minimum()), TINY)) {
            SegmentationLoss nll = loss("nll", 1.5);
            SegmentationGraph g = e.graph(x);
            double[] f = e.factors(x);
            double[] dLdF = new double[f.length];
            nll.evaluate(g, f, TRUTH, K, 1, dLdF);
            List<Tensor> grads = e.segment().newGradients();
            try (Tensor w = e.windows(List.of(x), List.of(g))) {
                e.segment().accumulateParameterGradient(w, dLdF, grads);
            }
            // Directional derivatives along random sign vectors v over every parameter at once: g . v against
            // central differences in float, h = 1e-2 (the float rounding of a few dozen summed energies,
            // ~1e-5, far below the step; the O(h^2) truncation near 1e-3 for a direction of ~100 unit entries).
            float h = 1e-2f;
            List<Tensor> params = net.parameters();
            int checked = 0;
            for (int direction = 0; direction < 8; direction++) {
                List<float[]> base = params.stream().map(Tensor::toArray).toList();
                List<float[]> v = base.stream().map(a -> signs(a.length, r)).toList();
                double predicted = 0;
                for (int q = 0; q < params.size(); q++) {
                    float[] gq = grads.get(q).toArray();
                    for (int k = 0; k < gq.length; k++) {
                        predicted += gq[k] * v.get(q)[k];
                    }
                }
                shift(params, base, v, h);
                double up = evaluate(nll, g, e.factors(x));
                shift(params, base, v, -h);
                double down = evaluate(nll, g, e.factors(x));
                shift(params, base, v, 0);
                double fd = (up - down) / (2 * h);
                assertEquals(fd, predicted, 5e-3 + 2e-2 * Math.abs(fd), "direction " + direction);
                checked += Math.abs(fd) > 1e-3 ? 1 : 0;
            }
            grads.forEach(Tensor::close);
            assertTrue(checked >= 6, "only " + checked + " of 8 directions had a slope to compare");
        }
    }

    static float[] signs(int n, SplittableRandom r) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextBoolean() ? 1f : -1f;
        }
        return v;
    }

    // Every parameter set to base + step v.
    static void shift(List<Tensor> params, List<float[]> base, List<float[]> v, float step) {
        for (int q = 0; q < params.size(); q++) {
            float[] p = base.get(q).clone();
            for (int k = 0; k < p.length; k++) {
                p[k] += step * v.get(q)[k];
            }
            params.get(q).copyFrom(p);
        }
    }

    @Test
    void optionsTheRecognizerCannotHonourAreRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SegmentationLoss.of(ConditionalOptions.builder().loss("nll").sampledAnswers(3).build()));
        assertTrue(e.getMessage().contains("sampled answers 0"), e.getMessage());
        SegmentationGraph g = new SegmentationGraph(7, TINY);
        // Two segments of at most 3 columns cannot cover 7: no segmentation reads two digits.
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> loss("perceptron", 1)
                .evaluate(g, new double[g.segments() * K], new int[] {1, 1}, K, 1, new double[g.segments() * K]));
        assertTrue(none.getMessage().startsWith("no segmentation of the graph reads [1, 1]"), none.getMessage());
    }
}
