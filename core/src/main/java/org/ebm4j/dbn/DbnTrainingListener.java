package org.ebm4j.dbn;

import org.ebm4j.train.TrainingListener;

/**
 * A {@link TrainingListener} that also hears which phase of a DBN's training the following
 * epochs belong to: {@link Dbn#fit} runs one training loop per pretrained layer and one for
 * fine-tuning, each with its own epoch count, and tells listeners of this type before each.
 */
public interface DbnTrainingListener extends TrainingListener {

    /**
     * Before the training loop of {@code phase} starts (or resumes): {@code layer} is the RBM being
     * pretrained (0 = the one on the data), -1 for fine-tuning.
     */
    default void onPhase(DbnPhase phase, int layer) {
    }
}
