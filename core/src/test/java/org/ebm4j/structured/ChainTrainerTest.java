package org.ebm4j.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.conditional.ConditionalTrainer;
import org.ebm4j.data.Dataset;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.TrainingListener;
import org.junit.jupiter.api.Test;

class ChainTrainerTest {
    static final int K = 4;
    static final int LENGTH = 8;

    /**
     * A first-order grammar strong enough to matter: the next label is {@code y + 1 mod K} with
     * probability 0.85, else one of the other three; each position shows its label's centre on a circle
     * of radius 1 plus noise of sd 0.8, so a single position is often misread.
     */
    static Sequences grammar(int count, long seed) {
        Random r = new Random(seed);
        int rows = count * LENGTH;
        float[] x = new float[2 * rows];
        int[] labels = new int[rows];
        int[] lengths = new int[count];
        for (int s = 0; s < count; s++) {
            lengths[s] = LENGTH;
            int y = r.nextInt(K);
            for (int t = 0; t < LENGTH; t++) {
                int i = s * LENGTH + t;
                if (t > 0) {
                    y = r.nextDouble() < 0.85 ? (y + 1) % K : (y + 2 + r.nextInt(K - 1)) % K;
                }
                labels[i] = y;
                double a = 2 * Math.PI * y / K;
                x[2 * i] = (float) (Math.cos(a) + 0.8 * r.nextGaussian());
                x[2 * i + 1] = (float) (Math.sin(a) + 0.8 * r.nextGaussian());
            }
        }
        return new Sequences(new Dataset("grammar sequences", rows, 2, x, labels, 0, 0), lengths);
    }

    static ConditionalEnergy unary(Backend b, ConditionalOptions o) {
        EnergyNetwork net = new EnergyNetwork(b, 2 + K, o.layers(), o.visiblePrecision());
        net.initialize(StreamId.STRUCTURED_INIT.open(o.seed()), o.weightScale(), o.initialScale());
        return ConditionalEnergy.of(net, 2, K);
    }

    static double accuracy(int[] guess, int[] labels) {
        int right = 0;
        for (int i = 0; i < guess.length; i++) {
            right += guess[i] == labels[i] ? 1 : 0;
        }
        return (double) right / guess.length;
    }

    static ConditionalOptions options(String loss) {
        return ConditionalOptions.builder().loss(loss).margin(1).lossScale(1).layers("16:softplus")
                .learningRate(0.02).batchSize(10).epochs(15).seed(2).build();
    }

    @Test
    void viterbiWithLearnedTransitionsBeatsIndependentDecodingForEveryLoss() {
        Backend b = new ReferenceBackend();
        Sequences train = grammar(120, 1);
        Sequences test = grammar(80, 2);
        int[] testLabels = test.positions().labels();
        double independent;
        // The baseline: the same network trained on the positions alone (hinge on every incorrect label).
        ConditionalOptions flat = options("hinge").toBuilder().batchSize(80).build();
        try (ConditionalEnergy f = unary(b, flat);
             Tensor x = train.positions().toTensor(b);
             Tensor xt = test.positions().toTensor(b);
             ConditionalTrainer t = new ConditionalTrainer(f, x, train.positions().labels(), flat)) {
            t.train(List.<TrainingListener>of());
            independent = accuracy(f.infer(xt), testLabels);
        }
        // Chance is 1/4 and the noise makes single positions ambiguous: the baseline sits well between.
        assertTrue(independent > 0.5 && independent < 0.9, "independent accuracy " + independent);
        for (String loss : new String[] {"perceptron", "hinge", "nll"}) {
            ConditionalOptions o = options(loss);
            try (ChainEnergy chain = new ChainEnergy(unary(b, o));
                 ChainTrainer t = new ChainTrainer(chain, train, o);
                 Tensor xt = test.positions().toTensor(b)) {
                t.train(List.<TrainingListener>of());
                double viterbi = accuracy(chain.decode(xt, test.lengths()), testLabels);
                // The grammar predicts the next label with probability 0.85: using it must lift the
                // accuracy clearly above reading each position alone.
                assertTrue(viterbi > independent + 0.08, loss + ": Viterbi " + viterbi + " against independent "
                        + independent);
                double[] p = chain.pairFactors();
                for (int a = 0; a < K; a++) {
                    int likely = (a + 1) % K;
                    for (int c = 0; c < K; c++) {
                        if (c != likely) {
                            assertTrue(p[a * K + likely] < p[a * K + c], loss + ": P[" + a + "][" + likely
                                    + "] should be the lowest of its row: " + java.util.Arrays.toString(p));
                        }
                    }
                }
            }
        }
    }

    @Test
    void trainingAndHeldOutSequencesMustFitTheChain() {
        Backend b = new ReferenceBackend();
        ConditionalOptions o = options("perceptron");
        Sequences good = grammar(2, 1);
        Dataset p = good.positions();
        Sequences wide = new Sequences(new Dataset("wide", p.rows(), 1, new float[p.rows()], p.labels(), 0, 0),
                good.lengths());
        int[] outside = p.labels().clone();
        outside[3] = K;
        Sequences badLabel = new Sequences(new Dataset("bad", p.rows(), 2, p.values(), outside, 0, 0), good.lengths());
        Sequences unlabelled = new Sequences(Dataset.of("plain", p.rows(), 2, p.values()), good.lengths());
        try (ChainEnergy chain = new ChainEnergy(unary(b, o))) {
            assertEquals("sequence positions have 1 columns but the chain's unary energy takes 2",
                    assertThrows(IllegalArgumentException.class, () -> new ChainTrainer(chain, wide, o)).getMessage());
            assertEquals("label 4 is outside 0..3",
                    assertThrows(IllegalArgumentException.class, () -> new ChainTrainer(chain, good, badLabel, o))
                            .getMessage());
            assertEquals("plain has no labels; chain training needs them",
                    assertThrows(IllegalArgumentException.class, () -> new ChainTrainer(chain, good, unlabelled, o))
                            .getMessage());
        }
    }
}
