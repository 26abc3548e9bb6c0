package org.ebm4j.dbn;

/**
 * What a resumed fine-tuning run needs besides the network's parameters.
 *
 * @param epochsDone     completed fine-tuning epochs
 * @param shuffleDraw    draw index of the shuffling stream
 * @param weightVelocity per layer, {@code n_i * n_{i+1}} momentum velocities
 * @param biasVelocity   per layer, {@code n_{i+1}}
 */
public record FineTuneState(int epochsDone, long shuffleDraw, float[][] weightVelocity, float[][] biasVelocity) {
}
