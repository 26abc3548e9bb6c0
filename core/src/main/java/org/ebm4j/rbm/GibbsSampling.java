package org.ebm4j.rbm;

import org.ebm4j.random.RandomStream;
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
        if (chains <= 0 || steps < 0) {
            throw new IllegalArgumentException("sampling needs chains >= 1 and steps >= 0, found " + chains + " chains, "
                    + steps + " steps");
        }
        Backend b = rbm.backend();
        int nv = rbm.visible();
        float[] start = new float[nv];
        for (int i = 0; i < nv; i++) {
            if (startMeans != null) {
                start[i] = rbm.visibleType() == VisibleType.BERNOULLI ? Rbm.logOdds(startMeans[i]) : startMeans[i];
            }
        }
        try (Tensor bias = startMeans != null ? b.fromArray(start, 1, nv) : null;
             Tensor v = b.allocate(chains, nv);
             Tensor pre = b.allocate(chains, rbm.hidden());
             Tensor h = b.allocate(chains, rbm.hidden())) {
            Tensor startBias = bias != null ? bias : (rbm.visibleType() == VisibleType.BERNOULLI ? null : rbm.visibleBias());
            if (rbm.visibleType() == VisibleType.BERNOULLI) {
                b.sampler().sampleSigmoidBernoulli(v, startBias, 1f, null, v, rng);
            } else {
                b.sampler().sampleGaussian(v, startBias, 1f, v, rng);
            }
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
}
