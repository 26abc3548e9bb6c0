package org.ebm4j.dbn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.RandomStream;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A DBN's refusals at their boundaries, with their messages, and its passes up and down a stack without
 * weights, where each layer's result is known: the up-pass gives {@code sigmoid(c)} of the layer reached,
 * generation the bottom layer's {@code sigmoid(b)}, whatever the hidden states. {@link NoLeakedTensors}
 * fails a pass that leaves an intermediate layer open.
 */
@ExtendWith(NoLeakedTensors.class)
class DbnChecksTest {
    private final Backend backend = new ReferenceBackend();

    private static String message(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable call) {
        return assertThrows(type, call).getMessage();
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Sizes 3, 2, 2 without weights: bottom visible biases {@code b0}, hidden biases {@code c0}, {@code c1}. */
    private static final float[] B0 = {0.5f, -1f, 2f};
    private static final float[] C0 = {0.25f, -0.75f};
    private static final float[] C1 = {1.5f, -0.5f};

    private static List<RbmParameters> stack() {
        return List.of(new RbmParameters(VisibleType.BERNOULLI, 3, 2, new float[6], B0.clone(), C0.clone()),
                new RbmParameters(VisibleType.BERNOULLI, 2, 2, new float[4], new float[] {0.1f, 0.2f}, C1.clone()));
    }

    @Test
    void stacksAndSizesMustChain() {
        assertEquals("a DBN needs at least one RBM", message(IllegalArgumentException.class,
                () -> Dbn.of(backend, List.of())));
        assertEquals("layer 1 must have Bernoulli visibles (it is fed by layer 0's hidden units), found gaussian",
                message(IllegalArgumentException.class, () -> Dbn.of(backend, List.of(
                        RbmParameters.zeros(VisibleType.GAUSSIAN, 3, 2), RbmParameters.zeros(VisibleType.GAUSSIAN, 2,
                                2)))));
        assertEquals("a DBN needs a data size and at least one hidden layer size, found none", message(
                IllegalArgumentException.class, () -> Dbn.zeros(backend, VisibleType.BERNOULLI, null)));
        assertEquals("a DBN needs a data size and at least one hidden layer size, found 1 size(s)", message(
                IllegalArgumentException.class, () -> Dbn.zeros(backend, VisibleType.BERNOULLI, new int[] {3})));
        assertEquals("layer size 2 must be positive, found 0", message(IllegalArgumentException.class,
                () -> Dbn.zeros(backend, VisibleType.BERNOULLI, new int[] {3, 2, 0})));
        try (Dbn smallest = Dbn.zeros(backend, VisibleType.GAUSSIAN, new int[] {1, 1})) {
            assertArrayEquals(new int[] {1, 1}, smallest.sizes());
            assertEquals(VisibleType.GAUSSIAN, smallest.visibleType());
        }
        try (Dbn gaussianBottom = Dbn.of(backend, List.of(RbmParameters.zeros(VisibleType.GAUSSIAN, 3, 2),
                RbmParameters.zeros(VisibleType.BERNOULLI, 2, 4)))) {
            assertArrayEquals(new int[] {3, 2, 4}, gaussianBottom.sizes());
            assertEquals(0, gaussianBottom.layer(1).visibleBias().toArray()[0]);
        }
    }

    /** Levels 0 (a copy), 1 and 2 give the input, {@code sigmoid(c0)} and {@code sigmoid(c1)}. */
    @Test
    void theUpPassReachesEachLevelAndRefusesOthers() {
        try (Dbn dbn = Dbn.of(backend, stack()); Tensor v = backend.fromArray(new float[] {1, 0, 1, 0, 1, 1}, 2, 3)) {
            try (Tensor same = dbn.upPass(v, 0)) {
                assertArrayEquals(new float[] {1, 0, 1, 0, 1, 1}, same.toArray());
            }
            try (Tensor h1 = dbn.upPass(v, 1); Tensor h2 = dbn.upPass(v, 2)) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(sigmoid(C0[k % 2]), h1.toArray()[k], 1e-6);
                    assertEquals(sigmoid(C1[k % 2]), h2.toArray()[k], 1e-6);
                }
            }
            assertEquals("level must be in [0, 2], found -1", message(IllegalArgumentException.class,
                    () -> dbn.upPass(v, -1)));
            assertEquals("level must be in [0, 2], found 3", message(IllegalArgumentException.class,
                    () -> dbn.upPass(v, 3)));
            try (Tensor wide = backend.allocate(1, 4)) {
                assertEquals("input has 4 columns but the DBN has 3 visible units", message(
                        IllegalArgumentException.class, () -> dbn.upPass(wide, 1)));
            }
            Dataset features = dbn.transform(Dataset.of("rows", 2, 3, new float[] {1, 0, 1, 0, 1, 1}), 1);
            assertEquals(2, features.cols());
            assertEquals(sigmoid(C0[1]), features.values()[3], 1e-6);
            assertEquals("four has 4 columns but the DBN has 3 visible units", message(IllegalArgumentException.class,
                    () -> dbn.transform(Dataset.of("four", 1, 4, new float[4]))));
        }
    }

    /** Whatever the top layer samples, the way down without weights ends on {@code sigmoid(b0)}. */
    @Test
    void generationEndsOnTheBottomVisibleMeans() {
        float[] want = new float[6];
        for (int k = 0; k < 6; k++) {
            want[k] = (float) sigmoid(B0[k % 3]);
        }
        try (Dbn dbn = Dbn.of(backend, stack()); Tensor start = backend.allocate(2, 3)) {
            assertArrayEquals(want, dbn.generate(start, 0, new RandomStream(1)), 1e-6f);
            assertArrayEquals(want, dbn.generate(start, 2, new RandomStream(1)), 1e-6f);
            assertArrayEquals(want, dbn.sample(2, 1, 5), 1e-6f);
            assertEquals(3, dbn.sample(1, 0, 5).length);
            assertEquals("Gibbs steps must be >= 0, found -1", message(IllegalArgumentException.class,
                    () -> dbn.generate(start, -1, new RandomStream(1))));
            assertEquals("chains must be >= 1, found 0", message(IllegalArgumentException.class,
                    () -> dbn.sample(0, 1, 5)));
            assertEquals("this DBN has no fine-tuned classifier (trained with finetune_epochs 0)", message(
                    IllegalStateException.class, dbn::classifier));
            assertEquals(false, dbn.isFineTuned());
        }
    }

    @Test
    void labelsMustMatchTheRowsAndTheClasses() {
        assertEquals("label 3 of row 1 is outside [0, 3)", message(IllegalArgumentException.class,
                () -> ClassificationResult.oneHot(new int[] {0, 3}, 3)));
        assertEquals("label -1 of row 0 is outside [0, 3)", message(IllegalArgumentException.class,
                () -> ClassificationResult.oneHot(new int[] {-1}, 3)));
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, ClassificationResult.oneHot(new int[] {2, 0}, 3));
    }
    /** {@code pretrained_layers} runs from 0 to the depth and {@code classes} from 0; a classifier needs both parts. */
    @Test
    void modelFilesRefuseMetadataOutOfRange() throws org.ebm4j.io.ModelFormatException {
        org.ebm4j.io.ModelFile f;
        try (Dbn dbn = Dbn.of(backend, stack())) {
            f = dbn.toModelFile();
        }
        f.putMetadata("dbn.pretrained_layers", "2");
        assertEquals(2, DbnModelFile.from(f, "f").pretrainedLayers());
        f.putMetadata("dbn.pretrained_layers", "0");
        assertEquals(0, DbnModelFile.from(f, "f").pretrainedLayers());
        f.putMetadata("dbn.pretrained_layers", "3");
        assertEquals("f: DBN metadata out of range: pretrained_layers=3 of 2, classes=0", message(
                org.ebm4j.io.ModelFormatException.class, () -> DbnModelFile.from(f, "f")));
        f.putMetadata("dbn.pretrained_layers", "-1");
        assertEquals("f: DBN metadata out of range: pretrained_layers=-1 of 2, classes=0", message(
                org.ebm4j.io.ModelFormatException.class, () -> DbnModelFile.from(f, "f")));
        f.putMetadata("dbn.pretrained_layers", "1").putMetadata("dbn.classes", "-1");
        assertEquals("f: DBN metadata out of range: pretrained_layers=1 of 2, classes=-1", message(
                org.ebm4j.io.ModelFormatException.class, () -> DbnModelFile.from(f, "f")));
        assertEquals("a classifier needs classes > 0 and its weights, found classes=2", message(
                IllegalArgumentException.class, () -> new DbnModelFile(stack(), 2, null, null, 2, null, null,
                        java.util.Map.of())));
        assertEquals("a classifier needs classes > 0 and its weights, found classes=0", message(
                IllegalArgumentException.class, () -> new DbnModelFile(stack(), 2, new float[0][], new float[0][], 0,
                        null, null, java.util.Map.of())));
    }
    /**
     * A one-layer classifier with logits {@code (x_0, x_1, 0.5)}: row (1, 0) is class 0, (0, 1) class 1,
     * (0, 0) class 2. Five rows in batches of 2 end on a tail of one row, classified with its own
     * workspace; evaluation counts the errors against labels and fills the confusion matrix.
     */
    @Test
    void classificationInBatchesWithATail() {
        float[] rows = {1, 0, 0, 1, 0, 0, 0, 1, 1, 0};
        try (Classifier net = new Classifier(backend, new int[] {2, 3});
             Tensor x = backend.fromArray(rows, 5, 2)) {
            net.load(new float[][] {{1, 0, 0, 0, 1, 0}}, new float[][] {{0, 0, 0.5f}});
            assertArrayEquals(new int[] {0, 1, 2, 1, 0}, net.classify(x, 2));
            assertArrayEquals(new int[] {0, 1, 2, 1, 0}, net.classify(x, 5));
            ClassificationResult r = ClassificationResult.evaluate(net, x, new int[] {0, 1, 2, 2, 1}, 2);
            assertEquals(5, r.examples());
            assertEquals(2, r.errors());
            assertEquals(0.4, r.errorRate(), 1e-12);
            assertArrayEquals(new long[] {1, 0, 0}, r.confusion()[0]);
            assertArrayEquals(new long[] {1, 1, 0}, r.confusion()[1]);
            assertArrayEquals(new long[] {0, 1, 1}, r.confusion()[2]);
            assertEquals(Double.NaN, new ClassificationResult(new long[3][3], 0, 0).errorRate());
            assertEquals("5 rows but 4 labels", message(IllegalArgumentException.class,
                    () -> ClassificationResult.evaluate(net, x, new int[4], 2)));
            assertEquals("label 3 of row 4 is outside [0, 3)", message(IllegalArgumentException.class,
                    () -> ClassificationResult.evaluate(net, x, new int[] {0, 1, 2, 1, 3}, 2)));
            assertEquals("label -1 of row 0 is outside [0, 3)", message(IllegalArgumentException.class,
                    () -> ClassificationResult.evaluate(net, x, new int[] {-1, 1, 2, 1, 0}, 2)));
            assertEquals("batch must be positive, found 0", message(IllegalArgumentException.class,
                    () -> net.classify(x, 0)));
            assertEquals("batch rows must be positive, found 0", message(IllegalArgumentException.class,
                    () -> net.workspace(0)));
            assertEquals("expected 1 weight matrices and bias vectors, found 2 and 1", message(
                    IllegalArgumentException.class, () -> net.load(new float[2][6], new float[1][3])));
            assertEquals("expected 1 weight matrices and bias vectors, found 1 and 2", message(
                    IllegalArgumentException.class, () -> net.load(new float[1][6], new float[2][3])));
            try (Tensor wide = backend.allocate(5, 3); Classifier.Workspace ws = net.workspace(4)) {
                assertEquals("input has 3 columns but the classifier has 2 inputs", message(
                        IllegalArgumentException.class, () -> net.classify(wide, 2)));
                assertEquals("input is 5x2 but the workspace expects 4x2", message(IllegalArgumentException.class,
                        () -> net.predict(x, ws)));
            }
        }
    }
    /**
     * A DBN on standardized data (means (1, 2), stds (2, 4)) over Gaussian visibles, sizes 2, 1, 1, with a
     * classifier. The row (3, 10) standardizes to (1, 2), so with {@code W0 = (1, 2)^T}, {@code c0 = 0.25} its
     * feature is {@code sigmoid(5.25)}. Generation: the top layer has no weights, so its visible mean is
     * {@code sigmoid(0) = 0.5}, the bottom's {@code b0 + W0 0.5 = (1, 0)}, in data units {@code (3, 2)}. The
     * classifier's logit gap is {@code 4 a - 3} with {@code a = sigmoid(4 sigmoid(z W0) - 2)}: class 0 for
     * (3, 10) ({@code a = sigmoid(4 sigmoid(5) - 2)}, gap 0.51), class 1 for (1, 2) ({@code a = 0.5}, gap -1);
     * read unstandardized, (1, 2) would be class 0.
     */
    @Test
    void standardizationIsAppliedOnTheWayInAndUndoneOnTheWayOut() {
        List<RbmParameters> stack = List.of(
                new RbmParameters(VisibleType.GAUSSIAN, 2, 1, new float[] {1, 2}, new float[] {0.5f, -1}, new float[]
                        {0.25f}),
                new RbmParameters(VisibleType.BERNOULLI, 1, 1, new float[1], new float[1], new float[1]));
        org.ebm4j.data.Standardization st = new org.ebm4j.data.Standardization(new float[] {1, 2}, new float[] {2, 4});
        DbnModelFile file = new DbnModelFile(stack, 2, new float[][] {{1, 2}, {4}, {2, -2}},
                new float[][] {{0}, {-2}, {-3, 0}}, 2, null, st, java.util.Map.of());
        Dataset rows = Dataset.of("rows", 2, 2, new float[] {3, 10, 1, 2});
        try (Dbn dbn = Dbn.of(backend, file)) {
            assertEquals(sigmoid(5.25), dbn.transform(rows, 1).values()[0], 1e-6);
            assertArrayEquals(new float[] {3, 2, 3, 2}, dbn.sample(2, 1, 1), 1e-5f);
            assertArrayEquals(new int[] {0, 1}, dbn.predict(rows));
            assertEquals("rows has no labels; evaluating a classifier needs them", message(
                    IllegalArgumentException.class, () -> dbn.evaluate(rows)));
            ClassificationResult r = dbn.evaluate(new Dataset("labelled", 2, 2, rows.values(), new int[] {0, 0}, 0,
                    0));
            assertEquals(1, r.errors());
            assertEquals(true, dbn.isFineTuned());
        }
    }
    /** Inputs and targets must match the network's inputs and classes and each other's rows. */
    @Test
    void fineTuningDataMustFitTheNetwork() {
        DbnOptions o = DbnOptions.builder().build();
        try (Classifier net = new Classifier(backend, new int[] {2, 3});
             Tensor x = backend.allocate(5, 2); Tensor t = backend.allocate(5, 3);
             Tensor wideX = backend.allocate(5, 3); Tensor narrowT = backend.allocate(5, 2);
             Tensor shortT = backend.allocate(4, 3)) {
            assertEquals("fine-tuning data 5x3 with targets 5x3 do not fit a network of 2 inputs and 3 classes", message(
                    IllegalArgumentException.class, () -> new FineTuner(net, o, wideX, t)));
            assertEquals("fine-tuning data 5x2 with targets 5x2 do not fit a network of 2 inputs and 3 classes", message(
                    IllegalArgumentException.class, () -> new FineTuner(net, o, x, narrowT)));
            assertEquals("fine-tuning data 5x2 with targets 4x3 do not fit a network of 2 inputs and 3 classes", message(
                    IllegalArgumentException.class, () -> new FineTuner(net, o, x, shortT)));
            new FineTuner(net, o, x, t).close();
        }
    }
}
