/**
 * Restricted Boltzmann machines with Bernoulli or Gaussian visible units and Bernoulli hidden
 * units: the model with its parameters on a backend, its host-side parameters, training by CD-k or
 * persistent CD-k with its options and learning-rate schedules, and block Gibbs sampling.
 * Public API.
 */
package org.ebm4j.rbm;
