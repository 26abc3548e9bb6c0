/**
 * General Boltzmann machines and the pairwise binary networks they share with Hopfield networks:
 * symmetric couplings with biases on a backend, batches of chains updated one unit at a time, Gibbs
 * sampling at a fixed temperature or along an annealing schedule, maximum-likelihood training with
 * clamped data chains and free-running model chains, exact enumeration of every state for small
 * networks (partition function, likelihoods, exact gradients), the network text file, and the
 * bars-and-stripes data set these models are usually tried on. Public API.
 */
package org.ebm4j.boltzmann;
