package org.ebm4j.dbn;

import org.ebm4j.train.EnumIds;

/** The two phases of DBN training, as reported to a {@link DbnTrainingListener} and stored in checkpoints. */
public enum DbnPhase implements EnumIds.Identified {
    /** Greedy layer-wise pretraining: one RBM after the other. */
    PRETRAIN,
    /** Discriminative fine-tuning of the unrolled classifier. */
    FINETUNE;

    /** Reads {@link #id()} back. */
    public static DbnPhase parse(String s) {
        return EnumIds.parse(DbnPhase.class, "DBN training phase", s);
    }
}
