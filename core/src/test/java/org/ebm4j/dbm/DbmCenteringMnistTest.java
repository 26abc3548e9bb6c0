package org.ebm4j.dbm;

import java.io.IOException;
import org.ebm4j.data.Binarization;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.rbm.CenteringMnistTest;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;

/**
 * Centering on a small MNIST DBM, as {@link CenteringMnistTest} for the RBM: exact test log-likelihood,
 * centered against uncentered. A DBM's exact likelihood enumerates its even layers, so the images are
 * downsampled to 4x4 pixels (each the 7x7 block of the 28x28 image, on when the block's mean ink is at least
 * {@link #INK}) and the model is 16-8-4: 2^20 even states for {@code log Z}.
 */
class DbmCenteringMnistTest {
    /** The mean ink of a 7x7 block that makes its pixel on: about a sixth of the block covered by a stroke. */
    static final float INK = 0.15f;
    private static final int SIDE = 28;
    private static final int BLOCK = 7;

    /**
     * 500 training and 500 test images of the bundled MNIST, downsampled; the same seed, updates and options
     * (5 pretraining epochs, 40 joint epochs of PCD with 50 chains at rate 0.1) but for centering of joint
     * training.
     * Judged as the RBM's: the paired per-image differences of the exact test log-likelihoods must not lie
     * more than three standard errors below zero, and both models must beat independent pixels.
     */
    @Test
    void centeredTrainingDoesNoWorseThanUncentered() throws IOException {
        Dataset all = downsample(Mnist.embedded().slice(0, 1000));
        Dataset train = all.slice(0, 500);
        Dataset test = all.slice(500, 1000);
        DbmOptions.Builder o = DbmOptions.builder().hidden(8, 4).binarization(Binarization.none()).pretrainEpochs(5)
                .pretrainLearningRate(0.05).epochs(40).learningRate(0.1).momentum(0.5).batchSize(20).chains(50)
                .initWeightStd(0.1).seed(3);
        double[] plain = perImageLogLikelihood(train, test, o.centering(false).build());
        double[] centered = perImageLogLikelihood(train, test, o.centering(true).build());
        CenteringMnistTest.assertCenteredNotWorse(centered, plain,
                CenteringMnistTest.baseRateLogLikelihood(train, test));
    }

    private static double[] perImageLogLikelihood(Dataset train, Dataset test, DbmOptions o) {
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.fit(b, train, o, Checkpointing.none())) {
            return DbmExact.logLikelihoods(dbm.parameters(), test.values(), test.rows());
        }
    }

    /** Each image as 4x4 binary pixels: a 7x7 block's pixel is on when the block's mean is at least {@link #INK}. */
    static Dataset downsample(Dataset images) {
        int side = SIDE / BLOCK;
        float[] x = images.values();
        float[] out = new float[images.rows() * side * side];
        for (int r = 0; r < images.rows(); r++) {
            for (int by = 0; by < side; by++) {
                for (int bx = 0; bx < side; bx++) {
                    double sum = 0;
                    for (int y = 0; y < BLOCK; y++) {
                        for (int c = 0; c < BLOCK; c++) {
                            sum += x[r * SIDE * SIDE + (by * BLOCK + y) * SIDE + bx * BLOCK + c];
                        }
                    }
                    out[r * side * side + by * side + bx] = sum / (BLOCK * BLOCK) >= INK ? 1f : 0f;
                }
            }
        }
        return Dataset.of(images.name() + " at 4x4", images.rows(), side * side, out);
    }
}
