package org.ebm4j.rbm;

/**
 * Everything besides the parameters that a resumed training run needs to continue exactly as
 * if it had not stopped: completed epochs, the positions of the random streams, the momentum
 * velocities and the persistent chains.
 *
 * @param epochsDone     completed epochs
 * @param samplingDraw   draw index of the Gibbs sampling stream
 * @param shuffleDraw    draw index of the shuffling stream
 * @param weightVelocity {@code nv * nh}
 * @param visibleVelocity {@code nv}
 * @param hiddenVelocity {@code nh}
 * @param chains         {@code chains * nv} persistent visible states (PCD), or null (CD)
 * @param chainCount     number of persistent chains (0 for CD)
 */
public record TrainerState(int epochsDone, long samplingDraw, long shuffleDraw, float[] weightVelocity,
                           float[] visibleVelocity, float[] hiddenVelocity, float[] chains, int chainCount) {
}
