/**
 * Energy models with deterministic hidden units and their learning.
 *
 * <p>{@link org.ebm4j.energy.EnergyModel} is the one call: {@code fit(data, EnergyOptions)} trains,
 * {@code resume} continues a checkpoint, {@code load}/{@code save} read and write the model file with
 * its provenance, and {@code fantasies}/{@code sample}/{@code energy} use the trained model.
 *
 * <p>{@link org.ebm4j.energy.EnergyNetwork}: a feed-forward network whose hidden activities, each times
 * a learned scale, add to the energy (softplus or heavy-tailed {@code log(1 + z^2)} units);
 * {@link org.ebm4j.energy.UniGaussExperts}: a product of uni-gauss experts. Both backpropagate
 * {@code dE/dx} (for HMC) and {@code dE/dtheta} (for learning) on the backend.
 * {@link org.ebm4j.energy.EnergyTrainer} pushes data energies down and negative energies up with a
 * {@link org.ebm4j.energy.loss.ContrastiveLoss}, negatives coming from HMC (contrastive divergence from
 * the data, or persistent chains). {@link org.ebm4j.energy.MissingInputs} completes partial inputs by
 * their posterior mean under conditional HMC (or by descending the energy);
 * {@link org.ebm4j.energy.EnergyModelFile} saves and loads models. The
 * demonstrations' data and reports are in {@code org.ebm4j.energy.demo}. Public API.
 */
package org.ebm4j.energy;
