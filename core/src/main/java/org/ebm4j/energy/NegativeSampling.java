package org.ebm4j.energy;

import java.util.Locale;

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

    public static NegativeSampling byName(String name) {
        for (NegativeSampling n : values()) {
            if (n.name().equalsIgnoreCase(name.trim())) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown negative sampling '" + name + "'; expected cd or persistent");
    }

    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
