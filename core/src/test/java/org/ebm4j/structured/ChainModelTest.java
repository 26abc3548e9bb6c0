package org.ebm4j.structured;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.ModelFile;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.Interrupt;
import org.ebm4j.train.SettingException;
import org.ebm4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NoLeakedTensors.class)
class ChainModelTest {

    static ConditionalOptions small(String loss) {
        return ConditionalOptions.builder().loss(loss).margin(1).layers("6:softplus").learningRate(0.02).batchSize(10)
                .epochs(2).seed(3).build();
    }

    @Test
    void fitReportsEachEpochAndSavesAModelThatLoadsToTheSameDecoder(@TempDir Path dir) throws IOException {
        Backend b = new ReferenceBackend();
        Sequences train = ChainTrainerTest.grammar(30, 1);
        Sequences test = ChainTrainerTest.grammar(10, 2);
        List<Double> losses = new ArrayList<>();
        TrainingListener l = TrainingListener.forReports(r -> losses.add(r.metrics().get("loss")));
        Path file = dir.resolve("chain.ebm");
        try (ChainModel m = ChainModel.fit(b, train, ChainTrainerTest.K, small("hinge"), Checkpointing.none(), l)) {
            assertEquals(2, losses.size());
            assertTrue(losses.stream().allMatch(v -> Double.isFinite(v) && v >= 0), "hinge losses " + losses);
            assertEquals("hinge", m.provenance().options().get("loss"));
            assertEquals(ChainModel.KIND, m.provenance().get("model"));
            m.save(file);
            try (ChainModel back = ChainModel.load(file, b)) {
                assertArrayEquals(m.chain().pair().toArray(), back.chain().pair().toArray());
                for (int i = 0; i < m.chain().parameters().size(); i++) {
                    assertArrayEquals(m.chain().parameters().get(i).toArray(),
                            back.chain().parameters().get(i).toArray(), m.chain().parameterNames().get(i));
                }
                assertArrayEquals(m.decode(test), back.decode(test));
                assertArrayEquals(m.decodeIndependently(test), back.decodeIndependently(test));
                try (Tensor x = test.positions().toTensor(b)) {
                    assertArrayEquals(m.chain().decode(x, test.lengths()), m.decode(test));
                    assertArrayEquals(m.chain().unary().infer(x), m.decodeIndependently(test));
                }
                assertEquals(m.provenance(), back.provenance());
            }
            // a diverged pairwise table is refused by name, not loaded
            ModelFile f = ModelFile.read(file);
            float[] table = f.tensors().get("chain.P").data().clone();
            table[1] = Float.NaN;
            f.putTensor("chain.P", ChainTrainerTest.K, ChainTrainerTest.K, table);
            Path diverged = dir.resolve("diverged.ebm");
            f.write(diverged);
            IOException e = assertThrows(IOException.class, () -> ChainModel.load(diverged, b));
            assertTrue(e.getMessage().contains("tensor 'chain.P' (4x4) holds NaN at row 0, column 1"), e.getMessage());
        }
    }

    @Test
    void accuracyCountsPositionsAndWholeSequences() {
        int[] labels = {0, 1, 2, 0, 1, 2, 2};
        Sequences s = new Sequences(new Dataset("s", 7, 1, new float[7], labels, 0, 0), new int[] {3, 2, 2});
        ChainModel.Accuracy a = ChainModel.accuracy(s, new int[] {0, 1, 2, 0, 0, 2, 2});
        assertEquals(6 / 7.0, a.perPosition(), 1e-12);
        assertEquals(2 / 3.0, a.wholeSequence(), 1e-12);
        assertEquals("accuracy needs a label per decoded position: 2 decoded, 7 labels",
                assertThrows(IllegalArgumentException.class, () -> ChainModel.accuracy(s, new int[2])).getMessage());
    }

    @Test
    void aLossWithoutAChainFormIsRefusedBeforeTraining() {
        Backend b = new ReferenceBackend();
        assertEquals("unknown chain loss 'log'; expected one of perceptron, hinge, nll",
                assertThrows(IllegalArgumentException.class, () -> ChainModel.fit(b, ChainTrainerTest.grammar(4, 1),
                        ChainTrainerTest.K, small("log"), Checkpointing.none())).getMessage());
    }

    // n rows, row i of label i mod k with value 10 * label + i / n: its label is readable from its value.
    private static Dataset labelReadablePool(int k, int n) {
        int[] y = IntStream.range(0, n).map(i -> i % k).toArray();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 10 * y[i] + i / (float) n;
        }
        return new Dataset("pool", n, 1, v, y, 0, 0);
    }

    /**
     * The grammar's successor probability is follow + (1 - follow) / K (a uniform draw may also pick the
     * successor); over 40 x 9 = 360 transitions its binomial sd is at most 0.027, so 4 sd is 0.11.
     */
    @Test
    void grammarSequencesFollowTheStatedGrammarAndTakeRowsOfTheirLabel() {
        int k = 4;
        Dataset pool = labelReadablePool(k, 200);
        Sequences s = GrammarSequences.draw(pool, k, 40, 10, 0.8, 5);
        assertArrayEquals(s.positions().values(), GrammarSequences.draw(pool, k, 40, 10, 0.8, 5).positions().values(),
                "the same seed draws the same sequences");
        int[] labels = s.positions().labels();
        float[] x = s.positions().values();
        int successors = 0;
        for (int i = 0; i < labels.length; i++) {
            assertEquals(labels[i], (int) (x[i] / 10), "position " + i + " holds a row of its label");
            if (i % 10 > 0) {
                successors += labels[i] == (labels[i - 1] + 1) % k ? 1 : 0;
            }
        }
        assertEquals(0.8 + 0.2 / k, successors / 360.0, 0.11);
        assertEquals("pool has no row of label 4",
                assertThrows(IllegalArgumentException.class, () -> GrammarSequences.draw(pool, 5, 1, 2, 0.5, 1))
                        .getMessage());
    }

    @Test
    void resumingAfterTheFirstEpochEqualsTheUninterruptedRun(@TempDir Path dir) throws IOException {
        Sequences train = ChainTrainerTest.grammar(30, 1);
        ConditionalOptions options = small("nll");
        Path ckpt = dir.resolve("checkpoint.ebm");
        try (Backend b = new ReferenceBackend()) {
            assertThrows(IllegalStateException.class,
                    () -> ChainModel.fit(b, train, ChainTrainerTest.K, options, Checkpointing.every(ckpt, 1),
                            new Interrupt(1)));
            assertEquals(options, ChainModel.readOptions(ckpt));
            try (ChainModel straight = ChainModel.fit(b, train, ChainTrainerTest.K, options, Checkpointing.none());
                 ChainModel resumed = ChainModel.resume(ckpt, train, b, Checkpointing.none())) {
                for (int i = 0; i < straight.chain().parameters().size(); i++) {
                    assertArrayEquals(straight.chain().parameters().get(i).toArray(),
                            resumed.chain().parameters().get(i).toArray(), straight.chain().parameterNames().get(i));
                }
                assertEquals(straight.provenance(), resumed.provenance());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ChainModel.resume(ckpt, ChainTrainerTest.grammar(30, 2), b, Checkpointing.none()));
            assertTrue(e.getMessage().contains("is not the data " + ckpt), e.getMessage());
        }
    }

    @Test
    void aBatchTooLargeForTheHeapIsRefusedBeforeAnythingIsBuilt() {
        // 10^7 sequences of 8 positions, 4 answers each: 3.2e8 joint rows, far beyond any test heap
        ConditionalOptions huge = small("hinge").toBuilder().batchSize(10_000_000).build();
        SettingException e = assertThrows(SettingException.class, () -> ChainModel.fit(new ReferenceBackend(),
                ChainTrainerTest.grammar(4, 1), ChainTrainerTest.K, huge, Checkpointing.none()));
        assertEquals("batch_size", e.setting());
        assertTrue(e.getMessage().contains("the 10000000 examples' joint rows for every answer"), e.getMessage());
    }
}
