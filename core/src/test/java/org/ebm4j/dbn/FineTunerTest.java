package org.ebm4j.dbn;

import static org.ebm4j.testing.HostArrays.toDouble;
import static org.ebm4j.testing.HostArrays.toFloat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.EpochBatches;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(NoLeakedTensors.class)
class FineTunerTest {

    /**
     * An epoch of fine-tuning is the rows of one {@link StreamId#DBN_FINETUNE_SHUFFLE} permutation in
     * batches {@code [k b, k b + b)} and a last smaller one, each followed by the documented update
     * {@code vel = momentum vel - lr (grad + weightDecay W)}, {@code W += vel} (biases without decay).
     * Here the same updates are made by hand, in double, from the gradient of each batch on a twin
     * network that holds the trained network's parameters, for two epochs: an epoch that read any row
     * twice, or skipped one, or left the biases alone, ends elsewhere. Only float rounding separates the
     * two (1e-5 on parameters of order 1).
     */
    @ParameterizedTest
    @CsvSource({"14, 4", "12, 4", "7, 7"})
    void anEpochUpdatesOnceFromEachBatchOfItsPermutation(int n, int b) {
        int[] sizes = {5, 4, 3};
        double lr = 0.3;
        double mom = 0.5;
        double wd = 0.02;
        SplittableRandom rnd = new SplittableRandom(n);
        float[] x = new float[n * sizes[0]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble();
        }
        int[] labels = rnd.ints(n, 0, sizes[2]).toArray();
        float[] t = ClassificationResult.oneHot(labels, sizes[2]);
        DbnOptions cfg = DbnOptions.builder().hiddenLayers(sizes[1]).classes(sizes[2]).finetuneLearningRate(lr)
                .finetuneMomentum(mom).finetuneWeightDecay(wd).finetuneBatchSize(b).finetuneEpochs(2).seed(31).build();
        try (Backend be = new ReferenceBackend(); Classifier trained = new Classifier(be, sizes);
             Classifier twin = new Classifier(be, sizes); Tensor tx = be.fromArray(x, n, sizes[0]);
             Tensor tt = be.fromArray(t, n, sizes[2]); FineTuner tuner = new FineTuner(trained, cfg, tx, tt)) {
            trained.initializeRandom(0.5f, new RandomStream(32, 1));
            int layers = trained.layers();
            double[][] velW = new double[layers][];
            double[][] velB = new double[layers][];
            for (int l = 0; l < layers; l++) {
                velW[l] = new double[sizes[l] * sizes[l + 1]];
                velB[l] = new double[sizes[l + 1]];
            }
            float[][] w = trained.hostWeights();
            float[][] bias = trained.hostBiases();
            double[][] wantW = toDouble(w);
            double[][] wantB = toDouble(bias);
            RandomStream shuffle = StreamId.DBN_FINETUNE_SHUFFLE.open(cfg.seed());
            for (int e = 0; e < 2; e++) {
                int[] order = shuffle.permutation(n);
                EpochBatches.replay(order, b, "epoch " + e, (offset, rows) -> {
                    float[] bx = new float[rows * sizes[0]];
                    float[] bt = new float[rows * sizes[2]];
                    for (int r = 0; r < rows; r++) {
                        int row = order[offset + r];
                        System.arraycopy(x, row * sizes[0], bx, r * sizes[0], sizes[0]);
                        System.arraycopy(t, row * sizes[2], bt, r * sizes[2], sizes[2]);
                    }
                    twin.load(toFloat(wantW), toFloat(wantB));
                    try (Tensor gx = be.fromArray(bx, rows, sizes[0]); Tensor gt = be.fromArray(bt, rows, sizes[2]);
                         Classifier.Workspace ws = twin.workspace(rows)) {
                        twin.gradient(gx, gt, ws);
                        for (int l = 0; l < layers; l++) {
                            float[] gw = ws.gradWeights(l).toArray();
                            float[] gb = ws.gradBias(l).toArray();
                            for (int q = 0; q < gw.length; q++) {
                                velW[l][q] = mom * velW[l][q] - lr * (gw[q] + wd * wantW[l][q]);
                                wantW[l][q] += velW[l][q];
                            }
                            for (int q = 0; q < gb.length; q++) {
                                velB[l][q] = mom * velB[l][q] - lr * gb[q];
                                wantB[l][q] += velB[l][q];
                            }
                        }
                    }
                });
                tuner.trainEpoch(List.of());
                float[][] gotW = trained.hostWeights();
                float[][] gotB = trained.hostBiases();
                double biasMoved = 0;
                for (int l = 0; l < layers; l++) {
                    for (int q = 0; q < gotW[l].length; q++) {
                        assertEquals(wantW[l][q], gotW[l][q], 1e-5, "epoch " + e + ": W" + l + "[" + q + "]");
                    }
                    for (int q = 0; q < gotB[l].length; q++) {
                        assertEquals(wantB[l][q], gotB[l][q], 1e-5, "epoch " + e + ": b" + l + "[" + q + "]");
                        biasMoved = Math.max(biasMoved, Math.abs(gotB[l][q] - bias[l][q]));
                    }
                }
                assertTrue(biasMoved > 1e-3, "the biases must move for the test to see their update: " + biasMoved);
            }
        }
    }


}
