package org.ebm4j.cli.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.rbm.AisEstimator;
import org.ebm4j.rbm.AisOptions;
import org.ebm4j.rbm.AisResult;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.TrainingMethod;
import org.junit.jupiter.api.Test;

/**
 * The acceptance check "AIS log Z on a trained 784x16 MNIST RBM is within 0.5 nats of the exact
 * value", CI-sized: the RBM is trained briefly on the embedded MNIST images (PCD-1), then AIS
 * with the default schedule (14,500 inverse temperatures, 100 runs) is compared with exact
 * enumeration of the 16 hidden units.
 */
class AisOnMnistTest {
    @Test
    void aisIsWithinHalfANatOfExactOnA784x16MnistRbm() throws Exception {
        Dataset d = Mnist.embedded().slice(0, 5000);
        RbmOptions options = RbmOptions.builder().hidden(16).holdout(0).method(TrainingMethod.PCD).k(1).chains(100)
                .learningRate(0.1).momentum(0.5).batchSize(100).epochs(5).seed(11).build();
        try (Rbm rbm = Rbm.fit(d, options)) {
            double exact = rbm.exactLogPartition();
            AisResult ais = rbm.estimateLogPartition(new AisOptions(AisEstimator.DEFAULT_RUNS, AisEstimator.DEFAULT_BETAS, 2));
            String msg = "exact " + exact + ", AIS " + ais.logZ() + " [" + ais.logZLow() + ", " + ais.logZHigh() + "]";
            System.out.println("784x16 MNIST RBM: " + msg + ", log Z_A " + ais.logZBase());
            assertEquals(exact, ais.logZ(), 0.5, msg);
            assertTrue(ais.logZLow() - 0.05 <= exact && exact <= ais.logZHigh() + 0.05, msg);
            assertTrue(Math.abs(exact - ais.logZBase()) > 1.0,
                    "the trained model is far from the base model, so the annealing had work to do: " + msg
                            + ", log Z_A " + ais.logZBase());
        }
    }
}
