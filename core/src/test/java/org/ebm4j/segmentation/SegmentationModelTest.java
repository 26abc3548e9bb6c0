package org.ebm4j.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.conditional.LatentReduction;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.random.StreamId;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strings composed from the embedded MNIST digits, training end to end, and the model file. */
class SegmentationModelTest {
    // Small windows and a one-hot network keep the CI run to seconds.
    static final SegmentationOptions GRAPH = SegmentationOptions.builder().window(8, 6).build();

    static Dataset digits() throws Exception {
        return Mnist.embedded().slice(0, 300);
    }

    static ConditionalOptions training(String loss, double scale, int epochs) {
        return ConditionalOptions.builder().encoding(ConditionalEnergy.Encoding.ONE_HOT).layers("16:softplus")
                .loss(loss).lossScale(scale).learningRate(0.05).batchSize(8).epochs(epochs).seed(5).build();
    }

    @Test
    void theRecipeIsDeterministicAndAStringDependsOnlyOnItsIndex() throws Exception {
        Dataset d = digits();
        DigitStrings.Recipe recipe = DigitStrings.Recipe.standard();
        List<DigitString> a = DigitStrings.generate(d, 40, recipe, 9);
        List<DigitString> b = DigitStrings.generate(d, 10, recipe, 9);
        List<DigitString> other = DigitStrings.generate(d, 10, recipe, 10);
        int differ = 0;
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(a.get(i).pixels(), b.get(i).pixels());
            assertArrayEquals(a.get(i).digits(), b.get(i).digits());
            differ += a.get(i).text().equals(other.get(i).text()) ? 0 : 1;
        }
        assertTrue(differ >= 8, "another seed gave the same digits for " + (10 - differ) + " of 10 strings");
        int[] lengths = new int[5];
        for (DigitString s : a) {
            lengths[s.digits().length]++;
            // Every digit is at most 28 columns and every gap at most 6: the width is bounded by the recipe.
            assertTrue(s.width() <= 28 * s.digits().length + 6 * (s.digits().length - 1), s.text() + " " + s.width());
            for (int c = 1; c < s.cuts().length; c++) {
                assertTrue(s.cuts()[c] > s.cuts()[c - 1], "cuts increase: " + java.util.Arrays.toString(s.cuts()));
            }
        }
        // 40 strings of 2, 3 or 4 digits with probability 1/3 each: every length shows up (P(miss) < 3 (2/3)^40).
        assertTrue(lengths[2] > 0 && lengths[3] > 0 && lengths[4] > 0, java.util.Arrays.toString(lengths));
    }

    @Test
    void unlabelledDigitsAreRefused() throws Exception {
        Dataset d = digits();
        Dataset unlabelled = new Dataset("rows", d.rows(), d.cols(), d.values(), null, 28, 28);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DigitStrings.generate(unlabelled, 3, DigitStrings.Recipe.standard(), 1));
        assertTrue(e.getMessage().contains("found no labels"), e.getMessage());
    }

    // Each string's loss under the model as it stands.
    static double[] losses(SegmentationEnergy e, SegmentationLoss l, List<DigitString> xs) {
        double[] out = new double[xs.size()];
        for (int i = 0; i < out.length; i++) {
            double[] f = e.factors(xs.get(i));
            out[i] = l.evaluate(e.graph(xs.get(i)), f, xs.get(i).digits(), e.answers(), 1, new double[f.length]);
        }
        return out;
    }

    @Test
    void trainingEndToEndLowersEveryLossOnTheTrainingStrings() throws Exception {
        Backend b = new ReferenceBackend();
        List<DigitString> xs = DigitStrings.generate(digits(), 32, DigitStrings.Recipe.standard(), 3);
        for (String name : List.of("perceptron", "lvq2", "nll")) {
            ConditionalOptions o = training(name, name.equals("lvq2") ? 4.0 : 1.0, 4);
            EnergyNetwork net = new EnergyNetwork(b, o.encoding().jointColumns(GRAPH.windowSize(), 10, 0), o.layers(),
                    o.visiblePrecision());
            net.initialize(StreamId.SEGMENTATION_INIT.open(o.seed()), o.weightScale(), o.initialScale());
            try (SegmentationEnergy e = new SegmentationEnergy(new ConditionalEnergy(net, o.encoding(),
                    GRAPH.windowSize(), 10, 0, LatentReduction.minimum()), GRAPH);
                 SegmentationTrainer t = new SegmentationTrainer(e, xs, o)) {
                SegmentationLoss l = SegmentationLoss.of(o);
                double[] l0 = losses(e, l, xs);
                t.train(List.of());
                double[] l1 = losses(e, l, xs);
                // A paired comparison on the same strings: the mean drop must exceed three standard errors of the
                // per-string drops (a one-sided test at about the 0.1% level), not a threshold read off a run.
                double mean = 0;
                for (int i = 0; i < xs.size(); i++) {
                    mean += (l0[i] - l1[i]) / xs.size();
                }
                double var = 0;
                for (int i = 0; i < xs.size(); i++) {
                    var += Math.pow(l0[i] - l1[i] - mean, 2) / (xs.size() - 1);
                }
                double se = Math.sqrt(var / xs.size());
                assertTrue(mean > 3 * se, name + ": mean drop " + mean + " vs standard error " + se);
            }
        }
    }

    @Test
    void aSavedModelReadsBackWithTheSameEnergiesAndItsProvenance(@TempDir Path dir) throws Exception {
        Backend b = new ReferenceBackend();
        List<DigitString> xs = DigitStrings.generate(digits(), 8, DigitStrings.Recipe.standard(), 4);
        Path file = dir.resolve("seg.ebm");
        try (SegmentationModel m = SegmentationModel.fit(b, xs, GRAPH, training("perceptron", 1, 1),
                Checkpointing.none())) {
            m.save(file);
            try (SegmentationModel back = SegmentationModel.load(file, b)) {
                assertArrayEquals(m.energy().factors(xs.get(0)), back.energy().factors(xs.get(0)), 0);
                assertEquals(GRAPH, back.energy().options());
                assertEquals("perceptron", back.provenance().options().get("loss"));
                assertNotNull(back.provenance().get("draw.segmentation_shuffle"));
                assertEquals("4", back.provenance().options().get("graph.stride"));
                assertEquals("8", back.provenance().options().get("graph.window_height"));
                assertAccuracyIsCountedFromTheReadings(back, xs);
            }
            // the data's digest depends on every string: another set, even one string shorter, hashes apart
            String sha = m.provenance().get("data.sha256");
            assertTrue(sha.matches("[0-9a-f]{64}"), sha);
            try (SegmentationModel fewer = SegmentationModel.fit(b, xs.subList(0, 7), GRAPH, training("perceptron", 1, 1),
                    Checkpointing.none())) {
                assertNotEquals(sha, fewer.provenance().get("data.sha256"));
            }
        }
    }

    /**
     * Whole-string accuracy is the share of readings equal to the truth, per-digit accuracy 1 - edits / true
     * digits, each found by the model and given the true segmentation, counted here from the readings with
     * an edit distance of the test's own.
     */
    private static void assertAccuracyIsCountedFromTheReadings(SegmentationModel m, List<DigitString> xs) {
        List<SegmentationGraph.Reading> found = m.read(xs);
        List<int[]> given = m.energy().readGivenSegmentation(xs);
        int right = 0;
        int rightGiven = 0;
        int digits = 0;
        int edits = 0;
        int editsGiven = 0;
        for (int i = 0; i < xs.size(); i++) {
            int[] y = xs.get(i).digits();
            digits += y.length;
            right += java.util.Arrays.equals(found.get(i).digits(), y) ? 1 : 0;
            rightGiven += java.util.Arrays.equals(given.get(i), y) ? 1 : 0;
            edits += levenshtein(found.get(i).digits(), y);
            editsGiven += levenshtein(given.get(i), y);
        }
        SegmentationModel.Accuracy a = m.accuracy(xs);
        assertEquals(xs.size(), a.strings());
        assertEquals((double) right / xs.size(), a.wholeString(), 1e-15);
        assertEquals((double) rightGiven / xs.size(), a.wholeStringGivenSegmentation(), 1e-15);
        assertEquals(Math.max(0, 1 - (double) edits / digits), a.perDigit(), 1e-15);
        assertEquals(Math.max(0, 1 - (double) editsGiven / digits), a.perDigitGivenSegmentation(), 1e-15);
    }

    private static int levenshtein(int[] a, int[] b) {
        int[][] d = new int[a.length + 1][b.length + 1];
        for (int i = 0; i <= a.length; i++) {
            for (int j = 0; j <= b.length; j++) {
                d[i][j] = i == 0 ? j : j == 0 ? i : Math.min(Math.min(d[i - 1][j], d[i][j - 1]) + 1,
                        d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }
        return d[a.length][b.length];
    }

    @Test
    void aBatchTooLargeForTheHeapIsRefusedBeforeAnythingIsBuilt() throws Exception {
        List<DigitString> xs = DigitStrings.generate(digits(), 2, DigitStrings.Recipe.standard(), 4);
        ConditionalOptions huge = training("perceptron", 1, 1).toBuilder().batchSize(100_000_000).build();
        SettingException e = assertThrows(SettingException.class, () -> SegmentationModel.fit(new ReferenceBackend(), xs,
                SegmentationOptions.builder().window(64, 64).build(), huge, Checkpointing.none()));
        assertEquals("batch_size", e.setting());
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, SegmentationModel.editDistance(new int[] {1, 2}, new int[] {1, 2}));
        assertEquals(1, SegmentationModel.editDistance(new int[] {1, 2}, new int[] {1, 3}));
        assertEquals(1, SegmentationModel.editDistance(new int[] {1, 2, 3}, new int[] {1, 3}));
        assertEquals(2, SegmentationModel.editDistance(new int[] {4, 1}, new int[] {1, 2}));
        assertEquals(3, SegmentationModel.editDistance(new int[] {}, new int[] {7, 7, 7}));
    }
}
