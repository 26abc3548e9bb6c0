/**
 * Structured prediction with energy-based factor graphs (LeCun's EBM lecture): a chain of discrete
 * variables whose energy is a sum of unary factors from a network and learned pairwise factors;
 * min-sum (Viterbi) inference, the forward algorithm for the free energy, and training with the
 * structured perceptron, a Hamming-margin hinge and NLL ({@link org.ebm4j.structured.ChainInference},
 * {@link org.ebm4j.structured.ChainLoss}). Public API.
 */
package org.ebm4j.structured;
