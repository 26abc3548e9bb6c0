package org.ebm4j.rbm;

import java.util.Locale;
import org.ebm4j.train.OptionCodec;

/** How the negative phase is sampled. */
public enum TrainingMethod {
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

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrainingMethod parse(String s) {
        for (TrainingMethod m : values()) {
            if (m.id().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("training method must be cd, pcd or pt, found '" + s + "'");
    }
}
