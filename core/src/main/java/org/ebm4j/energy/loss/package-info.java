/**
 * The loss functionals of LeCun et al.'s "A Tutorial on Energy-Based Learning" (energy, perceptron,
 * hinge, log, square-square, square-exponential, NLL/MMI) and the sampled maximum-likelihood rule, as
 * functions of the data's and the negatives' energies with their derivatives. Public API.
 */
package org.ebm4j.energy.loss;
