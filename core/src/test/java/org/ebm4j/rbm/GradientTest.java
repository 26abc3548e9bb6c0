package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.ebm4j.train.TrainingState;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On a 6x4 Bernoulli RBM, one CD-k / PCD-k update with a very long chain (k = 50) and many
 * chains must equal the exact log-likelihood gradient from enumeration, up to Monte Carlo error:
 * each negative statistic is a mean of {@code C} independent draws of a bounded function, so its
 * standard error is {@code sd / sqrt(C)} with {@code sd} computed exactly from the model
 * distribution. The test allows 5 standard errors per parameter (a false alarm over the 34
 * parameters has probability below 2e-5), plus float rounding.
 */
class GradientTest {
    private static final int NV = 6;
    private static final int NH = 4;
    private static final int DATA = 8;
    private static final int CHAINS = 20_000;
    private static final int K = 50;

    @ParameterizedTest
    @EnumSource(TrainingMethod.class)
    void longChainGradientMatchesExactGradient(TrainingMethod method) {
        RbmParameters p = HostRbm.random(VisibleType.BERNOULLI, NV, NH, 0.6, 0.4, 3);
        HostRbm host = new HostRbm(p);
        Random r = new Random(17);
        double[][] data = new double[DATA][NV];
        for (double[] row : data) {
            for (int i = 0; i < NV; i++) {
                row[i] = r.nextBoolean() ? 1 : 0;
            }
        }
        // Exact positive and negative statistics (and the negative ones' per-draw variances).
        double[] pos = new double[NV * NH + NV + NH];
        for (double[] v : data) {
            accumulate(host, v, 1.0 / DATA, pos, null);
        }
        double[] exactNeg = new double[pos.length];
        double[] secondMoment = new double[pos.length];
        double[][] vs = HostRbm.allStates(NV);
        double[] pv = host.visibleDistribution();
        for (int k = 0; k < vs.length; k++) {
            accumulate(host, vs[k], pv[k], exactNeg, secondMoment);
        }
        // CD: the batch is the data replicated to CHAINS rows (the chains start at the data);
        // PCD: the batch is the data, and CHAINS persistent chains start at data rows.
        int rows = method == TrainingMethod.CD ? CHAINS : DATA;
        float[] flat = new float[rows * NV];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < NV; j++) {
                flat[i * NV + j] = (float) data[i % DATA][j];
            }
        }
        RbmOptions cfg = RbmOptions.builder().method(method).k(K).chains(CHAINS).learningRate(1.0)
                .momentum(0).batchSize(rows).epochs(1).seed(5).build();
        Backend b = new ReferenceBackend();
        float[] vel;
        try (Rbm rbm = Rbm.of(b, p); Tensor d = b.fromArray(flat, rows, NV); RbmTrainer t = new RbmTrainer(rbm, cfg, d)) {
            t.trainEpoch(List.of());
            TrainingState s = t.state();
            vel = concat(s.array("velocity.W", NV, p.hidden()), s.array("velocity.vbias", 1, NV),
                    s.array("velocity.hbias", 1, p.hidden()));
        }
        int failures = 0;
        StringBuilder report = new StringBuilder();
        double worst = 0;
        for (int q = 0; q < pos.length; q++) {
            double exactGrad = pos[q] - exactNeg[q];
            double sd = Math.sqrt(Math.max(secondMoment[q] - exactNeg[q] * exactNeg[q], 0));
            double se = sd / Math.sqrt(CHAINS);
            double z = Math.abs(vel[q] - exactGrad) / (se + 1e-9);
            worst = Math.max(worst, z);
            if (Math.abs(vel[q] - exactGrad) > 5 * se + 1e-5) {
                failures++;
                report.append(String.format("%n param %d: got %.6f exact %.6f se %.6f", q, vel[q], exactGrad, se));
            }
        }
        assertTrue(failures == 0, method + ": " + failures + " parameters beyond 5 standard errors:" + report);
        assertTrue(worst > 0, "the comparison compared something");
    }

    /** Adds weight * (v_i p_j, v_i, p_j) to acc and weight * their squares to sq. */
    private static void accumulate(HostRbm host, double[] v, double weight, double[] acc, double[] sq) {
        double[] pj = new double[NH];
        for (int j = 0; j < NH; j++) {
            pj[j] = host.hiddenProb(v, j);
        }
        for (int i = 0; i < NV; i++) {
            for (int j = 0; j < NH; j++) {
                double f = v[i] * pj[j];
                acc[i * NH + j] += weight * f;
                if (sq != null) {
                    sq[i * NH + j] += weight * f * f;
                }
            }
            acc[NV * NH + i] += weight * v[i];
            if (sq != null) {
                sq[NV * NH + i] += weight * v[i] * v[i];
            }
        }
        for (int j = 0; j < NH; j++) {
            acc[NV * NH + NV + j] += weight * pj[j];
            if (sq != null) {
                sq[NV * NH + NV + j] += weight * pj[j] * pj[j];
            }
        }
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] a : parts) {
            n += a.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, o, a.length);
            o += a.length;
        }
        return out;
    }
}
