/**
 * Conditional and latent-variable energies in LeCun's framework: {@code F(x, y)} over a discrete answer
 * with inference {@code y* = argmin_y F(x, y)} ({@link org.ebm4j.conditional.ConditionalEnergy}), latent
 * variables minimized or marginalized at an inverse temperature
 * ({@link org.ebm4j.conditional.LatentReduction}), continuous answers and latents by gradient descent
 * ({@link org.ebm4j.conditional.ContinuousInference}), the free energy of a continuous latent by Laplace's
 * method or quadrature ({@link org.ebm4j.conditional.ContinuousLatent}), and the loss table on the most offending
 * incorrect answer ({@link org.ebm4j.conditional.AnswerLoss}). Public API.
 */
package org.ebm4j.conditional;
