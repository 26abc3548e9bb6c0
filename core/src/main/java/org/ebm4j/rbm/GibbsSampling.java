package org.ebm4j.rbm;

import org.ebm4j.data.Dataset;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tempering.ParallelTempering;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/** Drawing samples from an RBM by block Gibbs sampling on its backend. */
public final class GibbsSampling {
    private GibbsSampling() {
    }

    /**
     * Runs {@code chains} independent chains for {@code steps} block-Gibbs steps and returns the
     * last step's visible means {@code E[v | h]} ({@code chains x nv}, row-major, on the host):
     * smoother to look at than binary samples. Chains start from independent draws with per-unit
     * means {@code startMeans} (Bernoulli: probabilities; Gaussian: means, unit variance), or 0.5 /
     * the visible biases when {@code startMeans} is null. Takes {@code max(2 * steps, 1)} draws from
     * {@code rng}.
     */
    public static float[] visibleMeans(Rbm rbm, int chains, int steps, float[] startMeans, RandomStream rng) {
        checkRun(chains, steps);
        Backend b = rbm.backend();
        int nv = rbm.visible();
        try (Tensor v = b.allocate(chains, nv);
             Tensor pre = b.allocate(chains, rbm.hidden());
             Tensor h = b.allocate(chains, rbm.hidden())) {
            drawStart(rbm, startMeans, v, rng);
            for (int s = 0; s < steps; s++) {
                rbm.sampleHidden(v, pre, null, h, rng);
                if (s + 1 < steps) {
                    rbm.sampleVisible(h, v, rng);
                } else {
                    rbm.visibleMean(h, v);
                }
            }
            return v.toArray();
        }
    }

    private static void checkRun(int chains, int steps) {
        if (chains <= 0 || steps < 0) {
            throw new IllegalArgumentException("sampling needs chains >= 1 and steps >= 0, found " + chains + " chains, "
                    + steps + " steps");
        }
    }

    /**
     * Independent draws into {@code v} with per-unit means {@code startMeans} (Bernoulli: probabilities;
     * Gaussian: means, unit variance), or 0.5 / the visible biases when null; one draw from {@code rng}.
     */
    private static void drawStart(Rbm rbm, float[] startMeans, Tensor v, RandomStream rng) {
        Backend b = rbm.backend();
        int nv = rbm.visible();
        float[] start = new float[nv];
        for (int i = 0; i < nv; i++) {
            if (startMeans != null) {
                start[i] = rbm.visibleType() == VisibleType.BERNOULLI ? Rbm.logOdds(startMeans[i]) : startMeans[i];
            }
        }
        try (Tensor bias = startMeans != null ? b.fromArray(start, 1, nv) : null) {
            Tensor startBias = bias != null ? bias : (rbm.visibleType() == VisibleType.BERNOULLI ? null : rbm.visibleBias());
            if (rbm.visibleType() == VisibleType.BERNOULLI) {
                b.sampler().sampleSigmoidBernoulli(v, startBias, 1f, null, v, rng);
            } else {
                b.sampler().sampleGaussian(v, startBias, 1f, v, rng);
            }
        }
    }

    /**
     * Parallel tempering ({@link ParallelTempering}) of {@code chains} ladders at the inverse
     * temperatures {@code betas} (Bernoulli visibles only): every replica starts from independent draws
     * as in {@link #visibleMeans}, then {@code sweeps} times one sweep at every temperature and one round
     * of swaps; returns the visible means {@code E[v | h]} of the chains at {@code beta = 1}
     * ({@code chains x nv}, row-major) and the swap rates. Gibbs draws come from {@code gibbs} (one for
     * the start, two per sweep), swap decisions from {@code swaps} (one per sweep).
     */
    public static TemperedSamples tempered(Rbm rbm, int chains, int sweeps, double[] betas, float[] startMeans,
                                           RandomStream gibbs, RandomStream swaps) {
        checkRun(chains, sweeps);
        Backend b = rbm.backend();
        try (TemperedRbm model = new TemperedRbm(rbm, betas.length * chains);
             ParallelTempering pt = new ParallelTempering(model, betas, chains);
             Tensor v = b.allocate(chains, rbm.visible());
             Tensor h = b.allocate(chains, rbm.hidden())) {
            try (Tensor all = b.allocate(betas.length * chains, rbm.visible())) {
                drawStart(rbm, startMeans, all, gibbs);
                b.copy(all, pt.layer(0));
            }
            for (int s = 0; s < sweeps; s++) {
                pt.step(1, gibbs, swaps);
            }
            pt.coldRows(1, h);
            rbm.visibleMean(h, v);
            return new TemperedSamples(Dataset.of("tempered samples of " + rbm, chains,
                    rbm.visible(), v.toArray()), betas, pt.swapRates());
        }
    }
}
