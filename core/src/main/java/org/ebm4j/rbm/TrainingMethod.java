package org.ebm4j.rbm;

import java.util.Locale;

/** How the negative phase is sampled. */
public enum TrainingMethod {
    /** Contrastive divergence: k Gibbs steps started at each minibatch. */
    CD,
    /** Persistent CD: k Gibbs steps that continue persistent chains across updates. */
    PCD;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrainingMethod parse(String s) {
        for (TrainingMethod m : values()) {
            if (m.id().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("training method must be cd or pcd, found '" + s + "'");
    }
}
