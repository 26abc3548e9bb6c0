package org.ebm4j.rbm;

import org.ebm4j.train.EnumIds;
import org.ebm4j.train.OptionCodec;

/** How the negative phase is sampled. */
public enum TrainingMethod implements EnumIds.Identified {
    /** Contrastive divergence: k Gibbs steps started at each minibatch. */
    CD,
    /** Persistent CD: k Gibbs steps that continue persistent chains across updates. */
    PCD,
    /**
     * Parallel tempering: persistent chains replicated at a ladder of inverse temperatures, k sweeps at
     * every temperature per update, then one round of swaps between neighbours; the statistics come
     * from the replicas at temperature 1.
     */
    PT;

    /** How options maps hold a training method: its {@link #id()}. */
    public static final OptionCodec<TrainingMethod> CODEC = OptionCodec.of(TrainingMethod::id, TrainingMethod::parse);

    /** Parses {@code cd}, {@code pcd} or {@code pt} (any case). */
    public static TrainingMethod parse(String s) {
        return EnumIds.parse(TrainingMethod.class, "training method", s);
    }
}
