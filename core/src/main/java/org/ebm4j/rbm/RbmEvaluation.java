package org.ebm4j.rbm;

import java.util.OptionalDouble;

/**
 * Scores of an RBM on a data set ({@link Rbm#evaluate}).
 *
 * @param averageLogLikelihood {@code (1/n) sum log p(v)} in nats per example, given the log Z passed in
 * @param reconstructionError  mean-field reconstruction error ({@link ReconstructionError})
 * @param pseudoLikelihood     log pseudo-likelihood per visible unit ({@link PseudoLikelihood}); empty for
 *                             Gaussian visibles or data that are not binary after the model's preprocessing
 * @param visibleType          the model's visible units, which decide what the log-likelihood is ({@link #likelihoodKind})
 */
public record RbmEvaluation(double averageLogLikelihood, double reconstructionError, OptionalDouble pseudoLikelihood,
                            VisibleType visibleType) {
    /**
     * What {@link #averageLogLikelihood} is: {@code "probability"} for Bernoulli visibles (a log
     * probability, at most 0), {@code "density"} for Gaussian visibles (a log density of
     * standardized values, which can be positive and is not comparable with a probability).
     */
    public String likelihoodKind() {
        return visibleType == VisibleType.GAUSSIAN ? "density" : "probability";
    }
}
