package org.ebm4j.energy;

import org.ebm4j.train.EnumIds;

/** Where the negatives of {@link EnergyTrainer} come from. */
public enum NegativeSampling {
    /**
     * Contrastive divergence with HMC (Hinton's shortcut): start each negative at a data point, draw
     * momentum once and follow the dynamics for a few leapfrog steps.
     */
    CD,
    /**
     * Persistent chains: long HMC runs that continue across parameter updates, with fresh momentum at
     * every trajectory.
     */
    PERSISTENT;

    /** Parses {@code cd} or {@code persistent} (any case). */
    public static NegativeSampling byName(String name) {
        return EnumIds.parse(NegativeSampling.class, "negative sampling", name);
    }

    /** The name on the command line and in options maps ({@code cd}, {@code persistent}). */
    public String shortName() {
        return EnumIds.id(this);
    }
}
