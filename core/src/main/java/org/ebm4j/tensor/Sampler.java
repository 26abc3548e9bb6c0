package org.ebm4j.tensor;

import org.ebm4j.random.RandomStream;

/**
 * The random half of the ebm4j SPI: every random draw a model makes goes through here. Each call
 * takes exactly one draw from the {@link RandomStream} ({@code rng.nextDraw()}; a call rejected for its
 * arguments takes none) and element
 * {@code e} (row-major index in the tensor named in the method) uses the Philox words the
 * {@link org.ebm4j.random.Philox} layout assigns to it; every backend therefore produces the same
 * uniforms for the same stream position, and samples that agree element for element up to the
 * float rounding of the probabilities they are compared with.
 *
 * <p>Shape, ownership and close rules are those of {@link Backend}; backends implement this interface
 * by extending {@link CheckedSampler}, which checks them and takes the draw.
 */
public interface Sampler {

    /** {@code out[e] = uniform(e)}, in [0, 1). */
    void fillUniform(Tensor out, RandomStream rng);

    /** {@code out[e] = mean + stddev * normal(e)}. */
    void fillNormal(Tensor out, float mean, float stddev, RandomStream rng);

    /**
     * {@code out[e] = uniform(e) < probs[e] ? 1 : 0}. Probabilities outside [0, 1] saturate;
     * NaN gives 0.
     */
    void sampleBernoulli(Tensor probs, Tensor out, RandomStream rng);

    /**
     * The fused block-Gibbs half-step: {@code probs[r, j] = sigmoid(scale * (x[r, j] + bias[0, j]))}
     * and {@code samples[r, j] = uniform(e) < probs[r, j] ? 1 : 0} in one pass, with
     * {@code e = r * cols + j}. {@code bias} may be null; {@code probs} may be null when only the
     * samples are wanted; {@code samples} may alias {@code x}. NaN input gives a NaN probability
     * and a 0 sample.
     */
    void sampleSigmoidBernoulli(Tensor x, Tensor bias, float scale, Tensor probs, Tensor samples, RandomStream rng);

    /**
     * The block-Gibbs half-step from its inputs: {@code pre = a b} (or {@code a b^T} when
     * {@code transB}), then exactly {@link #sampleSigmoidBernoulli sampleSigmoidBernoulli(pre, bias, 1,
     * probs, samples, rng)}: the same probabilities, the same draw and the same samples to the bit as
     * {@link Backend#gemm gemm(false, transB, 1, a, b, 0, pre)} followed by that call. A backend may
     * compute both in one pass, so {@code pre} ({@code a.rows() x n}) is scratch whose content after
     * the call is unspecified. {@code bias} ({@code 1 x n}) and {@code probs} may be null;
     * {@code pre}, {@code probs} and {@code samples} are different tensors, none of them {@code a} or
     * {@code b}.
     */
    void sampleSigmoidBernoulliProduct(Tensor a, Tensor b, boolean transB, Tensor bias, Tensor pre, Tensor probs,
                                       Tensor samples, RandomStream rng);

    /**
     * {@code out[r, j] = mean[r, j] + bias[0, j] + stddev * normal(e)}: Gaussian units around a
     * mean. {@code bias} may be null; {@code out} may alias {@code mean}.
     */
    void sampleGaussian(Tensor mean, Tensor bias, float stddev, Tensor out, RandomStream rng);

    /**
     * One sequential (single-site) update of unit {@code unit} in every chain (row) at once: the
     * shared step of asynchronous Hopfield recall, stochastic Hopfield units, simulated annealing
     * and Gibbs sampling in general Boltzmann machines.
     *
     * <p>{@code state} and {@code field} are {@code chains x n}; {@code weights} is {@code n x n},
     * symmetric with a zero diagonal (not checked: the models guarantee it). {@code field} must hold
     * {@code state * weights + bias} on entry and holds it again on exit. For each chain {@code r}
     * whose {@code clamp[r, unit]} is 0 (or when {@code clamp} is null) the unit is set from
     * {@code field[r, unit]} by {@code rule}, and if it changed by {@code d} then
     * {@code field[r, :] += d * weights[unit, :]}. Clamped units keep their value. A stochastic rule
     * uses {@code uniform(r)} of one draw and sets {@code high} when {@code uniform(r) < rule.probabilityHigh(h)};
     * a threshold rule takes no draw (rng may then be null). {@code unit} must lie in {@code [0, n)}
     * ({@link IllegalArgumentException} otherwise).
     */
    void updateUnit(Tensor state, Tensor field, Tensor weights, int unit, UnitRule rule, Tensor clamp,
                    RandomStream rng);

    /**
     * The fused leapfrog step for HMC, over chains (rows) of positions {@code q} and momenta
     * {@code p}: {@code p -= kick * grad}, then {@code q += drift * invMass * p} (elementwise,
     * {@code invMass} a row vector or null for identity). A half kick is {@code kick = eps/2, drift = 0};
     * the merged kick of two steps with a drift is {@code kick = eps, drift = eps}. A zero {@code kick}
     * leaves {@code p} untouched and a zero {@code drift} leaves {@code q} untouched (so a non-finite
     * {@code grad} or {@code p} cannot reach them through {@code 0 * inf}). Deterministic: takes no draw.
     */
    void leapfrog(Tensor q, Tensor p, Tensor grad, Tensor invMass, float kick, float drift);

    /**
     * The per-chain Metropolis accept/select: chain {@code r} accepts when
     * {@code uniform(r) < exp(currentEnergy[r] - proposalEnergy[r])}; an accepted chain copies
     * {@code proposal[r, :]} into {@code current[r, :]} and {@code proposalEnergy[r]} into
     * {@code currentEnergy[r]}. {@code accepted[r]} is set to 1 or 0. A NaN or +infinite proposal
     * energy is always rejected, and so is a NaN current energy (the comparison is false). Energies
     * are {@code chains x 1}; {@code uniform(r)} and the ratio are compared as {@code float} or
     * better, so decisions may differ between backends only within float rounding of the ratio.
     */
    void metropolisSelect(Tensor current, Tensor currentEnergy, Tensor proposal, Tensor proposalEnergy,
                          Tensor accepted, RandomStream rng);
}
