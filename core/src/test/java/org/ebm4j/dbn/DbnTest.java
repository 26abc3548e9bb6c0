package org.ebm4j.dbn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/** The stack's up-pass and generation against plain host computations, and fine-tuning on a separable toy problem. */
class DbnTest {

    private static RbmParameters random(VisibleType type, int nv, int nh, SplittableRandom rnd) {
        float[] w = new float[nv * nh];
        float[] b = new float[nv];
        float[] c = new float[nh];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < nv; i++) {
            b[i] = (float) (rnd.nextDouble() - 0.5);
        }
        for (int i = 0; i < nh; i++) {
            c[i] = (float) (rnd.nextDouble() - 0.5);
        }
        return new RbmParameters(type, nv, nh, w, b, c);
    }

    private static double[] up(RbmParameters p, double[] v) {
        double[] h = new double[p.hidden()];
        for (int j = 0; j < h.length; j++) {
            double s = p.hiddenBias()[j];
            for (int i = 0; i < v.length; i++) {
                s += v[i] * p.weight(i, j);
            }
            h[j] = 1 / (1 + Math.exp(-s));
        }
        return h;
    }

    @Test
    void upPassIsTheStackOfHiddenProbabilities() {
        SplittableRandom rnd = new SplittableRandom(1);
        List<RbmParameters> stack = List.of(random(VisibleType.GAUSSIAN, 5, 4, rnd), random(VisibleType.BERNOULLI, 4, 3, rnd));
        float[] v = new float[2 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        try (Backend b = new ReferenceBackend(); Dbn dbn = Dbn.of(b, stack); Tensor tv = b.fromArray(v, 2, 5);
             Tensor f = dbn.upPass(tv, 2)) {
            assertArrayEquals(new int[] {5, 4, 3}, dbn.sizes());
            float[] got = f.toArray();
            for (int r = 0; r < 2; r++) {
                double[] x = new double[5];
                for (int i = 0; i < 5; i++) {
                    x[i] = v[r * 5 + i];
                }
                double[] h = up(stack.get(1), up(stack.get(0), x));
                for (int j = 0; j < 3; j++) {
                    assertEquals(h[j], got[r * 3 + j], 1e-6);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> dbn.upPass(tv, 3));
            float[] gen = dbn.generate(tv, 3, new RandomStream(1, 1));
            assertEquals(2 * 5, gen.length);
            for (float g : gen) {
                assertTrue(Float.isFinite(g));
            }
        }
    }

    /**
     * generate: the top RBM's hidden units sampled from the up-pass of the start, {@code steps} Gibbs steps
     * (visible, then hidden) with the same stream, then conditional means down every layer; replayed here
     * with the RBMs' own sampling calls, so what is pinned is the order and number of the steps.
     */
    @Test
    void generateSamplesTheTopRbmThenPassesMeansDown() {
        SplittableRandom rnd = new SplittableRandom(8);
        try (Backend b = new ReferenceBackend();
             Dbn dbn = Dbn.of(b, List.of(random(VisibleType.BERNOULLI, 5, 4, rnd), random(VisibleType.BERNOULLI, 4, 3,
                     rnd)))) {
            float[] start = new float[2 * 5];
            for (int i = 0; i < start.length; i++) {
                start[i] = (float) rnd.nextDouble();
            }
            for (int steps : new int[] {0, 1, 3}) {
                float[] want;
                RandomStream rng = StreamId.DBN_SAMPLE.open(5);
                try (Tensor x = b.fromArray(start, 2, 5); Tensor v = b.allocate(2, 4); Tensor pre = b.allocate(2, 3);
                     Tensor h = b.allocate(2, 3); Tensor m1 = b.allocate(2, 4); Tensor m0 = b.allocate(2, 5)) {
                    dbn.layer(0).hiddenProbabilities(x, v, v);
                    dbn.layer(1).sampleHidden(v, pre, null, h, rng);
                    for (int t = 0; t < steps; t++) {
                        dbn.layer(1).sampleVisible(h, v, rng);
                        dbn.layer(1).sampleHidden(v, pre, null, h, rng);
                    }
                    dbn.layer(1).visibleMean(h, m1);
                    dbn.layer(0).visibleMean(m1, m0);
                    want = m0.toArray();
                }
                try (Tensor x = b.fromArray(start, 2, 5)) {
                    assertArrayEquals(want, dbn.generate(x, steps, StreamId.DBN_SAMPLE.open(5)), "steps " + steps);
                }
            }
        }
    }

    @Test
    void mismatchedStacksAreRejected() {
        SplittableRandom rnd = new SplittableRandom(2);
        try (Backend b = new ReferenceBackend()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dbn.of(b,
                    List.of(random(VisibleType.BERNOULLI, 5, 4, rnd), random(VisibleType.BERNOULLI, 3, 2, rnd))));
            assertTrue(e.getMessage().contains("layer 1 has 3 visible units"), e.getMessage());
            assertEquals("layer 1 has 3 visible units but layer 0 has 4 hidden units", e.getMessage());
            assertEquals("layer 1 must have Bernoulli visibles (it is fed by layer 0's hidden units), found gaussian",
                    assertThrows(IllegalArgumentException.class, () -> Dbn.of(b, List.of(random(VisibleType.BERNOULLI, 5,
                            4, rnd), random(VisibleType.GAUSSIAN, 4, 2, rnd)))).getMessage());
            assertEquals("a DBN needs at least one RBM", assertThrows(IllegalArgumentException.class,
                    () -> Dbn.of(b, List.of())).getMessage());
            // sizes: a data size and at least one hidden size, all positive
            try (Dbn smallest = Dbn.zeros(b, VisibleType.BERNOULLI, new int[] {1, 1})) {
                assertEquals(1, smallest.depth());
                assertArrayEquals(new int[] {1, 1}, smallest.sizes());
            }
            assertEquals("a DBN needs a data size and at least one hidden layer size, found 1 size(s)", assertThrows(
                    IllegalArgumentException.class, () -> Dbn.zeros(b, VisibleType.BERNOULLI, new int[] {3})).getMessage());
            assertEquals("a DBN needs a data size and at least one hidden layer size, found none", assertThrows(
                    IllegalArgumentException.class, () -> Dbn.zeros(b, VisibleType.BERNOULLI, null)).getMessage());
            assertEquals("layer size 1 must be positive, found 0", assertThrows(IllegalArgumentException.class,
                    () -> Dbn.zeros(b, VisibleType.BERNOULLI, new int[] {3, 0})).getMessage());
            try (Dbn two = Dbn.zeros(b, VisibleType.GAUSSIAN, new int[] {3, 2, 2})) {
                assertEquals(VisibleType.GAUSSIAN, two.layer(0).visibleType());
                assertEquals(VisibleType.BERNOULLI, two.layer(1).visibleType());
                assertEquals("level must be in [0, 2], found 3", assertThrows(IllegalArgumentException.class, () -> {
                    try (Tensor v = b.allocate(1, 3)) {
                        two.upPass(v, 3).close();
                    }
                }).getMessage());
                assertEquals("Gibbs steps must be >= 0, found -1", assertThrows(IllegalArgumentException.class, () -> {
                    try (Tensor v = b.allocate(1, 3)) {
                        two.generate(v, -1, StreamId.DBN_SAMPLE.open(1));
                    }
                }).getMessage());
            }
        }
    }

    @Test
    void fineTuningEpochLossIsTheLossBeforeTheUpdateReadOnceFromTheBackend() {
        // One batch holding every row: the epoch's loss is the batch's summed loss before its update,
        // left on the backend as a float and read at the epoch's end, over n. The same rows summed in
        // their stored order differ from the shuffled order only in the double sum's last bits, far
        // below the float rounding, so the two agree exactly.
        int n = 50;
        SplittableRandom rnd = new SplittableRandom(8);
        int[] labels = rnd.ints(n, 0, 3).toArray();
        try (Backend b = new ReferenceBackend(); Classifier net = new Classifier(b, new int[] {5, 4, 3});
             Tensor tx = b.allocate(n, 5); Tensor tt = b.fromArray(ClassificationResult.oneHot(labels, 3), n, 3);
             Classifier.Workspace ws = net.workspace(n)) {
            b.sampler().fillUniform(tx, new RandomStream(8, 2));
            net.initializeRandom(0.5f, new RandomStream(9, 1));
            net.gradient(tx, tt, ws);
            double want = (double) (float) b.sum(ws.losses()) / n;
            DbnOptions cfg = DbnOptions.builder().hiddenLayers(4).classes(3).finetuneLearningRate(0.1)
                    .finetuneBatchSize(n).finetuneEpochs(1).seed(10).build();
            try (FineTuner t = new FineTuner(net, cfg, tx, tt)) {
                t.train(List.of());
                assertEquals(want, t.lastEpochLoss());
            }
        }
    }

    @Test
    void fineTuningLearnsALinearlySeparableProblem() {
        // Class 1 lights the first half of the inputs, class 0 the second, under uniform noise of
        // amplitude 0.4: separable with a wide margin, so SGD must drive the error to ~0.
        int n = 200;
        int d = 8;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = new float[n * d];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            labels[r] = rnd.nextInt(2);
            for (int j = 0; j < d; j++) {
                boolean lit = (j < d / 2) == (labels[r] == 1);
                x[r * d + j] = (float) ((lit ? 0.6 : 0.0) + 0.4 * rnd.nextDouble());
            }
        }
        try (Backend b = new ReferenceBackend(); Classifier net = new Classifier(b, new int[] {d, 6, 2});
             Tensor tx = b.fromArray(x, n, d); Tensor tt = b.fromArray(ClassificationResult.oneHot(labels, 2), n, 2)) {
            net.initializeRandom(0.5f, new RandomStream(4, 1));
            double before = ClassificationResult.evaluate(net, tx, labels, 64).errorRate();
            DbnOptions cfg = DbnOptions.builder().hiddenLayers(6).classes(2).finetuneLearningRate(0.5)
                    .finetuneMomentum(0.9).finetuneWeightDecay(0).finetuneBatchSize(20).finetuneEpochs(60).seed(7)
                    .build();
            try (FineTuner t = new FineTuner(net, cfg, tx, tt)) {
                t.train(List.of());
                assertEquals(60, t.epochsDone());
                assertTrue(t.lastEpochLoss() < 0.2, "loss " + t.lastEpochLoss());
            }
            ClassificationResult after = ClassificationResult.evaluate(net, tx, labels, 64);
            assertTrue(after.errorRate() < 0.05 && after.errorRate() < before, before + " -> " + after.errorRate());
            long total = 0;
            for (long[] row : after.confusion()) {
                for (long v : row) {
                    total += v;
                }
            }
            assertEquals(n, total);
        }
    }

    @Test
    void glorotInitializationDrawsEachLayerWithItsOwnStd() {
        // Layer 0 (sigmoid, 300x200): std 4 sqrt(2/500); layer 1 (softmax, 200x10): sqrt(2/210).
        // The sample std of n normal draws has relative standard error 1/sqrt(2n): 0.29% for 60,000
        // draws and 1.6% for 2,000; the bounds are over 5 standard errors.
        try (Backend b = new ReferenceBackend(); Classifier net = new Classifier(b, new int[] {300, 200, 10})) {
            b.fill(net.bias(0), 3f);
            net.initializeGlorot(new RandomStream(5, 1));
            double[] expected = {4 * Math.sqrt(2.0 / 500), Math.sqrt(2.0 / 210)};
            double[] tolerance = {0.02, 0.08};
            for (int l = 0; l < 2; l++) {
                float[] w = net.weights(l).toArray();
                double sum = 0;
                double sq = 0;
                for (float x : w) {
                    sum += x;
                    sq += (double) x * x;
                }
                double mean = sum / w.length;
                double std = Math.sqrt(sq / w.length - mean * mean);
                assertEquals(expected[l], std, tolerance[l] * expected[l], "std of layer " + l);
                assertEquals(0, mean, 5 * expected[l] / Math.sqrt(w.length), "mean of layer " + l);
                for (float x : net.bias(l).toArray()) {
                    assertEquals(0f, x);
                }
            }
        }
    }
}
