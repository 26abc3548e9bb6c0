package org.ebm4j.hmc;

/** Progress callback of {@link HmcSampler}: one call per transition of all chains. */
@FunctionalInterface
public interface HmcListener {
    /**
     * @param warmup whether the transition belongs to warm-up
     * @param iteration 0-based index within its phase
     * @param stepSize the step size the transition used
     * @param stats what the transition did
     */
    void onTransition(boolean warmup, int iteration, double stepSize, TrajectoryStats stats);

    HmcListener NONE = (warmup, iteration, stepSize, stats) -> { };
}
