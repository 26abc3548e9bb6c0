package org.ebm4j.dbm;

import java.util.Arrays;
import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.AisEstimator;
import org.ebm4j.rbm.AisOptions;
import org.ebm4j.rbm.AisResult;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;

/**
 * Annealed importance sampling of a DBM's {@code log Z} (Salakhutdinov and Hinton 2009, following
 * Salakhutdinov and Murray 2008) on the even layers, with the odd layers summed out analytically:
 * <pre>
 *   log p*_beta(x_even) = sum_{l even} (beta b_l + (1 - beta) a_l) . x_l
 *                       + sum_{l odd} sum_j softplus(beta (b_lj + (x_{l-1} W_l + x_{l+1} W_{l+1}')_j))
 * </pre>
 * The base model ({@code beta = 0}) has visible biases {@code a_0} from the training data's base rates
 * (log-odds of the pixel means) and {@code a_l = 0} on the even hidden layers, so
 * {@code log Z_A = sum_i softplus(a_0i) + (hidden units) log 2}. At {@code beta = 1} it is the DBM's
 * marginal over the even layers, whose normalizer is the DBM's {@code Z}. The transition at
 * {@code beta}: sample the odd layers given the even ones with every input scaled by {@code beta}, then the
 * even layers given the odd ones with scaled inputs and mixed biases; it leaves {@code p_beta} of the
 * joint (and so of the even layers) invariant. The runs are the rows of one batch; the schedule is
 * {@link AisEstimator#betas(int)}.
 */
final class DbmAis {
    private DbmAis() {
    }

    static AisResult estimate(Dbm dbm, float[] visibleMeans, AisOptions options) {
        Objects.requireNonNull(options, "options");
        int[] sizes = dbm.sizes();
        if (visibleMeans != null && visibleMeans.length != sizes[0]) {
            throw new IllegalArgumentException("AIS base rates need " + sizes[0] + " visible means, found "
                    + visibleMeans.length);
        }
        double[] betas = AisEstimator.betas(options.betas());
        int runs = options.runs();
        RandomStream rng = StreamId.DBM_AIS.open(options.seed());
        Backend b = dbm.backend();
        Sampler sampler = b.sampler();
        int layers = sizes.length;
        float[] a0 = new float[sizes[0]];
        double logZBase = 0;
        for (int l = 1; l < layers; l++) {
            logZBase += sizes[l] * Math.log(2.0);
        }
        for (int i = 0; i < a0.length; i++) {
            a0[i] = visibleMeans == null ? 0f : Rbm.logOdds(visibleMeans[i]);
            logZBase += DbmExact.softplus(a0[i]);
        }
        Tensor[] x = new Tensor[layers];
        Tensor[] pre = new Tensor[layers];
        Tensor[] base = new Tensor[layers];
        Tensor[] diff = new Tensor[layers];
        Tensor[] mix = new Tensor[layers];
        double[] logW = new double[runs];
        float[] hostPartial = new float[runs];
        try (Tensor sp = b.allocate(runs, 1); Tensor partial = b.allocate(runs, 1)) {
            for (int l = 0; l < layers; l++) {
                x[l] = b.allocate(runs, sizes[l]);
                pre[l] = b.allocate(runs, sizes[l]);
                if (l % 2 == 0) {
                    base[l] = l == 0 ? b.fromArray(a0, 1, sizes[0]) : b.allocate(1, sizes[l]);
                    diff[l] = b.allocate(1, sizes[l]);
                    mix[l] = b.allocate(1, sizes[l]);
                    b.sub(dbm.bias(l), base[l], diff[l]);
                    sampler.sampleSigmoidBernoulli(x[l], base[l], 1f, null, x[l], rng);
                }
            }
            LayerScales uniform = LayerScales.uniform(layers);
            float[] betaScale = new float[layers];
            LayerScales scaled = new LayerScales(betaScale, betaScale);
            int pending = 0;
            for (int k = 1; k < betas.length; k++) {
                float beta = (float) betas[k];
                float prev = (float) betas[k - 1];
                float step = (float) (betas[k] - betas[k - 1]);
                for (int l = 0; l < layers; l += 2) {
                    b.gemm(false, true, step, x[l], diff[l], 1f, partial);
                }
                for (int l = 1; l < layers; l += 2) {
                    dbm.layerInput(x, l, uniform, pre[l]);
                    b.softplusRowSums(pre[l], dbm.bias(l), beta, sp);
                    b.axpy(1f, sp, partial);
                    b.softplusRowSums(pre[l], dbm.bias(l), prev, sp);
                    b.axpy(-1f, sp, partial);
                }
                if (++pending == 64 || k == betas.length - 1) {
                    partial.copyTo(hostPartial, 0);
                    for (int r = 0; r < runs; r++) {
                        logW[r] += hostPartial[r];
                    }
                    b.fill(partial, 0f);
                    pending = 0;
                }
                if (k < betas.length - 1) {
                    for (int l = 1; l < layers; l += 2) {
                        sampler.sampleSigmoidBernoulli(pre[l], dbm.bias(l), beta, null, x[l], rng);
                    }
                    Arrays.fill(betaScale, beta);
                    for (int l = 0; l < layers; l += 2) {
                        b.scale(beta, dbm.bias(l), mix[l]);
                        b.axpy(1f - beta, base[l], mix[l]);
                        dbm.layerInput(x, l, scaled, pre[l]);
                        sampler.sampleSigmoidBernoulli(pre[l], mix[l], 1f, null, x[l], rng);
                    }
                }
            }
        } finally {
            Tensor.closeAll(x);
            Tensor.closeAll(pre);
            Tensor.closeAll(base);
            Tensor.closeAll(diff);
            Tensor.closeAll(mix);
        }
        return AisEstimator.summarize(logW, logZBase, betas.length);
    }
}
