package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class AisEstimatorTest {
    private final Backend backend = new ReferenceBackend();

    @Test
    void defaultScheduleFollowsSalakhutdinovMurray() {
        double[] b = AisEstimator.betas(AisEstimator.DEFAULT_BETAS);
        assertEquals(14_500, b.length);
        assertEquals(0.0, b[0]);
        assertEquals(1.0, b[b.length - 1]);
        assertEquals(0.5, b[500], 1e-12);
        assertEquals(0.9, b[4500], 1e-12);
        for (int k = 1; k < b.length; k++) {
            assertTrue(b[k] > b[k - 1], "increasing at " + k);
        }
        assertThrows(IllegalArgumentException.class, () -> AisEstimator.betas(2));
    }

    private static float[] means(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = 0.1f + 0.8f * r.nextFloat();
        }
        return m;
    }

    /**
     * With enough temperatures the estimate must sit inside its own +-3 sd interval around the
     * exact value, and within 0.1 nats of it (the runs' spread is reported, not assumed).
     */
    @Test
    void bernoulliEstimateMatchesExact() {
        RbmParameters p = HostRbm.random(VisibleType.BERNOULLI, 10, 6, 0.8, 0.5, 2);
        try (Rbm rbm = Rbm.of(backend, p)) {
            double exact = ExactLogPartition.compute(rbm);
            AisResult r = AisEstimator.estimate(rbm, means(10, 1), AisEstimator.betas(1000), 200, new RandomStream(3, 9));
            assertTrue(r.logZLow() <= exact && exact <= r.logZHigh(), "exact " + exact + " outside [" + r.logZLow() + ", "
                    + r.logZHigh() + "], estimate " + r.logZ());
            assertEquals(exact, r.logZ(), 0.1);
            assertEquals(200, r.runs());
        }
    }

    @Test
    void gaussianEstimateMatchesExact() {
        RbmParameters p = HostRbm.random(VisibleType.GAUSSIAN, 5, 4, 0.4, 0.5, 6);
        try (Rbm rbm = Rbm.of(backend, p)) {
            double exact = ExactLogPartition.compute(rbm);
            AisResult r = AisEstimator.estimate(rbm, new float[] {0.1f, -0.2f, 0.3f, 0f, 0.5f}, AisEstimator.betas(1000),
                    200, new RandomStream(4, 9));
            assertTrue(r.logZLow() <= exact && exact <= r.logZHigh(), "exact " + exact + " outside [" + r.logZLow() + ", "
                    + r.logZHigh() + "], estimate " + r.logZ());
            assertEquals(exact, r.logZ(), 0.1);
        }
    }

    /** A model equal to the base model: every importance weight is exactly 1, log Z = log Z_A. */
    @Test
    void baseModelIsExact() {
        float[] m = means(4, 5);
        float[] b = new float[4];
        for (int i = 0; i < 4; i++) {
            b[i] = Rbm.logOdds(m[i]);
        }
        RbmParameters p = new RbmParameters(VisibleType.BERNOULLI, 4, 3, new float[12], b, new float[3]);
        try (Rbm rbm = Rbm.of(backend, p)) {
            AisResult r = AisEstimator.estimate(rbm, m, AisEstimator.betas(50), 10, new RandomStream(1));
            assertEquals(ExactLogPartition.compute(rbm), r.logZ(), 1e-5);
            assertEquals(r.logZBase(), r.logZ(), 1e-5);
        }
    }

    /**
     * The summary against the textbook form on weights small enough to exponentiate directly:
     * Z-hat / Z_A = mean(exp(logW)) with the interval mean -+ 3 sd / sqrt(m); shifting every log weight
     * by 1000 (where exp overflows) shifts the estimate and its interval by exactly that.
     */
    @Test
    void summarizeMatchesTheDirectMeanOfTheWeightsAndSurvivesHugeOnes() {
        double[] logW = {0.1, -0.3, 0.7, 0.2, -1.1};
        double logZBase = 2.5;
        int m = logW.length;
        double mean = 0;
        for (double w : logW) {
            mean += Math.exp(w) / m;
        }
        double var = 0;
        for (double w : logW) {
            var += (Math.exp(w) - mean) * (Math.exp(w) - mean) / (m - 1);
        }
        double se = Math.sqrt(var / m);
        AisResult r = AisEstimator.summarize(logW, logZBase, 7);
        assertEquals(logZBase + Math.log(mean), r.logZ(), 1e-12);
        assertEquals(logZBase + Math.log(mean - 3 * se), r.logZLow(), 1e-12);
        assertEquals(logZBase + Math.log(mean + 3 * se), r.logZHigh(), 1e-12);
        assertEquals(m, r.runs());

        double[] huge = logW.clone();
        for (int i = 0; i < m; i++) {
            huge[i] += 1000;
        }
        AisResult h = AisEstimator.summarize(huge, logZBase, 7);
        assertEquals(r.logZ() + 1000, h.logZ(), 1e-9);
        assertEquals(r.logZLow() + 1000, h.logZLow(), 1e-9);
        assertEquals(r.logZHigh() + 1000, h.logZHigh(), 1e-9);
    }
}
