package org.ebm4j.hmc;


import java.util.Map;
import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsBuilder;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.Range;

/**
 * Everything that determines an {@link HmcSampler} run besides the target: the chains and where they
 * start, the trajectory shape, warm-up and adaptation, the seed, and whether the draws are kept.
 * Immutable and validated on construction (messages name the option, the range and the value found);
 * build with {@link #builder()}, whose defaults are those of {@code ebm hmc sample}.
 *
 * @param chains              chains run in parallel ({@code >= 1})
 * @param warmup              warm-up (adaptation) transitions per chain, not kept ({@code >= 0})
 * @param draws               transitions per chain after warm-up, each one draw ({@code >= 1})
 * @param leapfrogSteps       leapfrog steps per trajectory ({@code >= 1})
 * @param stepSize            the step size: fixed, or the starting point of adaptation
 * @param adaptStepSize       dual averaging of the step size during warm-up
 * @param adaptMass           a diagonal mass matrix estimated in Stan's warm-up windows
 * @param targetAccept        the acceptance rate dual averaging aims at, in (0, 1)
 * @param gamma               dual averaging's gamma ({@code > 0})
 * @param kappa               dual averaging's kappa, in (0.5, 1]
 * @param t0                  dual averaging's t0 ({@code >= 0})
 * @param divergenceThreshold energy errors above this (or not finite) count as divergent
 * @param stepSizeJitter      each transition uses {@code stepSize * (1 + jitter * (2u - 1))} with {@code u}
 *                            uniform (shared by all chains): a randomized trajectory length, so no direction
 *                            of the target stays in resonance with a fixed trajectory (where a period of the
 *                            dynamics divides the trajectory time and HMC stops moving along it); 0 turns it
 *                            off; in [0, 1)
 * @param keepDraws           whether every draw of every chain is copied to the host (R-hat and ESS need them)
 * @param initSd              the chains start at {@code N(0, initSd^2)} per coordinate ({@code >= 0}); used by
 *                            {@link HmcSampler#sample(EnergyFunction, HmcOptions)}, which draws the starts
 * @param seed                the seed of the starts ({@link org.ebm4j.random.StreamId#HMC_INIT}) and of every
 *                            draw of the transitions ({@link org.ebm4j.random.StreamId#HMC_SAMPLING})
 */
public record HmcOptions(int chains, int warmup, int draws, int leapfrogSteps, double stepSize, boolean adaptStepSize,
                         boolean adaptMass, double targetAccept, double gamma, double kappa, double t0,
                         double divergenceThreshold, double stepSizeJitter, boolean keepDraws, double initSd,
                         long seed)
        implements OptionsRecord<HmcOptions, HmcOptions.Builder> {

    public HmcOptions {
        FIELDS.check(chains, warmup, draws, leapfrogSteps, stepSize, adaptStepSize, adaptMass, targetAccept, gamma,
                kappa, t0, divergenceThreshold, stepSizeJitter, keepDraws, initSd, seed);
    }

    private static final OptionTable<HmcOptions, Builder> FIELDS = OptionTable
            .<HmcOptions, Builder>of(HmcOptions.class, "HMC options")
            .add("chains", 4, Range.atLeast(1).boundedByMemory())
            .add("warmup", 500, Range.atLeast(0))
            .add("draws", 500, Range.atLeast(1))
            .add("leapfrog_steps", 10, Range.atLeast(1))
            .add("step_size", 0.1, Range.positiveFinite())
            .add("adapt_step_size", true)
            .add("adapt_mass", false)
            .add("target_accept", DualAveraging.DEFAULT_TARGET, Range.open(0, 1))
            .add("dual_averaging_gamma", DualAveraging.DEFAULT_GAMMA, Range.positiveFinite())
            .add("dual_averaging_kappa", DualAveraging.DEFAULT_KAPPA, Range.openClosed(0.5, 1))
            .add("dual_averaging_t0", DualAveraging.DEFAULT_T0, Range.nonNegativeFinite())
            .add("divergence_threshold", HmcChains.DEFAULT_DIVERGENCE_THRESHOLD, Range.positive())
            .add("step_size_jitter", 0.2, Range.closedOpen(0, 1))
            .add("keep_draws", true)
            .add("init_sd", 2.0, Range.nonNegativeFinite())
            .add("seed", 1L)
            .build(Builder::new);

    /**
     * Refuses, before any work, a run of these options on a {@code dimension}-dimensional energy whose
     * arrays cannot fit in this JVM's heap ({@link MemoryEstimate#require}): the chains' positions,
     * momenta, gradients and proposals (4 arrays of {@code dimension} values a chain), and the kept
     * draws ({@code draws x chains x dimension}, and the copy the diagnostics make of them).
     */
    public void requireMemory(int dimension) {
        MemoryEstimate.require("chains", MemoryEstimate.floats(4, chains, dimension), "the " + chains + " chains of "
                + dimension + " dimensions");
        if (keepDraws) {
            MemoryEstimate.require("draws", MemoryEstimate.floats(2, draws, chains, dimension), "the " + draws
                    + " kept draws of " + chains + " chains");
        }
    }

    /** Reads {@link #toMap()} back; a missing, malformed or unknown key is an error naming it. */
    public static HmcOptions fromMap(Map<String, String> map) {
        return FIELDS.fromMap(map);
    }

    /** A builder with the defaults of {@code ebm hmc sample}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults of {@code ebm hmc sample}: 4 chains from {@code N(0, 2^2)}, 500 warm-up and 500 kept
     * transitions of 10 leapfrog steps, step size 0.1 adapted by Stan's dual averaging toward 0.8
     * acceptance, jitter 0.2, identity mass matrix, draws kept, seed 1.
     */
    public static final class Builder extends OptionsBuilder<HmcOptions, Builder> {
        private Builder() {
            super(FIELDS);
        }

        public Builder chains(int v) {
            return set("chains", v);
        }

        public Builder warmup(int v) {
            return set("warmup", v);
        }

        public Builder draws(int v) {
            return set("draws", v);
        }

        public Builder leapfrogSteps(int v) {
            return set("leapfrog_steps", v);
        }

        public Builder stepSize(double v) {
            return set("step_size", v);
        }

        public Builder adaptStepSize(boolean v) {
            return set("adapt_step_size", v);
        }

        public Builder adaptMass(boolean v) {
            return set("adapt_mass", v);
        }

        public Builder targetAccept(double v) {
            return set("target_accept", v);
        }

        public Builder gamma(double v) {
            return set("dual_averaging_gamma", v);
        }

        public Builder kappa(double v) {
            return set("dual_averaging_kappa", v);
        }

        public Builder t0(double v) {
            return set("dual_averaging_t0", v);
        }

        public Builder divergenceThreshold(double v) {
            return set("divergence_threshold", v);
        }

        public Builder stepSizeJitter(double v) {
            return set("step_size_jitter", v);
        }

        public Builder keepDraws(boolean v) {
            return set("keep_draws", v);
        }

        public Builder initSd(double v) {
            return set("init_sd", v);
        }

        public Builder seed(long v) {
            return set("seed", v);
        }
    }
}
