package org.ebm4j.rbm;

import java.util.OptionalDouble;

/**
 * Scores of an RBM on a data set ({@link Rbm#evaluate}).
 *
 * @param averageLogLikelihood {@code (1/n) sum log p(v)} in nats per example, given the log Z passed in
 * @param reconstructionError  mean-field reconstruction error ({@link ReconstructionError})
 * @param pseudoLikelihood     log pseudo-likelihood per visible unit ({@link PseudoLikelihood}); empty for
 *                             Gaussian visibles or data that are not binary after the model's preprocessing
 */
public record RbmEvaluation(double averageLogLikelihood, double reconstructionError, OptionalDouble pseudoLikelihood) {
}
