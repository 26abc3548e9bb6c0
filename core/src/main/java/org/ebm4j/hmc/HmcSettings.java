package org.ebm4j.hmc;

import org.ebm4j.train.SettingChecks;

/**
 * The settings of an {@link HmcSampler} run: trajectory shape, warm-up and adaptation, bookkeeping.
 * Immutable; build with {@link #builder()}. Every setter validates its argument and names it in the
 * error.
 */
public final class HmcSettings {
    private final double stepSize;
    private final int leapfrogSteps;
    private final int warmup;
    private final int draws;
    private final boolean adaptStepSize;
    private final boolean adaptMass;
    private final double targetAccept;
    private final double gamma;
    private final double kappa;
    private final double t0;
    private final double divergenceThreshold;
    private final boolean keepDraws;
    private final double stepSizeJitter;

    private HmcSettings(Builder b) {
        this.stepSize = b.stepSize;
        this.leapfrogSteps = b.leapfrogSteps;
        this.warmup = b.warmup;
        this.draws = b.draws;
        this.adaptStepSize = b.adaptStepSize;
        this.adaptMass = b.adaptMass;
        this.targetAccept = b.targetAccept;
        this.gamma = b.gamma;
        this.kappa = b.kappa;
        this.t0 = b.t0;
        this.divergenceThreshold = b.divergenceThreshold;
        this.keepDraws = b.keepDraws;
        this.stepSizeJitter = b.stepSizeJitter;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The step size: fixed, or the starting point of adaptation. */
    public double stepSize() {
        return stepSize;
    }

    public int leapfrogSteps() {
        return leapfrogSteps;
    }

    /** Warm-up transitions (adaptation only; not kept). */
    public int warmup() {
        return warmup;
    }

    /** Transitions per chain after warm-up, each one draw. */
    public int draws() {
        return draws;
    }

    public boolean adaptStepSize() {
        return adaptStepSize;
    }

    public boolean adaptMass() {
        return adaptMass;
    }

    public double targetAccept() {
        return targetAccept;
    }

    public double gamma() {
        return gamma;
    }

    public double kappa() {
        return kappa;
    }

    public double t0() {
        return t0;
    }

    public double divergenceThreshold() {
        return divergenceThreshold;
    }

    /** Whether every draw of every chain is copied to the host (needed for R-hat and ESS). */
    public boolean keepDraws() {
        return keepDraws;
    }

    /**
     * Each transition uses {@code stepSize * (1 + jitter * (2u - 1))} with {@code u} uniform (shared by
     * all chains): a randomized trajectory length, so no direction of the target stays in resonance
     * with a fixed trajectory (where a period of the dynamics divides the trajectory time and HMC
     * stops moving along it). 0 turns it off.
     */
    public double stepSizeJitter() {
        return stepSizeJitter;
    }

    @Override
    public String toString() {
        return "HmcSettings[stepSize=" + stepSize + ", leapfrogSteps=" + leapfrogSteps + ", warmup=" + warmup
                + ", draws=" + draws + ", adaptStepSize=" + adaptStepSize + ", adaptMass=" + adaptMass
                + ", targetAccept=" + targetAccept + ", gamma=" + gamma + ", kappa=" + kappa + ", t0=" + t0
                + ", divergenceThreshold=" + divergenceThreshold + ", keepDraws=" + keepDraws + ", stepSizeJitter="
                + stepSizeJitter + "]";
    }

    /** Defaults: step size 0.1 (adapted), jitter 0.2, 10 leapfrog steps, 500 warm-up, 500 draws, Stan's dual averaging. */
    public static final class Builder {
        private double stepSize = 0.1;
        private int leapfrogSteps = 10;
        private int warmup = 500;
        private int draws = 500;
        private boolean adaptStepSize = true;
        private boolean adaptMass = false;
        private double targetAccept = DualAveraging.DEFAULT_TARGET;
        private double gamma = DualAveraging.DEFAULT_GAMMA;
        private double kappa = DualAveraging.DEFAULT_KAPPA;
        private double t0 = DualAveraging.DEFAULT_T0;
        private double divergenceThreshold = HmcChains.DEFAULT_DIVERGENCE_THRESHOLD;
        private boolean keepDraws = true;
        private double stepSizeJitter = 0.2;

        private Builder() {
        }

        public Builder stepSize(double v) {
            stepSize = SettingChecks.positiveFinite("step size", v);
            return this;
        }

        public Builder leapfrogSteps(int v) {
            leapfrogSteps = SettingChecks.atLeast("leapfrog steps", v, 1);
            return this;
        }

        public Builder warmup(int v) {
            warmup = SettingChecks.atLeast("warm-up iterations", v, 0);
            return this;
        }

        public Builder draws(int v) {
            draws = SettingChecks.atLeast("draws", v, 1);
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
            targetAccept = SettingChecks.inRange("target acceptance", v, 0, true, 1, false);
            return this;
        }

        public Builder gamma(double v) {
            gamma = SettingChecks.positiveFinite("dual-averaging gamma", v);
            return this;
        }

        public Builder kappa(double v) {
            kappa = SettingChecks.inRange("dual-averaging kappa", v, 0.5, true, 1, true);
            return this;
        }

        public Builder t0(double v) {
            t0 = SettingChecks.nonNegativeFinite("dual-averaging t0", v);
            return this;
        }

        public Builder divergenceThreshold(double v) {
            divergenceThreshold = SettingChecks.positive("divergence threshold", v);
            return this;
        }

        public Builder keepDraws(boolean v) {
            keepDraws = v;
            return this;
        }

        public Builder stepSizeJitter(double v) {
            stepSizeJitter = SettingChecks.inRange("step size jitter", v, 0, false, 1, false);
            return this;
        }

        public HmcSettings build() {
            return new HmcSettings(this);
        }
    }
}
