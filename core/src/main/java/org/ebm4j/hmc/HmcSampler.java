package org.ebm4j.hmc;

import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hamiltonian Monte Carlo over many chains: warm-up with dual-averaging step-size adaptation toward a
 * target acceptance rate and, optionally, a diagonal mass matrix estimated in Stan's doubling windows
 * (the step size search and dual averaging restart after each window); then sampling with both
 * frozen. Every random draw comes from the given {@link RandomStream}, so a run is reproducible on
 * any backend.
 */
public final class HmcSampler {
    private static final Logger LOG = LoggerFactory.getLogger(HmcSampler.class);

    private HmcSampler() {
    }

    public static HmcResult sample(EnergyFunction energy, Tensor initial, HmcSettings settings, RandomStream rng) {
        return sample(energy, initial, settings, rng, HmcListener.NONE);
    }

    /**
     * Runs {@code settings.warmup()} adaptation transitions then {@code settings.draws()} sampling
     * transitions of every chain, starting at the rows of {@code initial} ({@code chains x d}).
     */
    public static HmcResult sample(EnergyFunction energy, Tensor initial, HmcSettings settings, RandomStream rng,
                                   HmcListener listener) {
        int steps = settings.leapfrogSteps();
        try (HmcChains chains = new HmcChains(energy, initial)) {
            chains.setDivergenceThreshold(settings.divergenceThreshold());
            int n = chains.chains();
            int d = chains.dimension();
            double eps = settings.stepSize();
            DualAveraging adaptation = new DualAveraging(settings.targetAccept(), settings.gamma(), settings.kappa(),
                    settings.t0());
            boolean adaptStep = settings.adaptStepSize() && settings.warmup() > 0;
            if (adaptStep) {
                eps = chains.findReasonableStepSize(eps, rng);
                adaptation.restart(eps);
            }
            WarmupWindows windows = new WarmupWindows(settings.adaptMass() ? settings.warmup() : 0);
            RunningMoments moments = new RunningMoments(d);
            float[] positions = new float[n * d];
            long warmupDivergences = 0;
            for (int it = 0; it < settings.warmup(); it++) {
                TrajectoryStats stats = chains.transition(jittered(eps, settings, rng), steps, rng);
                warmupDivergences += stats.divergent();
                listener.onTransition(true, it, eps, stats);
                if (adaptStep) {
                    eps = adaptation.update(stats.meanAcceptProbability());
                }
                if (windows.collects(it)) {
                    chains.positions().copyTo(positions);
                    moments.addRows(positions, n);
                }
                if (windows.endsWindow(it)) {
                    chains.metric().setInverseMass(moments.regularizedVariance());
                    moments.reset();
                    if (adaptStep) {
                        eps = chains.findReasonableStepSize(eps, rng);
                        adaptation.restart(eps);
                    }
                }
            }
            if (adaptStep) {
                eps = adaptation.finalStepSize();
                LOG.debug("adapted step size {} after {} warm-up transitions", eps, settings.warmup());
            }
            float[][] draws = settings.keepDraws() ? new float[settings.draws()][] : null;
            double acceptSum = 0;
            long accepted = 0;
            long divergences = 0;
            double absErrorSum = 0;
            long finiteErrors = 0;
            double maxAbsError = 0;
            for (int it = 0; it < settings.draws(); it++) {
                TrajectoryStats stats = chains.transition(jittered(eps, settings, rng), steps, rng);
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
                        divergences, (long) n * settings.draws(), settings.divergenceThreshold(), eps);
            }
            int total = settings.draws();
            return new HmcResult(n, d, draws, chains.positions().toArray(), eps, chains.metric().inverseMass(), steps,
                    acceptSum / total, (double) accepted / ((long) n * total), divergences, warmupDivergences,
                    finiteErrors == 0 ? Double.NaN : absErrorSum / finiteErrors, maxAbsError);
        }
    }

    // One host uniform from its own draw of the stream, so the jitter is reproducible on every backend.
    static float jittered(double eps, HmcSettings settings, RandomStream rng) {
        double jitter = settings.stepSizeJitter();
        if (jitter == 0) {
            return (float) eps;
        }
        double u = Philox.uniform(rng.seed(), rng.streamId(), rng.nextDraw(), 0);
        return (float) (eps * (1 + jitter * (2 * u - 1)));
    }
}
