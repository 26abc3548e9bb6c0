/**
 * Energy models with deterministic hidden units and their learning.
 *
 * <p>{@link org.ebm4j.energy.EnergyNetwork}: a feed-forward network whose hidden activities, each times
 * a learned scale, add to the energy (softplus or heavy-tailed {@code log(1 + z^2)} units);
 * {@link org.ebm4j.energy.UniGaussExperts}: a product of uni-gauss experts. Both backpropagate
 * {@code dE/dx} (for HMC) and {@code dE/dtheta} (for learning) on the backend.
 * {@link org.ebm4j.energy.EnergyTrainer} pushes data energies down and negative energies up with a
 * {@link org.ebm4j.energy.loss.ContrastiveLoss}, negatives coming from HMC (contrastive divergence from
 * the data, or persistent chains). {@link org.ebm4j.energy.MissingInputs} completes partial inputs by
 * descending the energy; {@link org.ebm4j.energy.EnergyModelFile} saves and loads models. Public API.
 */
package org.ebm4j.energy;
