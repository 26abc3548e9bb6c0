package org.ebm4j.dbm;

import org.ebm4j.train.TrainingListener;

/** A {@link TrainingListener} that also hears which phase of DBM training the next epochs belong to. */
public interface DbmTrainingListener extends TrainingListener {
    /**
     * Called before the epochs of a phase start.
     *
     * @param layer the upper layer ({@code 1..depth}) of the RBM being pretrained; 0 for joint training
     */
    void onPhase(DbmPhase phase, int layer);
}
