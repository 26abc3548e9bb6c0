package org.ebm4j.dbm;

import java.util.Locale;

/** The phases of DBM training, in order. */
public enum DbmPhase {
    /** Greedy pretraining of one RBM per pair of neighbouring layers. */
    PRETRAIN,
    /** Joint training of the whole DBM. */
    JOINT;

    /** The lower-case name used in checkpoints and reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@link #id()} back. */
    public static DbmPhase parse(String id) {
        for (DbmPhase p : values()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("DBM phase must be pretrain or joint, found '" + id + "'");
    }
}
