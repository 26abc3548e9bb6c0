package org.ebm4j.rbm;

import java.util.Objects;
import org.ebm4j.eval.LogSumExp;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.ProgressListener;

/**
 * Annealed importance sampling for an RBM's {@code log Z} (Salakhutdinov and Murray, "On the
 * quantitative analysis of deep belief networks", ICML 2008), with {@code M} runs in parallel as
 * the rows of one batch on the backend.
 *
 * <p>Base model A: no weights, hidden biases 0, visible biases {@code b_A} from the training
 * data (base rates: log-odds of the pixel means for Bernoulli visibles, the means for Gaussian
 * ones), so {@code log Z_A = nh log 2 + sum_i softplus(b_A_i)} (Bernoulli) or
 * {@code nh log 2 + (nv/2) log 2 pi} (Gaussian). The intermediate distributions, for
 * {@code 0 = beta_0 < ... < beta_K = 1}, interpolate the visible biases and scale the target's
 * hidden term:
 * <pre>
 *   log p*_k(v) = ((1-beta_k) b_A + beta_k b_B).v + sum_j softplus(beta_k (c_j + (v W)_j))  [- |v|^2/2 - ((1-beta)|b_A|^2 + beta |b_B|^2)/2 for Gaussian]
 * </pre>
 * so that {@code p*_K} is the model's unnormalized {@code exp(-F(v))}. Each run starts with an
 * exact sample of A; at step {@code k} it adds {@code log p*_k(v) - log p*_{k-1}(v)} to its log
 * weight, then takes one block-Gibbs step that leaves {@code p_k} invariant. Log weights are
 * accumulated on the backend for {@value #FLUSH_EVERY} steps at a time, then in double on the host.
 */
public final class AisEstimator {
    /** The number of inverse temperatures used by Salakhutdinov and Murray (500 + 4,000 + 10,000). */
    public static final int DEFAULT_BETAS = 14_500;
    public static final int DEFAULT_RUNS = 100;
    static final int FLUSH_EVERY = 64;

    private AisEstimator() {
    }

    /**
     * The schedule of Salakhutdinov and Murray scaled to {@code count} temperatures: 500/14,500 of
     * them uniformly in [0, 0.5), 4,000/14,500 in [0.5, 0.9), the rest in [0.9, 1], ending at 1.
     */
    public static double[] betas(int count) {
        if (count < 3) {
            throw new IllegalArgumentException("AIS needs at least 3 inverse temperatures, found " + count);
        }
        int n1 = Math.max(1, (int) Math.round(count * 500.0 / DEFAULT_BETAS));
        int n2 = Math.max(1, (int) Math.round(count * 4000.0 / DEFAULT_BETAS));
        int n3 = count - n1 - n2;
        double[] b = new double[count];
        int i = 0;
        for (int k = 0; k < n1; k++) {
            b[i++] = 0.5 * k / n1;
        }
        for (int k = 0; k < n2; k++) {
            b[i++] = 0.5 + 0.4 * k / n2;
        }
        for (int k = 0; k < n3; k++) {
            b[i++] = 0.9 + 0.1 * k / (n3 - 1.0);
        }
        b[count - 1] = 1.0;
        return b;
    }

    /**
     * Estimates {@code log Z} of {@code rbm}.
     *
     * @param visibleMeans the training data's per-visible means ({@code nv} values), for the base rates
     * @param betas        increasing inverse temperatures from 0 to 1 (see {@link #betas(int)})
     * @param runs         parallel annealing runs {@code M}
     * @param rng          the sampling stream (each step takes two draws)
     */
    public static AisResult estimate(Rbm rbm, float[] visibleMeans, double[] betas, int runs, RandomStream rng) {
        return estimate(rbm, visibleMeans, betas, runs, rng, ProgressListener.NONE);
    }

    /**
     * As {@link #estimate(Rbm, float[], double[], int, RandomStream)}, telling {@code progress} the
     * inverse temperatures done (of {@code betas.length - 1}) every {@value #FLUSH_EVERY} of them.
     */
    public static AisResult estimate(Rbm rbm, float[] visibleMeans, double[] betas, int runs, RandomStream rng,
            ProgressListener progress) {
        Objects.requireNonNull(rng, "rng");
        Objects.requireNonNull(progress, "progress");
        int nv = rbm.visible();
        int nh = rbm.hidden();
        if (visibleMeans.length != nv) {
            throw new IllegalArgumentException("AIS base rates need " + nv + " visible means, found " + visibleMeans.length);
        }
        if (runs <= 0) {
            throw new IllegalArgumentException("AIS needs at least one run, found " + runs);
        }
        if (betas.length < 2 || betas[0] != 0.0 || betas[betas.length - 1] != 1.0) {
            throw new IllegalArgumentException("AIS inverse temperatures must run from 0 to 1");
        }
        for (int k = 1; k < betas.length; k++) {
            if (!(betas[k] > betas[k - 1])) {
                throw new IllegalArgumentException("AIS inverse temperatures must increase; beta[" + k + "] = " + betas[k]
                        + " follows " + betas[k - 1]);
            }
        }
        boolean gaussian = rbm.visibleType() == VisibleType.GAUSSIAN;
        float[] baseBias = new float[nv];
        double logZBase = nh * Math.log(2.0);
        for (int i = 0; i < nv; i++) {
            baseBias[i] = gaussian ? visibleMeans[i] : Rbm.logOdds(visibleMeans[i]);
            if (!gaussian) {
                logZBase += softplus(baseBias[i]);
            }
        }
        if (gaussian) {
            logZBase += 0.5 * nv * Math.log(2 * Math.PI);
        }
        Backend b = rbm.backend();
        Sampler sampler = b.sampler();
        double[] logW = new double[runs];
        float[] hostPartial = new float[runs];
        try (Tensor bA = b.fromArray(baseBias, 1, nv);
             Tensor diff = b.allocate(1, nv);
             Tensor mix = b.allocate(1, nv);
             Tensor v = b.allocate(runs, nv);
             Tensor x = b.allocate(runs, nh);
             Tensor h = b.allocate(runs, nh);
             Tensor sp = b.allocate(runs, 1);
             Tensor partial = b.allocate(runs, 1)) {
            b.sub(rbm.visibleBias(), bA, diff);
            // v ~ p_0: independent units with biases b_A.
            if (gaussian) {
                sampler.sampleGaussian(v, bA, 1f, v, rng);
            } else {
                sampler.sampleSigmoidBernoulli(v, bA, 1f, null, v, rng);
            }
            int pending = 0;
            for (int k = 1; k < betas.length; k++) {
                float beta = (float) betas[k];
                float prev = (float) betas[k - 1];
                rbm.hiddenInput(v, x);
                // log p*_k(v) - log p*_{k-1}(v) = (beta_k - beta_{k-1}) (b_B - b_A).v + softplus terms
                b.gemm(false, true, (float) (betas[k] - betas[k - 1]), v, diff, 1f, partial);
                b.softplusRowSums(x, rbm.hiddenBias(), beta, sp);
                b.axpy(1f, sp, partial);
                b.softplusRowSums(x, rbm.hiddenBias(), prev, sp);
                b.axpy(-1f, sp, partial);
                if (++pending == FLUSH_EVERY || k == betas.length - 1) {
                    partial.copyTo(hostPartial, 0);
                    for (int r = 0; r < runs; r++) {
                        logW[r] += hostPartial[r];
                    }
                    b.fill(partial, 0f);
                    pending = 0;
                    progress.onProgress(k, betas.length - 1);
                }
                if (k < betas.length - 1) {
                    // One Gibbs step at beta_k: h ~ sigmoid(beta (c + v W)), v ~ p(v | h) with mixed biases.
                    sampler.sampleSigmoidBernoulli(x, rbm.hiddenBias(), beta, null, h, rng);
                    b.scale(beta, rbm.visibleBias(), mix);
                    b.axpy(1f - beta, bA, mix);
                    b.gemm(false, true, beta, h, rbm.weights(), 0f, v);
                    if (gaussian) {
                        sampler.sampleGaussian(v, mix, 1f, v, rng);
                    } else {
                        sampler.sampleSigmoidBernoulli(v, mix, 1f, null, v, rng);
                    }
                }
            }
            if (gaussian) {
                // The bias-norm term of log p*_k changes by (beta_k - beta_{k-1}) (|b_A|^2 - |b_B|^2)/2 per step.
                double shift = 0.5 * (b.dot(bA, bA) - b.dot(rbm.visibleBias(), rbm.visibleBias()));
                for (int r = 0; r < runs; r++) {
                    logW[r] += shift;
                }
            }
        }
        return summarize(logW, logZBase, betas.length);
    }

    /**
     * The estimate from the runs' log importance weights {@code logW} and the base model's {@code log Z_A}:
     * {@code log Z_A + log mean exp(logW)} with the interval {@code log(Z-hat -+ 3 sd)} ({@link AisResult}).
     */
    public static AisResult summarize(double[] logW, double logZBase, int betas) {
        int m = logW.length;
        double logMean = LogSumExp.of(logW) - Math.log(m);
        // The weights relative to their mean (their mean is 1; each is at most m, so exp cannot overflow)
        // give the standard error of the mean as a fraction of it.
        double var = 0;
        for (double w : logW) {
            double d = Math.exp(w - logMean) - 1;
            var += d * d;
        }
        double se = m > 1 ? Math.sqrt(var / (m - 1) / m) : Double.POSITIVE_INFINITY;
        double logZ = logZBase + logMean;
        double low = 1 - 3 * se > 0 ? logZ + Math.log(1 - 3 * se) : Double.NEGATIVE_INFINITY;
        double high = logZ + Math.log(1 + 3 * se);
        return new AisResult(logZ, low, high, logZBase, m, betas, logW.clone());
    }

    private static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
}
