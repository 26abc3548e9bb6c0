package org.ebm4j.dbm;

import org.ebm4j.train.EnumIds;

/** The phases of DBM training, in order. */
public enum DbmPhase implements EnumIds.Identified {
    /** Greedy pretraining of one RBM per pair of neighbouring layers. */
    PRETRAIN,
    /** Joint training of the whole DBM. */
    JOINT;

    /** Reads {@link #id()} back. */
    public static DbmPhase parse(String id) {
        return EnumIds.parse(DbmPhase.class, "DBM phase", id);
    }
}
