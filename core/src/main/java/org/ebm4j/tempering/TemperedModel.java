package org.ebm4j.tempering;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * A model with a layered binary state that {@link ParallelTempering} can run at several
 * temperatures at once: {@code p_beta(x) ~ exp(-beta E(x))}. A state is one row in each of the
 * layer tensors ({@code rows x layerWidths()[l]}); rows at different temperatures are stacked, and
 * the model receives their inverse temperatures as {@link RowBetas}, which scales a layer's
 * pre-activations row by row, so a sweep over all temperatures costs one backend call per layer.
 */
public interface TemperedModel {

    /** The backend the model's parameters live on. */
    Backend backend();

    /** The widths of the state's layers (an RBM: visible, hidden). */
    int[] layerWidths();

    /**
     * One Gibbs sweep of every row of {@code layers} at its inverse temperature: each layer sampled
     * from its conditional at {@code beta} given its neighbours (apply {@link RowBetas#scale} to the
     * pre-activations including the biases). The sweep must leave {@code p_beta} of each row invariant.
     */
    void sweep(Tensor[] layers, RowBetas betas, RandomStream rng);

    /** The energies {@code E(x)} at {@code beta = 1} of the rows of {@code layers} into {@code out} ({@code rows x 1}). */
    void energy(Tensor[] layers, Tensor out);
}
