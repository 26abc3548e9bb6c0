package org.ebm4j.conditional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.energy.loss.ContrastiveLosses;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class ConditionalEnergyTest {
    static final ConditionalEnergy.Encoding ONE_HOT = ConditionalEnergy.Encoding.ONE_HOT;
    static final int INPUTS = 2;
    static final int ANSWERS = 3;
    static final int LATENTS = 4;
    static final float[] X = {0.3f, -1.2f, 1.5f, 0.4f, -0.7f, 0.9f};

    static EnergyNetwork network(Backend b, int d, long seed) {
        EnergyNetwork net = new EnergyNetwork(b, d, List.of(new EnergyNetwork.Layer(6, Activation.SOFTPLUS),
                new EnergyNetwork.Layer(3, Activation.LOG1P_SQUARE)), 0.3);
        net.initialize(StreamId.ENERGY_INIT.open(seed), 2.0, 0.8);
        return net;
    }

    // E(x_i, y, z) from one-row evaluations of the joint network: the enumeration the batched path must match.
    static double[][][] enumerate(EnergyNetwork net, Backend b, int n) {
        int d = INPUTS + ANSWERS + LATENTS;
        double[][][] e = new double[n][ANSWERS][LATENTS];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < ANSWERS; y++) {
                for (int z = 0; z < LATENTS; z++) {
                    float[] row = new float[d];
                    row[0] = X[2 * i];
                    row[1] = X[2 * i + 1];
                    row[INPUTS + y] = 1;
                    row[INPUTS + ANSWERS + z] = 1;
                    try (Tensor q = b.fromArray(row, 1, d); Tensor out = b.allocate(1, 1)) {
                        net.energy(q, out);
                        e[i][y][z] = out.toArray()[0];
                    }
                }
            }
        }
        return e;
    }

    @Test
    void minimumMarginalAndArgminEqualExhaustiveEnumeration() {
        Backend b = new ReferenceBackend();
        int n = 3;
        EnergyNetwork net = network(b, INPUTS + ANSWERS + LATENTS, 11);
        double beta = 0.8;
        ConditionalEnergy atZero = new ConditionalEnergy(net, ONE_HOT, INPUTS, ANSWERS, LATENTS,
                LatentReduction.minimum());
        ConditionalEnergy marginal = new ConditionalEnergy(net, ONE_HOT, INPUTS, ANSWERS, LATENTS,
                LatentReduction.marginal(beta));
        double[][][] e = enumerate(net, b, n);
        try (Tensor x = b.fromArray(X, n, INPUTS)) {
            double[] joint = atZero.jointEnergies(x);
            double[] fMin = atZero.energies(x);
            double[] fMarg = marginal.energies(x);
            int[] yStar = atZero.infer(x);
            int[] yMarg = marginal.infer(x);
            int[][] yz = atZero.inferJoint(x);
            for (int i = 0; i < n; i++) {
                double bestJoint = Double.POSITIVE_INFINITY;
                int by = -1;
                int bz = -1;
                double bestMin = Double.POSITIVE_INFINITY;
                double bestMarg = Double.POSITIVE_INFINITY;
                int ayMin = -1;
                int ayMarg = -1;
                for (int y = 0; y < ANSWERS; y++) {
                    double min = Double.POSITIVE_INFINITY;
                    double sum = 0;
                    for (int z = 0; z < LATENTS; z++) {
                        assertEquals(e[i][y][z], joint[(i * ANSWERS + y) * LATENTS + z], 1e-5);
                        min = Math.min(min, e[i][y][z]);
                        sum += Math.exp(-beta * e[i][y][z]);
                        if (e[i][y][z] < bestJoint) {
                            bestJoint = e[i][y][z];
                            by = y;
                            bz = z;
                        }
                    }
                    double free = -Math.log(sum) / beta;
                    assertEquals(min, fMin[i * ANSWERS + y], 1e-5, "min over z");
                    assertEquals(free, fMarg[i * ANSWERS + y], 1e-5, "free energy at beta");
                    if (min < bestMin) {
                        bestMin = min;
                        ayMin = y;
                    }
                    if (free < bestMarg) {
                        bestMarg = free;
                        ayMarg = y;
                    }
                }
                assertEquals(ayMin, yStar[i], "argmin_y min_z E");
                assertEquals(ayMarg, yMarg[i], "argmin_y of the free energy");
                assertEquals(by, yz[0][i], "joint argmin y");
                assertEquals(bz, yz[1][i], "joint argmin z");
                // The joint minimum is the minimum over y of the zero-temperature F.
                assertEquals(by, yStar[i]);
            }
        } finally {
            net.close();
        }
    }

    @Test
    void theBlockEncodingPlacesTheInputInTheAnswersBlock() {
        Backend b = new ReferenceBackend();
        int d = INPUTS * ANSWERS + ANSWERS;
        try (ConditionalEnergy f = new ConditionalEnergy(network(b, d, 9), ConditionalEnergy.Encoding.BLOCK, INPUTS,
                ANSWERS, 0, LatentReduction.minimum());
             Tensor x = b.fromArray(X, 3, INPUTS)) {
            double[] e = f.energies(x);
            for (int i = 0; i < 3; i++) {
                for (int y = 0; y < ANSWERS; y++) {
                    float[] row = new float[d];
                    row[y * INPUTS] = X[2 * i];
                    row[y * INPUTS + 1] = X[2 * i + 1];
                    row[INPUTS * ANSWERS + y] = 1;
                    try (Tensor q = b.fromArray(row, 1, d); Tensor out = b.allocate(1, 1)) {
                        f.joint().energy(q, out);
                        assertEquals(out.toArray()[0], e[i * ANSWERS + y], 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void freeEnergyIsStableForHugeEnergies() {
        // exp(-1000) underflows to 0 in double: a naive log-sum-exp would return +infinity.
        double[] e = {1000, 1001, 1002};
        double[] w = new double[3];
        double f = LatentReduction.marginal(1).reduce(e, 0, 3, w);
        double z = 1 + Math.exp(-1) + Math.exp(-2);
        assertEquals(1000 - Math.log(z), f, 1e-9);
        assertArrayEquals(new double[] {1 / z, Math.exp(-1) / z, Math.exp(-2) / z}, w, 1e-12);
        assertEquals(1000, LatentReduction.minimum().reduce(e, 0, 3, w), 0);
        assertArrayEquals(new double[] {1, 0, 0}, w, 0);
        assertThrows(IllegalArgumentException.class, () -> LatentReduction.marginal(0));
    }

    // The summed loss as a function of the network's parameters.
    static double loss(ConditionalEnergy f, AnswerLoss loss, Tensor x, int[] labels) {
        double[] e = f.energies(x);
        return loss.evaluate(e, labels, f.answers(), new double[e.length], null);
    }

    @Test
    void lossGradientThroughTheLatentReductionMatchesFiniteDifferences() {
        Backend b = new ReferenceBackend();
        int n = 3;
        int[] labels = {2, 0, 1};
        AnswerLoss nll = AnswerLoss.exhaustive(ContrastiveLosses.negativeLogLikelihood(1.5), AnswerMargin.distance(0.5));
        // The block encoding: each answer has its own first-layer weights on x.
        try (ConditionalEnergy f = new ConditionalEnergy(network(b, INPUTS * ANSWERS + ANSWERS + LATENTS, 5),
                ConditionalEnergy.Encoding.BLOCK, INPUTS, ANSWERS, LATENTS, LatentReduction.marginal(1.3));
             Tensor x = b.fromArray(X, n, INPUTS)) {
            double[] e = f.energies(x);
            double[] dLdF = new double[e.length];
            nll.evaluate(e, labels, ANSWERS, dLdF, null);
            List<Tensor> grads = f.newGradients();
            f.accumulateParameterGradient(x, dLdF, grads);
            // Central differences in float: h = 1e-2 keeps the float rounding of the energies (~1e-6) far
            // below the step, and the O(h^2) truncation error at ~1e-4.
            float h = 1e-2f;
            int checked = 0;
            for (int p = 0; p < grads.size(); p++) {
                Tensor param = f.joint().parameters().get(p);
                float[] values = param.toArray();
                float[] g = grads.get(p).toArray();
                for (int k = 0; k < values.length; k++) {
                    float keep = values[k];
                    values[k] = keep + h;
                    param.copyFrom(values);
                    double up = loss(f, nll, x, labels);
                    values[k] = keep - h;
                    param.copyFrom(values);
                    double down = loss(f, nll, x, labels);
                    values[k] = keep;
                    param.copyFrom(values);
                    double fd = (up - down) / (2 * h);
                    assertEquals(fd, g[k], 2e-3 + 1e-2 * Math.abs(fd), f.joint().parameterNames().get(p) + "[" + k + "]");
                    checked++;
                }
                grads.get(p).close();
            }
            assertTrue(checked > 50, "checked " + checked + " parameters");
        }
    }

    @Test
    void mostOffendingAnswerEqualsExhaustiveSearch() {
        int n = 40;
        int k = 5;
        double[] f = new double[n * k];
        int[] labels = new int[n];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(k);
            for (int a = 0; a < k; a++) {
                f[i * k + a] = r.nextGaussian();
            }
        }
        AnswerMargin margin = AnswerMargin.distance(0.4);
        // A margin so wide every example is active: the hinge's pull lands on the most offending answer.
        AnswerLoss hinge = AnswerLoss.exhaustive(ContrastiveLosses.hinge(100), margin);
        double[] g = new double[n * k];
        hinge.evaluate(f, labels, k, g, null);
        int[] offending = AnswerLoss.mostOffending(f, labels, k, margin);
        for (int i = 0; i < n; i++) {
            int brute = -1;
            for (int a = 0; a < k; a++) {
                if (a != labels[i] && (brute < 0
                        || f[i * k + a] - 0.4 * Math.abs(a - labels[i])
                        < f[i * k + brute] - 0.4 * Math.abs(brute - labels[i]))) {
                    brute = a;
                }
            }
            assertEquals(brute, offending[i]);
            for (int a = 0; a < k; a++) {
                double expected = a == labels[i] ? 1 : a == brute ? -1 : 0;
                assertEquals(expected, g[i * k + a], 0, "example " + i + " answer " + a);
            }
        }
    }

    @Test
    void sampledAnswersFollowTheGibbsDistributionOverIncorrectAnswers() {
        int k = 4;
        double beta = 1.2;
        double[] f = {0.5, 1.0, -0.3, 2.0};
        int[] labels = {2};
        int s = 20000;
        // The ml loss puts -1/s on every drawn answer, so dL/dF counts the draws.
        AnswerLoss ml = AnswerLoss.sampled(ContrastiveLosses.maximumLikelihood(), AnswerMargin.NONE, s, beta);
        double[] g = new double[k];
        ml.evaluate(f, labels, k, g, StreamId.BENCHMARK.open(9));
        assertEquals(1, g[2], 0, "the correct answer is never drawn");
        double z = 0;
        for (int a = 0; a < k; a++) {
            z += a == 2 ? 0 : Math.exp(-beta * f[a]);
        }
        for (int a = 0; a < k; a++) {
            if (a == 2) {
                continue;
            }
            double p = Math.exp(-beta * f[a]) / z;
            // A frequency of s draws has standard deviation sqrt(p (1 - p) / s); 4.5 of them is a false
            // alarm rate below 1e-5 per answer.
            assertEquals(p, -g[a], 4.5 * Math.sqrt(p * (1 - p) / s), "answer " + a);
        }
    }

    @Test
    void badShapesAreNamed() {
        Backend b = new ReferenceBackend();
        EnergyNetwork net = network(b, 6, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConditionalEnergy(net, ONE_HOT, INPUTS, ANSWERS, LATENTS, LatentReduction.minimum()));
        assertTrue(e.getMessage().contains("must take 9 columns") && e.getMessage().contains("found 6"), e.getMessage());
        try (ConditionalEnergy f = new ConditionalEnergy(net, ONE_HOT, 2, 3, 1,
                LatentReduction.minimum());
             Tensor x = b.fromArray(X, 2, 3)) {
            e = assertThrows(IllegalArgumentException.class, () -> f.energies(x));
            assertTrue(e.getMessage().contains("2 columns"), e.getMessage());
            double[] g = new double[6];
            e = assertThrows(IllegalArgumentException.class,
                    () -> AnswerLoss.exhaustive(ContrastiveLosses.hinge(1), AnswerMargin.NONE)
                            .evaluate(new double[6], new int[] {0, 3}, 3, g, null));
            assertTrue(e.getMessage().contains("label 3"), e.getMessage());
        }
    }
    @Test
    void theSmallestValidShapesAreTakenAndOneLessIsRefused() {
        Backend b = new ReferenceBackend();
        // one input, two answers, no latent: 3 one-hot columns
        try (ConditionalEnergy f = new ConditionalEnergy(network(b, 3, 1), ONE_HOT, 1, 2, 0, LatentReduction.minimum())) {
            assertEquals(2, f.answers());
        }
        // a refused energy does not own its network: the test closes them
        try (EnergyNetwork two = network(b, 2, 1); EnergyNetwork three = network(b, 3, 1)) {
            assertEquals("a conditional energy needs >= 1 input columns, found 0", assertThrows(
                    IllegalArgumentException.class, () -> new ConditionalEnergy(two, ONE_HOT, 0, 2, 0,
                            LatentReduction.minimum())).getMessage());
            assertEquals("a conditional energy needs >= 2 answers, found 1", assertThrows(IllegalArgumentException.class,
                    () -> new ConditionalEnergy(two, ONE_HOT, 1, 1, 0, LatentReduction.minimum())).getMessage());
            assertEquals("the joint energy must take 4 columns (2 blocks of 1 inputs + 2 answers + 0 latent values),"
                    + " found 3", assertThrows(IllegalArgumentException.class, () -> new ConditionalEnergy(three,
                            ConditionalEnergy.Encoding.BLOCK, 1, 2, 0, LatentReduction.minimum())).getMessage());
        }
        assertEquals("min", LatentReduction.minimum().toString());
        assertEquals("marginal(beta=2.5)", LatentReduction.marginal(2.5).toString());
    }

    @Test
    void theOptionsNameTheirAnswerLossAndMargin() {
        ConditionalOptions sampled = ConditionalOptions.builder().loss("hinge").margin(1).marginPerDistance(0.5)
                .sampledAnswers(2).samplingBeta(3).build();
        assertEquals(0.5, sampled.marginPerDistance());
        assertEquals(2, sampled.sampledAnswers());
        assertEquals(3.0, sampled.samplingBeta());
        assertTrue(sampled.answerLoss().sampled());
        assertFalse(sampled.exhaustiveLoss().sampled());
        // hinge with margin 1 + 0.5 |y - y-| against answer 2 of label 0: max(0, 2 + 0 - 0) = 2 (the other
        // answer, 1, is far above); without the distance term the margin is 1
        double[] f = {0, 5, 0};
        double[] g = new double[3];
        assertEquals(2, sampled.exhaustiveLoss().evaluate(f, new int[] {0}, 3, g, null), 1e-12);
        ConditionalOptions plain = sampled.toBuilder().marginPerDistance(0).sampledAnswers(0).build();
        assertFalse(plain.answerLoss().sampled());
        assertEquals(1, plain.exhaustiveLoss().evaluate(f, new int[] {0}, 3, g, null), 1e-12);
    }
    @Test
    void aTrainerRefusesLabelsAndInputsThatDoNotFitTheEnergy() {
        Backend b = new ReferenceBackend();
        ConditionalOptions o = ConditionalOptions.builder().batchSize(2).build();
        try (ConditionalEnergy f = new ConditionalEnergy(network(b, 4, 1), ONE_HOT, 1, 3, 0, LatentReduction.minimum());
             Tensor x = b.fromArray(new float[] {0.1f, 0.2f, 0.3f}, 3, 1);
             Tensor wide = b.fromArray(new float[6], 3, 2)) {
            for (int bad : new int[] {-1, 3}) {
                assertEquals("label " + bad + " of row 1 is outside 0..2", assertThrows(IllegalArgumentException.class,
                        () -> new ConditionalTrainer(f, x, new int[] {0, bad, 2}, o)).getMessage());
            }
            assertEquals("expected one label per row (3), found 2", assertThrows(IllegalArgumentException.class,
                    () -> new ConditionalTrainer(f, x, new int[] {0, 1}, o)).getMessage());
            assertEquals("training inputs have 2 columns but the model takes 1", assertThrows(IllegalArgumentException.class,
                    () -> new ConditionalTrainer(f, wide, new int[] {0, 1, 2}, o)).getMessage());
            try (ConditionalTrainer t = new ConditionalTrainer(f, x, new int[] {0, 1, 2}, o)) {
                assertEquals(1, t.batchesPerEpoch(), "3 rows in batches of 2: one full batch, the tail left out");
            }
        }
    }
}
