package org.ebm4j.energy;

import java.util.List;
import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.tensor.Tensor;

/**
 * An {@link EnergyFunction} with learnable parameters {@code theta} held on its backend, and the
 * derivative of the energy with respect to them by backpropagation: what {@link EnergyTrainer} needs
 * to push the energy of data down and of negatives up.
 */
public interface TrainableEnergy extends EnergyFunction, AutoCloseable {

    /** A name for model files and messages ({@code network}, {@code unigauss}). */
    String kind();

    /** The parameter tensors, in a fixed order. The trainer updates them in place. */
    List<Tensor> parameters();

    /** A name per parameter, in the order of {@link #parameters()} ({@code W1}, {@code b1}, ...). */
    List<String> parameterNames();

    /** Whether parameter {@code i} takes weight decay (weights do; biases and scales do not). */
    boolean decays(int i);

    /**
     * {@code grads[i] += sum_r rowWeights[r] * dE(x[r, :]) / dtheta_i} for every parameter {@code i}.
     *
     * @param x points, {@code n x d}
     * @param rowWeights {@code n x 1}: the loss's derivative with respect to each point's energy
     * @param grads accumulators shaped like {@link #parameters()}
     */
    void accumulateParameterGradient(Tensor x, Tensor rowWeights, List<Tensor> grads);

    /** Must be called after the parameters changed, so derived quantities are recomputed. */
    void parametersChanged();

    @Override
    void close();
}
