package org.ebm4j.rbm;

import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsBuilder;
import org.ebm4j.train.Range;

/**
 * How {@link Rbm#estimateLogPartition} runs annealed importance sampling ({@link AisEstimator}).
 * Immutable and validated on construction against the ranges its option table declares under the keys
 * {@code ais_runs}, {@code ais_betas} and {@code seed}.
 *
 * @param runs  parallel annealing runs ({@code >= 1})
 * @param betas inverse temperatures from 0 to 1 ({@code >= 3}; {@link AisEstimator#betas(int)} spaces them)
 * @param seed  seed of the sampling stream ({@link org.ebm4j.random.StreamId#RBM_AIS})
 */
public record AisOptions(int runs, int betas, long seed) {

    public AisOptions {
        FIELDS.check(runs, betas, seed);
    }

    private static final OptionTable<AisOptions, Builder> FIELDS = OptionTable
            .<AisOptions, Builder>of(AisOptions.class, "AIS options")
            .add("ais_runs", AisEstimator.DEFAULT_RUNS, Range.atLeast(1).boundedByMemory())
            .add("ais_betas", AisEstimator.DEFAULT_BETAS, Range.atLeast(3).boundedByMemory())
            .add("seed", 1L)
            .build(Builder::new);

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

    /** The builder an option table needs; nothing builds AIS options through it. */
    private static final class Builder extends OptionsBuilder<AisOptions, Builder> {
        private Builder() {
            super(FIELDS);
        }
    }
}
