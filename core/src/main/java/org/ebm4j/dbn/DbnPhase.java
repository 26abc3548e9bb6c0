package org.ebm4j.dbn;

import java.util.Locale;

/** The two phases of DBN training, as reported to a {@link DbnTrainingListener} and stored in checkpoints. */
public enum DbnPhase {
    /** Greedy layer-wise pretraining: one RBM after the other. */
    PRETRAIN,
    /** Discriminative fine-tuning of the unrolled classifier. */
    FINETUNE;

    /** {@code pretrain} or {@code finetune}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@link #id()} back. */
    public static DbnPhase parse(String s) {
        for (DbnPhase p : values()) {
            if (p.id().equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("DBN training phase must be pretrain or finetune, found '" + s + "'");
    }
}
