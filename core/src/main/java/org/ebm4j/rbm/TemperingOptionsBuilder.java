package org.ebm4j.rbm;

import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.train.GradientOptionsBuilder;
import org.ebm4j.train.OptionTable;

/**
 * The base of the builders of the RBM's and the DBM's options, whose negative phase may run parallel
 * tempering and whose training may be centered: the setters of the training method, the PT ladder and
 * the centering switch, declared once here. Each family's options record says which methods it takes.
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
}
