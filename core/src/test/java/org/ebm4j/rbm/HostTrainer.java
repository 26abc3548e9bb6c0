package org.ebm4j.rbm;

import static org.ebm4j.testing.HostArrays.toDouble;

import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;

/**
 * A plain double-precision re-implementation of the training algorithm documented on
 * {@link RbmTrainer} (Bernoulli visibles, CD and PCD, momentum SGD, with or without centering), taking its random numbers from the same Philox streams
 * in the same order. The parity test runs both and compares the weights.
 */
final class HostTrainer {
    private final RbmOptions cfg;
    private final int nv;
    private final int nh;
    final double[] w;
    final double[] b;
    final double[] c;
    private final double[] vw;
    private final double[] vb;
    private final double[] vc;
    private final double[][] chains;
    private final double[][] data;
    private final RandomStream sampling;
    private final RandomStream shuffle;
    /** The centering offsets (null without centering). */
    private final double[] mu;
    private final double[] lambda;
    private int epochs;

    HostTrainer(RbmParameters init, RbmOptions cfg, double[][] data) {
        this.cfg = cfg;
        this.nv = init.visible();
        this.nh = init.hidden();
        this.w = toDouble(init.weights());
        this.b = toDouble(init.visibleBias());
        this.c = toDouble(init.hiddenBias());
        this.vw = new double[nv * nh];
        this.vb = new double[nv];
        this.vc = new double[nh];
        this.data = data;
        this.sampling = StreamId.RBM_SAMPLING.open(cfg.seed());
        this.shuffle = StreamId.RBM_SHUFFLE.open(cfg.seed());
        if (cfg.method() == TrainingMethod.PCD) {
            int[] perm = StreamId.RBM_CHAIN_INIT.open(cfg.seed()).permutation(data.length);
            chains = new double[cfg.chains()][];
            for (int i = 0; i < chains.length; i++) {
                chains[i] = data[perm[i % data.length]].clone();
            }
        } else {
            chains = null;
        }
        if (cfg.centering()) {
            mu = new double[nv];
            for (double[] row : data) {
                for (int i = 0; i < nv; i++) {
                    mu[i] += row[i] / data.length;
                }
            }
            lambda = new double[nh];
            java.util.Arrays.fill(lambda, RbmTrainer.INITIAL_HIDDEN_OFFSET);
        } else {
            mu = null;
            lambda = null;
        }
    }


    void epoch() {
        double lr = cfg.learningRate(epochs);
        int[] perm = shuffle.permutation(data.length);
        int bs = Math.min(cfg.batchSize(), data.length);
        for (int off = 0; off < data.length; off += bs) {
            int rows = Math.min(bs, data.length - off);
            double[][] v0 = new double[rows][];
            for (int r = 0; r < rows; r++) {
                v0[r] = data[perm[off + r]];
            }
            step(v0, lr);
        }
        epochs++;
    }

    /** P(h = 1 | v) for each row of {@code v}. */
    private double[][] hiddenProbs(double[][] v) {
        return sigmoidLayer(v, nv, c, nh, 1);
    }

    /** P(v = 1 | h) for each row of {@code h}: the same weights, transposed. */
    private double[][] visibleProbs(double[][] h) {
        return sigmoidLayer(h, nh, b, 1, nh);
    }

    /**
     * {@code sigmoid(bias[o] + sum_k in[r][k] * w[k * inStride + o * outStride])} over the first
     * {@code ins} columns of every row {@code r}, for every output {@code o}: w is {@code nv x nh}
     * row-major, so strides (nh, 1) read it as is and (1, nh) transposed.
     */
    private double[][] sigmoidLayer(double[][] in, int ins, double[] bias, int inStride, int outStride) {
        double[][] p = new double[in.length][bias.length];
        for (int r = 0; r < in.length; r++) {
            for (int o = 0; o < bias.length; o++) {
                double x = bias[o];
                for (int k = 0; k < ins; k++) {
                    x += in[r][k] * w[k * inStride + o * outStride];
                }
                p[r][o] = 1.0 / (1.0 + Math.exp(-x));
            }
        }
        return p;
    }

    private double[][] sample(double[][] p) {
        long draw = sampling.nextDraw();
        int cols = p[0].length;
        double[][] s = new double[p.length][cols];
        for (int r = 0; r < p.length; r++) {
            for (int j = 0; j < cols; j++) {
                float u = Philox.uniform(sampling.seed(), sampling.streamId(), draw, (long) r * cols + j);
                s[r][j] = u < (float) p[r][j] ? 1 : 0;
            }
        }
        return s;
    }

    private void step(double[][] v0, double lr) {
        double[][] pos = hiddenProbs(v0);
        double[][] vn;
        double[][] pn;
        int k = cfg.k();
        if (chains == null) {
            double[][] h = sample(pos);
            vn = null;
            pn = null;
            for (int t = 1; t <= k; t++) {
                vn = sample(visibleProbs(h));
                double[][] ph = hiddenProbs(vn);
                if (t < k) {
                    h = sample(ph);
                } else {
                    pn = ph;
                }
            }
        } else {
            for (int t = 1; t <= k; t++) {
                double[][] h = sample(hiddenProbs(chains));
                double[][] nvs = sample(visibleProbs(h));
                for (int i = 0; i < chains.length; i++) {
                    chains[i] = nvs[i];
                }
            }
            vn = chains;
            pn = hiddenProbs(chains);
        }
        if (mu != null) {
            movingAverage(mu, v0);
            movingAverage(lambda, pos);
        }
        if (cfg.hasSparsity()) {
            for (double[] row : pos) {
                for (int j = 0; j < nh; j++) {
                    row[j] = (1 - cfg.sparsityCost()) * row[j] + cfg.sparsityCost() * cfg.sparsityTarget();
                }
            }
        }
        double m = cfg.momentum();
        double a = lr / v0.length;
        double an = lr / vn.length;
        for (int i = 0; i < nv; i++) {
            for (int j = 0; j < nh; j++) {
                double g = 0;
                double mi = mu == null ? 0 : mu[i];
                double lj = lambda == null ? 0 : lambda[j];
                for (int r = 0; r < v0.length; r++) {
                    g += a * (v0[r][i] - mi) * (pos[r][j] - lj);
                }
                for (int r = 0; r < vn.length; r++) {
                    g -= an * (vn[r][i] - mi) * (pn[r][j] - lj);
                }
                int q = i * nh + j;
                vw[q] = m * vw[q] + g - lr * cfg.weightDecay() * w[q];
            }
        }
        for (int q = 0; q < w.length; q++) {
            w[q] += vw[q];
        }
        updateBias(b, vb, v0, vn, a, an, m);
        updateBias(c, vc, pos, pn, a, an, m);
        if (mu != null) {
            // The centered biases took their steps; the ordinary ones also move by -step_W lambda, -step_W^T mu.
            for (int i = 0; i < nv; i++) {
                for (int j = 0; j < nh; j++) {
                    b[i] -= vw[i * nh + j] * lambda[j];
                    c[j] -= vw[i * nh + j] * mu[i];
                }
            }
        }
    }

    /** {@code offset = (1 - nu) offset + nu * (column means of rows)}. */
    private static void movingAverage(double[] offset, double[][] rows) {
        double nu = RbmTrainer.CENTERING_RATE;
        for (int i = 0; i < offset.length; i++) {
            double mean = 0;
            for (double[] row : rows) {
                mean += row[i] / rows.length;
            }
            offset[i] = (1 - nu) * offset[i] + nu * mean;
        }
    }

    /**
     * A momentum step of one layer's bias: velocity = m * velocity + a * (sum of the positive rows)
     * - an * (sum of the negative rows), then bias += velocity.
     */
    private static void updateBias(double[] bias, double[] velocity, double[][] positive, double[][] negative,
                                   double a, double an, double m) {
        for (int i = 0; i < bias.length; i++) {
            double g = 0;
            for (double[] row : positive) {
                g += a * row[i];
            }
            for (double[] row : negative) {
                g -= an * row[i];
            }
            velocity[i] = m * velocity[i] + g;
            bias[i] += velocity[i];
        }
    }
}
