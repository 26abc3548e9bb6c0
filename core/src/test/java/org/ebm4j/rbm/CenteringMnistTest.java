package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;

/**
 * Centering on a small MNIST RBM: exact test log-likelihood, centered against uncentered. The judgement
 * ({@link #assertCenteredNotWorse}) serves the DBM's test too.
 */
public class CenteringMnistTest {
    private final Backend backend = new ReferenceBackend();

    /**
     * 300 training and 300 test images of the bundled MNIST, 784x12, PCD-1, the same seed and options
     * but for centering; the test log-likelihood is exact (log Z by enumerating the 2^12 hidden states).
     * "Not worse" is judged on the paired per-image differences {@code d = ll_centered - ll_plain}: the
     * mean difference must not lie more than three standard errors ({@code sd(d) / sqrt(300)}) below
     * zero, the spread one would see between two equally good models scored on 300 images. Both must
     * beat the independent-pixel model of the training means, so the comparison is between models that
     * learned something.
     */
    @Test
    void centeredTrainingDoesNoWorseThanUncentered() throws java.io.IOException {
        Dataset all = Mnist.embedded();
        Dataset train = all.slice(0, 300);
        Dataset test = all.slice(300, 600);
        RbmOptions.Builder o = RbmOptions.builder().hidden(12).holdout(0).chains(50).batchSize(20).learningRate(0.05)
                .momentum(0.5).epochs(5).metricsEvery(5).seed(3);
        double[] plain = perImageLogLikelihood(train, test, o.centering(false).build());
        double[] centered = perImageLogLikelihood(train, test, o.centering(true).build());
        assertCenteredNotWorse(centered, plain, baseRateLogLikelihood(train, test));
    }

    /**
     * The judgement of the test above on the exact per-image test log-likelihoods of two models trained alike
     * but for centering: the mean paired difference {@code centered - plain} no more than three standard
     * errors below zero, and both above {@code base}, the independent-pixel model's.
     */
    public static void assertCenteredNotWorse(double[] centered, double[] plain, double base) {
        int n = plain.length;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += (centered[i] - plain[i]) / n;
        }
        double var = 0;
        for (int i = 0; i < n; i++) {
            double d = centered[i] - plain[i] - mean;
            var += d * d / (n - 1);
        }
        double se = Math.sqrt(var / n);
        double llPlain = average(plain);
        double llCentered = average(centered);
        String summary = String.format("test LL centered %.2f, plain %.2f, base rates %.2f nats; mean difference %.2f "
                + "+- %.2f (s.e.)", llCentered, llPlain, base, mean, se);
        assertTrue(mean >= -3 * se, summary);
        assertTrue(llCentered > base && llPlain > base, summary);
    }

    private double[] perImageLogLikelihood(Dataset train, Dataset test, RbmOptions o) {
        try (Rbm rbm = Rbm.fit(backend, train, o, Checkpointing.none())) {
            double logZ = rbm.exactLogPartition();
            double[] f = rbm.freeEnergy(test);
            double[] ll = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                ll[i] = -f[i] - logZ;
            }
            return ll;
        }
    }

    /** The log-likelihood per image of independent pixels with the binarized training means (clipped as in the RBM). */
    public static double baseRateLogLikelihood(Dataset train, Dataset test) {
        int nv = train.cols();
        double[] p = new double[nv];
        float[] tv = train.values();
        for (int r = 0; r < train.rows(); r++) {
            for (int i = 0; i < nv; i++) {
                p[i] += (tv[r * nv + i] >= 0.5f ? 1.0 : 0.0) / train.rows();
            }
        }
        float[] x = test.values();
        double ll = 0;
        for (int r = 0; r < test.rows(); r++) {
            for (int i = 0; i < nv; i++) {
                double q = Math.min(Math.max(p[i], Rbm.BASE_RATE_EPS), 1 - Rbm.BASE_RATE_EPS);
                ll += (x[r * nv + i] >= 0.5f ? Math.log(q) : Math.log(1 - q)) / test.rows();
            }
        }
        return ll;
    }

    private static double average(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x / a.length;
        }
        return s;
    }
}
