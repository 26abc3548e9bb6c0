package org.ebm4j.rbm;

import org.ebm4j.train.EnumIds;
import org.ebm4j.train.OptionCodec;

/** How the negative phase is sampled. */
public enum TrainingMethod {
    /** Contrastive divergence: k Gibbs steps started at each minibatch. */
    CD,
    /** Persistent CD: k Gibbs steps that continue persistent chains across updates. */
    PCD;

    /** How options maps hold a training method: its {@link #id()}. */
    public static final OptionCodec<TrainingMethod> CODEC = OptionCodec.of(TrainingMethod::id, TrainingMethod::parse);

    /** The lower-case name used in files and on the command line. */
    public String id() {
        return EnumIds.id(this);
    }

    /** Parses {@code cd} or {@code pcd} (any case). */
    public static TrainingMethod parse(String s) {
        return EnumIds.parse(TrainingMethod.class, "training method", s);
    }
}
