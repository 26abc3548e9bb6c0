package org.ebm4j.rbm;

import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.SettingChecks;

/**
 * How {@link Rbm#estimateLogPartition} runs annealed importance sampling ({@link AisEstimator}).
 *
 * @param runs  parallel annealing runs ({@code >= 1})
 * @param betas inverse temperatures from 0 to 1 ({@code >= 3}; {@link AisEstimator#betas(int)} spaces them)
 * @param seed  seed of the sampling stream ({@link org.ebm4j.random.StreamId#RBM_AIS})
 */
public record AisOptions(int runs, int betas, long seed) {

    public AisOptions {
        SettingChecks.atLeast("ais runs", runs, 1);
        SettingChecks.atLeast("ais betas", betas, 3);
    }

    /**
     * Refuses, before any work, an estimate for a model of {@code visible} and {@code hidden} units
     * whose arrays cannot fit in this JVM's heap ({@link MemoryEstimate#require}): each run is a chain
     * of visible and hidden states with its probabilities (2 arrays) and its log weight; the schedule is
     * one double a temperature, and the estimator keeps a copy.
     */
    public void requireMemory(long visible, long hidden) {
        MemoryEstimate.require("ais_runs", MemoryEstimate.floats(2, runs, visible + hidden + 2), "the " + runs
                + " AIS runs");
        MemoryEstimate.require("ais_betas", MemoryEstimate.doubles(2, betas), "the " + betas + " AIS temperatures");
    }

    /** Salakhutdinov and Murray's schedule: 100 runs, 14,500 inverse temperatures, seed 1. */
    public static AisOptions defaults() {
        return new AisOptions(AisEstimator.DEFAULT_RUNS, AisEstimator.DEFAULT_BETAS, 1L);
    }
}
