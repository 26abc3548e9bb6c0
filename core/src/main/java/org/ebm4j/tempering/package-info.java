/**
 * Parallel tempering (replica exchange) for models with layered binary states: replicas of the
 * chains at a ladder of inverse temperatures, swept in one batched backend call per layer and
 * exchanged between neighbouring temperatures by the Metropolis rule. The model supplies its
 * conditionals and energy through {@link org.ebm4j.tempering.TemperedModel}; the RBM is one such
 * model, and any layered Boltzmann machine can be another. Public API.
 */
package org.ebm4j.tempering;
