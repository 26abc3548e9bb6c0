/**
 * Measures of how well a trained model fits data: the exact log partition function by enumeration
 * for small models, annealed importance sampling estimates of it for large ones, average
 * log-likelihood, free energies, pseudo-likelihood and reconstruction error. Everything is
 * computed in batches with fixed workspaces on the model's own backend. Public API.
 */
package org.ebm4j.eval;
