package org.ebm4j.dbn;

import static org.ebm4j.testing.HostArrays.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ebm4j.eval.LogSumExp;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * Backpropagation against central finite differences of a double-precision host implementation of
 * the same network and loss: every weight and bias of a small 3-layer network.
 */
class ClassifierGradientTest {
    private static final int[] SIZES = {6, 5, 4, 3};
    private static final int ROWS = 7;

    /** Mean cross-entropy of the network in double: sigmoid hidden layers, softmax output. */
    static double hostLoss(double[][] w, double[][] b, float[] x, float[] t) {
        int layers = SIZES.length - 1;
        double total = 0;
        for (int r = 0; r < ROWS; r++) {
            double[] a = new double[SIZES[0]];
            for (int j = 0; j < a.length; j++) {
                a[j] = x[r * SIZES[0] + j];
            }
            for (int l = 0; l < layers; l++) {
                double[] z = new double[SIZES[l + 1]];
                for (int o = 0; o < z.length; o++) {
                    double s = b[l][o];
                    for (int i = 0; i < a.length; i++) {
                        s += a[i] * w[l][i * z.length + o];
                    }
                    z[o] = l + 1 < layers ? 1 / (1 + Math.exp(-s)) : s;
                }
                a = z;
            }
            double logSum = LogSumExp.of(a);
            for (int c = 0; c < a.length; c++) {
                total -= t[r * a.length + c] * (a[c] - logSum);
            }
        }
        return total / ROWS;
    }

    @Test
    void backpropMatchesFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = new float[ROWS * SIZES[0]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble();
        }
        int[] labels = new int[ROWS];
        for (int r = 0; r < ROWS; r++) {
            labels[r] = rnd.nextInt(SIZES[3]);
        }
        float[] t = ClassificationResult.oneHot(labels, SIZES[3]);
        // Soft targets on one row, so non-one-hot targets are covered too.
        t[0] = 0.25f;
        t[1] = 0.5f;
        t[2] = 0.25f;
        try (Backend backend = new ReferenceBackend(); Classifier net = new Classifier(backend, SIZES);
             Tensor tx = backend.fromArray(x, ROWS, SIZES[0]); Tensor tt = backend.fromArray(t, ROWS, SIZES[3]);
             Classifier.Workspace ws = net.workspace(ROWS)) {
            net.initializeRandom(0.8f, new RandomStream(3, 1));
            float[][] bf = net.hostBiases();
            for (float[] row : bf) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) (rnd.nextDouble() - 0.5);
                }
            }
            net.load(net.hostWeights(), bf);
            net.gradient(tx, tt, ws);
            float[][] wf = net.hostWeights();
            double[][] w = new double[wf.length][];
            double[][] b = new double[bf.length][];
            for (int l = 0; l < wf.length; l++) {
                w[l] = toDouble(wf[l]);
                b[l] = toDouble(bf[l]);
            }
            double meanLoss = backend.sum(ws.losses()) / ROWS;
            assertEquals(hostLoss(w, b, x, t), meanLoss, 1e-5, "per-row losses");
            double h = 1e-5;
            int checked = 0;
            for (int l = 0; l < w.length; l++) {
                float[] gw = ws.gradWeights(l).toArray();
                float[] gb = ws.gradBias(l).toArray();
                for (double[][] p : new double[][][] {w, b}) {
                    float[] g = p == w ? gw : gb;
                    for (int i = 0; i < p[l].length; i++) {
                        double keep = p[l][i];
                        p[l][i] = keep + h;
                        double up = hostLoss(w, b, x, t);
                        p[l][i] = keep - h;
                        double down = hostLoss(w, b, x, t);
                        p[l][i] = keep;
                        double fd = (up - down) / (2 * h);
                        // float backprop rounding (~1e-7 relative) plus O(h^2) truncation
                        double tol = 2e-6 + 1e-4 * Math.abs(fd);
                        assertTrue(Math.abs(g[i] - fd) <= tol, (p == w ? "W" : "b") + l + "[" + i + "]: backprop "
                                + g[i] + " vs finite difference " + fd);
                        checked++;
                    }
                }
            }
            assertEquals(6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3, checked);
        }
    }

}
