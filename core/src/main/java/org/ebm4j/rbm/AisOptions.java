package org.ebm4j.rbm;

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

    /** Salakhutdinov and Murray's schedule: 100 runs, 14,500 inverse temperatures, seed 1. */
    public static AisOptions defaults() {
        return new AisOptions(AisEstimator.DEFAULT_RUNS, AisEstimator.DEFAULT_BETAS, 1L);
    }
}
