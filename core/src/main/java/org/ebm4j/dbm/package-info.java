/**
 * Deep Boltzmann machines with binary units (Salakhutdinov and Hinton 2009): layers of units in
 * which each layer is connected only to its neighbours, so that odd layers are conditionally
 * independent given even layers and vice versa. The model ({@link org.ebm4j.dbm.Dbm}), its options,
 * model file and training (greedy pretraining with the doubled-input correction, then joint training
 * with a mean-field positive phase and a persistent Gibbs negative phase), and its evaluation
 * (exact enumeration for tiny models, annealed importance sampling of {@code log Z}, the variational
 * lower bound on the log-likelihood). Public API.
 */
package org.ebm4j.dbm;
