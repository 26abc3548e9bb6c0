package org.ebm4j.hmc;

import java.util.Objects;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * Random-walk Metropolis ("perturb and accept", the sampler HMC improves on in Hinton's lecture) over
 * the same chains-as-rows {@link EnergyFunction} as {@link HmcSampler}: each transition proposes
 * {@code q' = q + sigma N(0, I)} for every chain at once on the backend and accepts with probability
 * {@code min(1, exp(U(q) - U(q')))}. One energy evaluation per chain and transition, no gradient.
 *
 * <p>It takes {@link HmcOptions} and returns an {@link HmcResult} so that the two samplers are run and
 * compared the same way (effective sample sizes, MCSE checks): {@code stepSize} is the proposal's
 * standard deviation {@code sigma}, adapted during warm-up by dual averaging toward {@code targetAccept}
 * when {@code adaptStepSize} is set (about 0.23 is the classic optimum for a random walk in many
 * dimensions; HMC's default 0.8 makes steps too small); {@code chains}, {@code warmup}, {@code draws},
 * {@code keepDraws}, {@code initSd} and {@code seed} mean what they mean for HMC, and the leapfrog, jitter
 * and mass-matrix settings are not used. The result reports 0 leapfrog steps and an identity metric.
 */
public final class MetropolisSampler {
    private MetropolisSampler() {
    }

    /**
     * Samples {@code energy}: chains start at {@code N(0, initSd^2)} per coordinate (drawn from
     * {@link StreamId#METROPOLIS_INIT}), every proposal and decision draws from
     * {@link StreamId#METROPOLIS_SAMPLING}, both under {@link HmcOptions#seed()}.
     */
    public static HmcResult sample(EnergyFunction energy, HmcOptions options) {
        Objects.requireNonNull(options, "options");
        Backend b = energy.backend();
        try (Tensor init = b.allocate(options.chains(), energy.dimension())) {
            b.sampler().fillNormal(init, 0f, (float) options.initSd(), StreamId.METROPOLIS_INIT.open(options.seed()));
            return sample(energy, init, options, StreamId.METROPOLIS_SAMPLING.open(options.seed()));
        }
    }

    /** Runs warm-up then the kept transitions from the rows of {@code initial}, every draw from {@code rng}. */
    public static HmcResult sample(EnergyFunction energy, Tensor initial, HmcOptions options, RandomStream rng) {
        energy.checkPositions("MetropolisSampler", initial);
        Backend b = energy.backend();
        int n = initial.rows();
        int d = initial.cols();
        try (Tensor q = b.allocate(n, d);
             Tensor proposal = b.allocate(n, d);
             Tensor e = b.allocate(n, 1);
             Tensor ep = b.allocate(n, 1)) {
            b.copy(initial, q);
            energy.energy(q, e);
            float[] current = e.toArray();
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(current[i])) {
                    throw new IllegalStateException("chain " + i + " starts where the energy is " + current[i]
                            + "; start the chains where the energy is finite");
                }
            }
            double sigma = options.stepSize();
            boolean adapt = options.adaptStepSize() && options.warmup() > 0;
            DualAveraging adaptation = new DualAveraging(options.targetAccept(), options.gamma(), options.kappa(),
                    options.t0());
            if (adapt) {
                adaptation.restart(sigma);
            }
            float[] qs = new float[n * d];
            float[] ps = new float[n * d];
            for (int it = 0; it < options.warmup(); it++) {
                double accept = transition(energy, q, proposal, ep, current, qs, ps, (float) sigma, rng)[0];
                if (adapt) {
                    sigma = adaptation.update(accept);
                }
            }
            if (adapt) {
                sigma = adaptation.finalStepSize();
            }
            float[][] draws = options.keepDraws() ? new float[options.draws()][] : null;
            double acceptSum = 0;
            long accepted = 0;
            for (int it = 0; it < options.draws(); it++) {
                double[] s = transition(energy, q, proposal, ep, current, qs, ps, (float) sigma, rng);
                acceptSum += s[0];
                accepted += (long) s[1];
                if (draws != null) {
                    draws[it] = q.toArray();
                }
            }
            double[] identity = new double[d];
            java.util.Arrays.fill(identity, 1);
            int total = Math.max(1, options.draws());
            return new HmcResult(n, d, draws, q.toArray(), sigma, identity, 0, acceptSum / total,
                    (double) accepted / ((long) n * total), 0, 0, Double.NaN, 0);
        }
    }

    // One proposal per chain; returns {mean acceptance probability, accepted count}.
    private static double[] transition(EnergyFunction energy, Tensor q, Tensor proposal, Tensor ep, float[] current,
                                       float[] qs, float[] ps, float sigma, RandomStream rng) {
        Backend b = q.backend();
        int n = q.rows();
        int d = q.cols();
        b.sampler().fillNormal(proposal, 0f, sigma, rng);
        b.add(proposal, q, proposal);
        energy.energy(proposal, ep);
        float[] proposed = ep.toArray();
        long draw = rng.nextDraw();
        q.copyTo(qs);
        proposal.copyTo(ps);
        double probSum = 0;
        int accepted = 0;
        for (int i = 0; i < n; i++) {
            double delta = (double) current[i] - proposed[i];
            double p = Float.isFinite(proposed[i]) ? Math.min(1, Math.exp(delta)) : 0;
            probSum += p;
            if (Philox.uniform(rng.seed(), rng.streamId(), draw, i) < p) {
                System.arraycopy(ps, i * d, qs, i * d, d);
                current[i] = proposed[i];
                accepted++;
            }
        }
        q.copyFrom(qs);
        return new double[] {probSum / n, accepted};
    }
}
