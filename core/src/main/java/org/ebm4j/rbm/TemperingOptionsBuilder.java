package org.ebm4j.rbm;

import org.ebm4j.data.Binarization;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.train.GradientOptionsBuilder;
import org.ebm4j.train.OptionTable;

/**
 * The base of the builders of the RBM's and the DBM's options, whose negative phase may run parallel
 * tempering and whose training may be centered: the setters of the training method, the PT ladder and
 * the centering switch, and those of the other settings both records hold under the same keys (the
 * binarization, the persistent chains and their Gibbs steps, the epochs and their learning-rate
 * schedule, the initial weights and the metrics cadence), declared once here. Each family's options
 * record says which methods it takes and what each setting means for it.
 *
 * @param <O> the options record
 * @param <B> the builder itself
 */
public abstract class TemperingOptionsBuilder<O extends Record, B extends TemperingOptionsBuilder<O, B>>
        extends GradientOptionsBuilder<O, B> {

    /**
     * @param learningRateKey the table's key of the learning rate
     * @param batchSizeKey    the table's key of the minibatch size
     */
    protected TemperingOptionsBuilder(OptionTable<O, B> table, String learningRateKey, String batchSizeKey) {
        super(table, learningRateKey, batchSizeKey);
    }

    /** The negative phase: CD, PCD or PT (PCD by default; see the options record for those it accepts). */
    public B method(TrainingMethod v) {
        return set("method", v);
    }

    /** Temperatures per chain for PT. */
    public B replicas(int v) {
        return set("replicas", v);
    }

    /** The inverse temperatures of PT (default: geometric down to 0.1). */
    public B betas(TemperatureLadder v) {
        return set("betas", v);
    }

    /** Train in the centered form. */
    public B centering(boolean v) {
        return set("centering", v);
    }

    /** How the data become binary (see the options record for the default). */
    public B binarization(Binarization v) {
        return set("binarization", v);
    }

    /** Gibbs steps of the chains per update ({@code >= 1}). */
    public B k(int v) {
        return set("k", v);
    }

    /** Persistent chains, independent of the batch size. */
    public B chains(int v) {
        return set("chains", v);
    }

    /** Learning rate per epoch (constant by default). */
    public B schedule(LearningRateSchedule v) {
        return set("lr_schedule", v);
    }

    /** Training epochs. */
    public B epochs(int v) {
        return set("epochs", v);
    }

    /** The standard deviation of the initial weights. */
    public B initWeightStd(double v) {
        return set("init_std", v);
    }

    /** Evaluate the per-epoch metrics every this many epochs (and after the last). */
    public B metricsEvery(int v) {
        return set("metrics_every", v);
    }
}
