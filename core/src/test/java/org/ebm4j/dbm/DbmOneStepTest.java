package org.ebm4j.dbm;

import static org.ebm4j.testing.HostArrays.toFloat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.RbmTrainer;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One joint DBM update, weights and biases, against the step computed here in plain double arrays from
 * the formulas: the mean-field positive phase solved here to its fixed point, the persistent chains'
 * states after their sweep taken as the fixed samples of the negative phase.
 */
@ExtendWith(NoLeakedTensors.class)
class DbmOneStepTest {
    private static final int[] SIZES = {4, 3, 2};
    private static final int ROWS = 5;
    private static final int CHAINS = 6;
    private static final float LR = 0.3f;
    private static final double DECAY = 0.02;

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * Mean field {@code mu_l = sigmoid(b_l + mu_{l-1} W_l + mu_{l+1} W_{l+1}')} (Salakhutdinov and
     * Hinton 2009, eq. 9) iterated to machine precision; the weights are small enough (|w| <= 0.5 on
     * layers of at most 4 units, so each map is a contraction with constant below 0.5) that the fixed
     * point is unique and does not depend on where the iteration starts.
     */
    private static double[][][] meanField(DbmParameters p, float[] v) {
        int depth = SIZES.length - 1;
        double[][][] mu = new double[ROWS][depth + 1][];
        for (int r = 0; r < ROWS; r++) {
            mu[r][0] = new double[SIZES[0]];
            for (int i = 0; i < SIZES[0]; i++) {
                mu[r][0][i] = v[r * SIZES[0] + i];
            }
            for (int l = 1; l <= depth; l++) {
                mu[r][l] = new double[SIZES[l]];
            }
            for (int sweep = 0; sweep < 200; sweep++) {
                for (int l = 1; l <= depth; l++) {
                    for (int j = 0; j < SIZES[l]; j++) {
                        double a = p.biases().get(l)[j];
                        for (int i = 0; i < SIZES[l - 1]; i++) {
                            a += mu[r][l - 1][i] * p.weight(l, i, j);
                        }
                        for (int k = 0; l < depth && k < SIZES[l + 1]; k++) {
                            a += p.weight(l + 1, j, k) * mu[r][l + 1][k];
                        }
                        mu[r][l][j] = sigmoid(a);
                    }
                }
            }
        }
        return mu;
    }

    /**
     * {@code W_l += lr (<s_{l-1}' s_l>_data - <s_{l-1}' s_l>_model - decay W_l)},
     * {@code b_l += lr (<s_l>_data - <s_l>_model)} (no decay on biases, momentum 0); with centering the
     * moments are of {@code s - mu} at the offsets moved to {@code (1 - nu) mu + nu (mean(data) +
     * mean(model)) / 2} (Montavon and Mueller 2012), and the ordinary biases, being
     * {@code b_l = b'_l - mu_{l-1}' W_l - W_{l+1} mu_{l+1}}, also take {@code -mu_{l-1}' dW_l - dW_{l+1} mu_{l+1}}.
     * Tolerance: every term is a sum of at most 6 float products of magnitude <= 1 (relative rounding
     * 6e-8 each), the library's mean field stops at an RMS change of 1e-9, and lr = 0.3: 2e-6 is above
     * the accumulated float error and far below the smallest change a wrong term would make (lr / 30).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void oneUpdateEqualsTheHandComputedStepOnEveryWeightAndBias(boolean centering) {
        DbmParameters start = BruteForceDbm.random(SIZES, 0.5, 83);
        SplittableRandom rnd = new SplittableRandom(89);
        float[] v = new float[ROWS * SIZES[0]];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(2);
        }
        DbmOptions o = DbmOptions.builder().hidden(SIZES[1], SIZES[2]).chains(CHAINS).batchSize(ROWS).momentum(0)
                .weightDecay(DECAY).centering(centering).meanField(new MeanField(1e-9, 500, 0)).build();
        DbmTrainer.Stage stage = new DbmTrainer.Stage(DbmTrainer.JOINT, 1, e -> LR, LayerScales.uniform(SIZES.length),
                StreamId.DBM_SAMPLING, StreamId.DBM_SHUFFLE, StreamId.DBM_CHAIN_INIT, 97);
        int depth = SIZES.length - 1;
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, start);
             Tensor data = b.fromArray(v, ROWS, SIZES[0]);
             DbmTrainer trainer = new DbmTrainer(dbm, o, stage, data);
             MeanFieldPass pass = trainer.newPass(ROWS)) {
            Tensor[] centered = trainer.newCenteredStates(ROWS);
            // Every workspace the step writes starts as NaN, so an element it fails to write shows below.
            for (int l = 0; l <= depth; l++) {
                b.fill(trainer.gradientOfBias(l), Float.NaN);
                if (l > 0) {
                    b.fill(trainer.gradientOfWeights(l), Float.NaN);
                    b.fill(pass.mu[l], Float.NaN);
                }
                if (centered != null) {
                    b.fill(centered[l], Float.NaN);
                }
            }
            trainer.gradient(data, pass, centered);
            trainer.update(LR);
            if (centered != null) {
                Tensor.closeAll(centered);
            }
            double[][][] pos = meanField(start, v);
            double[][][] neg = new double[CHAINS][depth + 1][];
            for (int l = 0; l <= depth; l++) {
                float[] x = trainer.chainStates(l).toArray();
                float[] q = pass.mu[l].toArray();
                for (int c = 0; c < CHAINS; c++) {
                    neg[c][l] = new double[SIZES[l]];
                    for (int j = 0; j < SIZES[l]; j++) {
                        neg[c][l][j] = x[c * SIZES[l] + j];
                        assertEquals(neg[c][l][j] == 1 ? 1 : 0, neg[c][l][j], "chain states are binary");
                    }
                }
                for (int r = 0; r < ROWS; r++) {
                    for (int j = 0; j < SIZES[l]; j++) {
                        assertEquals(pos[r][l][j], q[r * SIZES[l] + j], 1e-6, "mean field layer " + l);
                    }
                }
            }
            double[][] a = new double[depth + 1][];
            double[][] x = new double[depth + 1][];
            double[][] mu = new double[depth + 1][];
            for (int l = 0; l <= depth; l++) {
                a[l] = mean(pos, l);
                x[l] = mean(neg, l);
                mu[l] = new double[SIZES[l]];
                for (int j = 0; j < SIZES[l]; j++) {
                    // Start: the data's column means for the visibles, 1/2 for every hidden unit.
                    double initial = l == 0 ? a[0][j] : 0.5;
                    double nu = RbmTrainer.CENTERING_RATE;
                    mu[l][j] = centering ? (1 - nu) * initial + nu * (a[l][j] + x[l][j]) / 2 : 0;
                }
            }
            if (centering) {
                for (int l = 0; l <= depth; l++) {
                    assertArrayEquals(toFloat(mu[l]), trainer.centeringOffsets().get(l), 1e-6f, "offset " + l);
                }
            }
            double[][] dW = new double[depth + 1][];
            for (int l = 1; l <= depth; l++) {
                dW[l] = new double[SIZES[l - 1] * SIZES[l]];
                for (int i = 0; i < SIZES[l - 1]; i++) {
                    for (int j = 0; j < SIZES[l]; j++) {
                        double g = moment(pos, mu, l, i, j) - moment(neg, mu, l, i, j);
                        dW[l][i * SIZES[l] + j] = LR * (g - DECAY * start.weight(l, i, j));
                    }
                }
            }
            DbmParameters got = dbm.parameters();
            for (int l = 0; l <= depth; l++) {
                double[] bias = new double[SIZES[l]];
                for (int j = 0; j < SIZES[l]; j++) {
                    bias[j] = start.biases().get(l)[j] + LR * (a[l][j] - x[l][j]);
                    for (int i = 0; l > 0 && i < SIZES[l - 1]; i++) {
                        bias[j] -= mu[l - 1][i] * dW[l][i * SIZES[l] + j];
                    }
                    for (int k = 0; l < depth && k < SIZES[l + 1]; k++) {
                        bias[j] -= dW[l + 1][j * SIZES[l + 1] + k] * mu[l + 1][k];
                    }
                }
                assertArrayEquals(toFloat(bias), got.biases().get(l), 2e-6f, "b" + l);
                if (l > 0) {
                    double[] w = new double[dW[l].length];
                    for (int k = 0; k < w.length; k++) {
                        w[k] = start.weights().get(l - 1)[k] + dW[l][k];
                    }
                    assertArrayEquals(toFloat(w), got.weights().get(l - 1), 2e-6f, "W" + l);
                }
            }
        }
    }

    private static double[] mean(double[][][] states, int l) {
        double[] m = new double[SIZES[l]];
        for (double[][] s : states) {
            for (int j = 0; j < m.length; j++) {
                m[j] += s[l][j] / states.length;
            }
        }
        return m;
    }

    /** {@code mean over rows of (s_{l-1,i} - mu_{l-1,i}) (s_{l,j} - mu_{l,j})}. */
    private static double moment(double[][][] states, double[][] mu, int l, int i, int j) {
        double sum = 0;
        for (double[][] s : states) {
            sum += (s[l - 1][i] - mu[l - 1][i]) * (s[l][j] - mu[l][j]);
        }
        return sum / states.length;
    }

}
