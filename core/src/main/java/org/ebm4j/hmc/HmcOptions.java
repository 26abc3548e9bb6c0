package org.ebm4j.hmc;

import static org.ebm4j.train.OptionCodec.BOOL;
import static org.ebm4j.train.OptionCodec.INT;
import static org.ebm4j.train.OptionCodec.LONG;
import static org.ebm4j.train.OptionCodec.REAL;

import java.util.Map;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsBuilder;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.SettingChecks;

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
        SettingChecks.atLeast("chains", chains, 1);
        SettingChecks.atLeast("warm-up iterations", warmup, 0);
        SettingChecks.atLeast("draws", draws, 1);
        SettingChecks.atLeast("leapfrog steps", leapfrogSteps, 1);
        SettingChecks.positiveFinite("step size", stepSize);
        SettingChecks.inRange("target acceptance", targetAccept, 0, true, 1, false);
        SettingChecks.positiveFinite("dual-averaging gamma", gamma);
        SettingChecks.inRange("dual-averaging kappa", kappa, 0.5, true, 1, true);
        SettingChecks.nonNegativeFinite("dual-averaging t0", t0);
        SettingChecks.positive("divergence threshold", divergenceThreshold);
        SettingChecks.inRange("step size jitter", stepSizeJitter, 0, false, 1, false);
        SettingChecks.nonNegativeFinite("initial standard deviation", initSd);
    }

    private static final OptionTable<HmcOptions, Builder> FIELDS = OptionTable.<HmcOptions, Builder>of("HMC options")
            .add("chains", INT, HmcOptions::chains, Builder::chains)
            .add("warmup", INT, HmcOptions::warmup, Builder::warmup)
            .add("draws", INT, HmcOptions::draws, Builder::draws)
            .add("leapfrog_steps", INT, HmcOptions::leapfrogSteps, Builder::leapfrogSteps)
            .add("step_size", REAL, HmcOptions::stepSize, Builder::stepSize)
            .add("adapt_step_size", BOOL, HmcOptions::adaptStepSize, Builder::adaptStepSize)
            .add("adapt_mass", BOOL, HmcOptions::adaptMass, Builder::adaptMass)
            .add("target_accept", REAL, HmcOptions::targetAccept, Builder::targetAccept)
            .add("dual_averaging_gamma", REAL, HmcOptions::gamma, Builder::gamma)
            .add("dual_averaging_kappa", REAL, HmcOptions::kappa, Builder::kappa)
            .add("dual_averaging_t0", REAL, HmcOptions::t0, Builder::t0)
            .add("divergence_threshold", REAL, HmcOptions::divergenceThreshold, Builder::divergenceThreshold)
            .add("step_size_jitter", REAL, HmcOptions::stepSizeJitter, Builder::stepSizeJitter)
            .add("keep_draws", BOOL, HmcOptions::keepDraws, Builder::keepDraws)
            .add("init_sd", REAL, HmcOptions::initSd, Builder::initSd)
            .add("seed", LONG, HmcOptions::seed, Builder::seed)
            .build(Builder::new, b -> new HmcOptions(b.chains, b.warmup, b.draws, b.leapfrogSteps, b.stepSize,
                    b.adaptStepSize, b.adaptMass, b.targetAccept, b.gamma, b.kappa, b.t0, b.divergenceThreshold,
                    b.stepSizeJitter, b.keepDraws, b.initSd, b.seed));

    @Override
    public OptionTable<HmcOptions, Builder> optionTable() {
        return FIELDS;
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
        private int chains = 4;
        private int warmup = 500;
        private int draws = 500;
        private int leapfrogSteps = 10;
        private double stepSize = 0.1;
        private boolean adaptStepSize = true;
        private boolean adaptMass = false;
        private double targetAccept = DualAveraging.DEFAULT_TARGET;
        private double gamma = DualAveraging.DEFAULT_GAMMA;
        private double kappa = DualAveraging.DEFAULT_KAPPA;
        private double t0 = DualAveraging.DEFAULT_T0;
        private double divergenceThreshold = HmcChains.DEFAULT_DIVERGENCE_THRESHOLD;
        private double stepSizeJitter = 0.2;
        private boolean keepDraws = true;
        private double initSd = 2;
        private long seed = 1;

        private Builder() {
            super(FIELDS);
        }

        public Builder chains(int v) {
            chains = v;
            return this;
        }

        public Builder warmup(int v) {
            warmup = v;
            return this;
        }

        public Builder draws(int v) {
            draws = v;
            return this;
        }

        public Builder leapfrogSteps(int v) {
            leapfrogSteps = v;
            return this;
        }

        public Builder stepSize(double v) {
            stepSize = v;
            return this;
        }

        public Builder adaptStepSize(boolean v) {
            adaptStepSize = v;
            return this;
        }

        public Builder adaptMass(boolean v) {
            adaptMass = v;
            return this;
        }

        public Builder targetAccept(double v) {
            targetAccept = v;
            return this;
        }

        public Builder gamma(double v) {
            gamma = v;
            return this;
        }

        public Builder kappa(double v) {
            kappa = v;
            return this;
        }

        public Builder t0(double v) {
            t0 = v;
            return this;
        }

        public Builder divergenceThreshold(double v) {
            divergenceThreshold = v;
            return this;
        }

        public Builder stepSizeJitter(double v) {
            stepSizeJitter = v;
            return this;
        }

        public Builder keepDraws(boolean v) {
            keepDraws = v;
            return this;
        }

        public Builder initSd(double v) {
            initSd = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }
    }
}
