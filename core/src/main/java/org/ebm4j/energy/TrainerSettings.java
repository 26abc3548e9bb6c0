package org.ebm4j.energy;

import org.ebm4j.energy.loss.ContrastiveLoss;
import org.ebm4j.energy.loss.ContrastiveLosses;
import org.ebm4j.train.SettingChecks;

/**
 * Settings of {@link EnergyTrainer}: the update rule, the loss and how negatives are sampled. Build
 * with {@link #builder()}; every setter names its argument when it rejects it.
 */
public final class TrainerSettings {
    /** How the gradient becomes a parameter step. */
    public enum Update {
        /** {@code v = momentum v - lr g; theta += v}: classical momentum on the gradient. */
        MOMENTUM,
        /**
         * {@code v = momentum v + (1 - momentum) g; theta -= lr sign(v)} (signSGD with momentum, Bernstein
         * et al. 2018): every parameter moves by exactly {@code lr}, so weights that must grow large for
         * sharp energy walls do so at a constant pace instead of slowing with the shrinking gradient.
         */
        SIGN;

        public static Update byName(String name) {
            for (Update u : values()) {
                if (u.name().equalsIgnoreCase(name.trim())) {
                    return u;
                }
            }
            throw new IllegalArgumentException("unknown update '" + name + "'; expected momentum or sign");
        }
    }

    private final double learningRate;
    private final double momentum;
    private final double weightDecay;
    private final int batchSize;
    private final ContrastiveLoss loss;
    private final int negativesPerExample;
    private final NegativeSampling negatives;
    private final int leapfrogSteps;
    private final int trajectories;
    private final double stepSize;
    private final boolean adaptStepSize;
    private final double targetAccept;
    private final boolean metropolis;
    private final double maxGradientNorm;
    private final Update update;

    private TrainerSettings(Builder b) {
        this.learningRate = b.learningRate;
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
        this.batchSize = b.batchSize;
        this.loss = b.loss;
        this.negativesPerExample = b.negativesPerExample;
        this.negatives = b.negatives;
        this.leapfrogSteps = b.leapfrogSteps;
        this.trajectories = b.trajectories;
        this.stepSize = b.stepSize;
        this.adaptStepSize = b.adaptStepSize;
        this.targetAccept = b.targetAccept;
        this.metropolis = b.metropolis;
        this.maxGradientNorm = b.maxGradientNorm;
        this.update = b.update;
    }

    public Update update() {
        return update;
    }

    public static Builder builder() {
        return new Builder();
    }

    public double learningRate() {
        return learningRate;
    }

    public double momentum() {
        return momentum;
    }

    /** L2 weight decay: {@code weightDecay * theta} is added to the gradient of the decaying parameters. */
    public double weightDecay() {
        return weightDecay;
    }

    public int batchSize() {
        return batchSize;
    }

    public ContrastiveLoss loss() {
        return loss;
    }

    public int negativesPerExample() {
        return negativesPerExample;
    }

    public NegativeSampling negatives() {
        return negatives;
    }

    public int leapfrogSteps() {
        return leapfrogSteps;
    }

    /** HMC trajectories per update (CD: the trajectories from the data; persistent: per update). */
    public int trajectories() {
        return trajectories;
    }

    public double stepSize() {
        return stepSize;
    }

    public boolean adaptStepSize() {
        return adaptStepSize;
    }

    public double targetAccept() {
        return targetAccept;
    }

    public boolean metropolis() {
        return metropolis;
    }

    /**
     * The gradient (all parameters together, weight decay included) is rescaled to this Euclidean norm
     * when it is longer: a guard against the rare huge gradient from a negative far out in a region the
     * model has not shaped yet. Infinity (the default) turns it off.
     */
    public double maxGradientNorm() {
        return maxGradientNorm;
    }

    /**
     * Defaults: learning rate 0.01, momentum 0.9, weight decay 1e-4, batch 100, the sampled
     * maximum-likelihood loss with one negative per example from CD with one trajectory of 20 leapfrog
     * steps of size 0.05 (adapted toward 90% acceptance), Metropolis-corrected.
     */
    public static final class Builder {
        private double learningRate = 0.01;
        private double momentum = 0.9;
        private double weightDecay = 1e-4;
        private int batchSize = 100;
        private ContrastiveLoss loss = ContrastiveLosses.maximumLikelihood();
        private int negativesPerExample = 1;
        private NegativeSampling negatives = NegativeSampling.CD;
        private int leapfrogSteps = 20;
        private int trajectories = 1;
        private double stepSize = 0.05;
        private boolean adaptStepSize = true;
        private double targetAccept = 0.9;
        private boolean metropolis = true;
        private double maxGradientNorm = Double.POSITIVE_INFINITY;
        private Update update = Update.MOMENTUM;

        private Builder() {
        }

        public Builder learningRate(double v) {
            learningRate = SettingChecks.positiveFinite("learning rate", v);
            return this;
        }

        public Builder momentum(double v) {
            momentum = SettingChecks.inRange("momentum", v, 0, false, 1, false);
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = SettingChecks.nonNegativeFinite("weight decay", v);
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = SettingChecks.atLeast("batch size", v, 1);
            return this;
        }

        public Builder loss(ContrastiveLoss v) {
            loss = SettingChecks.notNull("loss", v);
            return this;
        }

        public Builder negativesPerExample(int v) {
            negativesPerExample = SettingChecks.atLeast("negatives per example", v, 1);
            return this;
        }

        public Builder negatives(NegativeSampling v) {
            negatives = SettingChecks.notNull("negative sampling", v);
            return this;
        }

        public Builder leapfrogSteps(int v) {
            leapfrogSteps = SettingChecks.atLeast("leapfrog steps", v, 1);
            return this;
        }

        public Builder trajectories(int v) {
            trajectories = SettingChecks.atLeast("trajectories per update", v, 1);
            return this;
        }

        public Builder stepSize(double v) {
            stepSize = SettingChecks.positiveFinite("step size", v);
            return this;
        }

        public Builder adaptStepSize(boolean v) {
            adaptStepSize = v;
            return this;
        }

        public Builder targetAccept(double v) {
            targetAccept = SettingChecks.inRange("target acceptance", v, 0, true, 1, false);
            return this;
        }

        public Builder metropolis(boolean v) {
            metropolis = v;
            return this;
        }

        public Builder maxGradientNorm(double v) {
            maxGradientNorm = SettingChecks.positive("maximum gradient norm", v);
            return this;
        }

        public Builder update(Update v) {
            update = SettingChecks.notNull("update rule", v);
            return this;
        }

        public TrainerSettings build() {
            return new TrainerSettings(this);
        }
    }
}
