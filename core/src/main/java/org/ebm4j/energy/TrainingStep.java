package org.ebm4j.energy;

/**
 * What one parameter update of {@link EnergyTrainer} saw.
 *
 * @param iteration 0-based update index
 * @param loss mean loss over the batch (before the update)
 * @param dataEnergy mean energy of the batch's data
 * @param negativeEnergy mean energy of the negatives
 * @param acceptance mean HMC acceptance probability of the negatives' trajectories
 * @param divergent divergent trajectories among the negatives
 * @param stepSize the leapfrog step size the negatives used
 */
public record TrainingStep(long iteration, double loss, double dataEnergy, double negativeEnergy, double acceptance,
                           int divergent, double stepSize) {
}
