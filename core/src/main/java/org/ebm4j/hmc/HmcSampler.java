package org.ebm4j.hmc;

import java.util.Objects;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hamiltonian Monte Carlo over many chains: warm-up with dual-averaging step-size adaptation toward a
 * target acceptance rate and, optionally, a diagonal mass matrix estimated in Stan's doubling windows
 * (the step size search and dual averaging restart after each window); then sampling with both
 * frozen. Every random draw comes from a Philox stream, so a run is reproducible on any backend.
 *
 * <p>The one call is {@link #sample(EnergyFunction, HmcOptions)}: it draws the starting points, warms
 * up, samples and returns the draws with their diagnostics. The other forms start from given points
 * and draw from a given stream, for callers that choose both (an energy model's fantasies).
 */
public final class HmcSampler {
    private static final Logger LOG = LoggerFactory.getLogger(HmcSampler.class);

    private HmcSampler() {
    }

    /**
     * Samples {@code energy} as {@code options} say: {@link HmcOptions#chains()} chains starting at
     * {@code N(0, initSd^2)} per coordinate (drawn from {@link StreamId#HMC_INIT}), warm-up, then the
     * kept draws, every transition drawing from {@link StreamId#HMC_SAMPLING}, both under
     * {@link HmcOptions#seed()}.
     */
    public static HmcResult sample(EnergyFunction energy, HmcOptions options) {
        return sample(energy, options, HmcListener.NONE);
    }

    /** {@link #sample(EnergyFunction, HmcOptions)} with a callback per transition. */
    public static HmcResult sample(EnergyFunction energy, HmcOptions options, HmcListener listener) {
        Objects.requireNonNull(options, "options");
        options.requireMemory(energy.dimension());
        Backend b = energy.backend();
        try (Tensor init = b.allocate(options.chains(), energy.dimension())) {
            b.sampler().fillNormal(init, 0f, (float) options.initSd(), StreamId.HMC_INIT.open(options.seed()));
            return sample(energy, init, options, StreamId.HMC_SAMPLING.open(options.seed()), listener);
        }
    }

    /** {@link #sample(EnergyFunction, Tensor, HmcOptions, RandomStream, HmcListener)} without a callback. */
    public static HmcResult sample(EnergyFunction energy, Tensor initial, HmcOptions options, RandomStream rng) {
        return sample(energy, initial, options, rng, HmcListener.NONE);
    }

    /**
     * Runs {@code options.warmup()} adaptation transitions then {@code options.draws()} sampling
     * transitions of every chain, starting at the rows of {@code initial} ({@code chains x d}; its row
     * count is the number of chains), every random draw from {@code rng}. The options' chains, initial
     * spread and seed are not used here: the caller gave the starts and the stream.
     */
    public static HmcResult sample(EnergyFunction energy, Tensor initial, HmcOptions options, RandomStream rng,
                                   HmcListener listener) {
        int steps = options.leapfrogSteps();
        try (HmcChains chains = new HmcChains(energy, initial)) {
            chains.setDivergenceThreshold(options.divergenceThreshold());
            int n = chains.chains();
            int d = chains.dimension();
            double eps = options.stepSize();
            DualAveraging adaptation = new DualAveraging(options.targetAccept(), options.gamma(), options.kappa(),
                    options.t0());
            boolean adaptStep = options.adaptStepSize() && options.warmup() > 0;
            if (adaptStep) {
                eps = chains.findReasonableStepSize(eps, rng);
                adaptation.restart(eps);
            }
            MetricAdaptation metric = new MetricAdaptation(
                    new WarmupWindows(options.adaptMass() ? options.warmup() : 0), d);
            float[] positions = new float[n * d];
            long warmupDivergences = 0;
            for (int it = 0; it < options.warmup(); it++) {
                TrajectoryStats stats = chains.transition(jittered(eps, options, rng), steps, rng);
                warmupDivergences += stats.divergent();
                listener.onTransition(true, it, eps, stats);
                if (adaptStep) {
                    eps = adaptation.update(stats.meanAcceptProbability());
                }
                if (metric.collects(it)) {
                    chains.positions().copyTo(positions);
                }
                double[] inverseMass = metric.observe(it, positions, n);
                if (inverseMass != null) {
                    chains.metric().setInverseMass(inverseMass);
                    if (adaptStep) {
                        eps = chains.findReasonableStepSize(eps, rng);
                        adaptation.restart(eps);
                    }
                }
            }
            if (adaptStep) {
                eps = adaptation.finalStepSize();
                LOG.debug("adapted step size {} after {} warm-up transitions", eps, options.warmup());
            }
            float[][] draws = options.keepDraws() ? new float[options.draws()][] : null;
            double acceptSum = 0;
            long accepted = 0;
            long divergences = 0;
            double absErrorSum = 0;
            long finiteErrors = 0;
            double maxAbsError = 0;
            for (int it = 0; it < options.draws(); it++) {
                TrajectoryStats stats = chains.transition(jittered(eps, options, rng), steps, rng);
                listener.onTransition(false, it, eps, stats);
                acceptSum += stats.meanAcceptProbability();
                accepted += stats.accepted();
                divergences += stats.divergent();
                if (stats.finiteEnergyErrors() > 0) {
                    absErrorSum += stats.meanAbsEnergyError() * stats.finiteEnergyErrors();
                    finiteErrors += stats.finiteEnergyErrors();
                }
                maxAbsError = Math.max(maxAbsError, stats.maxAbsEnergyError());
                if (draws != null) {
                    draws[it] = chains.positions().toArray();
                }
            }
            if (divergences > 0) {
                LOG.warn("{} of {} transitions diverged (energy error above {}); the step size {} is likely too large",
                        divergences, (long) n * options.draws(), options.divergenceThreshold(), eps);
            }
            int total = options.draws();
            return new HmcResult(n, d, draws, chains.positions().toArray(), eps, chains.metric().inverseMass(), steps,
                    acceptSum / total, (double) accepted / ((long) n * total), divergences, warmupDivergences,
                    finiteErrors == 0 ? Double.NaN : absErrorSum / finiteErrors, maxAbsError);
        }
    }

    // One host uniform from its own draw of the stream, so the jitter is reproducible on every backend.
    static float jittered(double eps, HmcOptions options, RandomStream rng) {
        double jitter = options.stepSizeJitter();
        if (jitter == 0) {
            return (float) eps;
        }
        double u = Philox.uniform(rng.seed(), rng.streamId(), rng.nextDraw(), 0);
        return (float) (eps * (1 + jitter * (2 * u - 1)));
    }
}
