package org.ebm4j.energy;

import org.ebm4j.train.TrainingListener;

/**
 * A {@link TrainingListener} of an energy model's training that also hears about every parameter
 * update (its loss, energies, acceptance and step size): energy models are trained for thousands of
 * cheap updates, and their progress is watched per update rather than per epoch. Pass it to
 * {@link EnergyModel#fit} like any listener.
 */
public interface EnergyTrainingListener extends TrainingListener {

    /** After every update; runs inside the training loop, so it must be cheap. */
    void onStep(TrainingStep step);
}
