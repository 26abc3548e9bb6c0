package org.ebm4j.dbm;

import java.util.Arrays;

/**
 * Factors on the inputs a layer receives from its neighbours: layer {@code l} sees
 * {@code up[l] * x_{l-1} W_l + down[l] * x_{l+1} W_{l+1}'}. A DBM uses 1 everywhere; the RBMs of
 * greedy pretraining double the input that stands in for a missing neighbour (Salakhutdinov and
 * Hinton 2009): in the DBM every layer but the top hears from both sides, so an RBM that sees only one
 * side must count it twice to learn the right scale of weights.
 */
record LayerScales(float[] up, float[] down) {
    /** The DBM's own conditionals: no factor. */
    static LayerScales uniform(int layers) {
        float[] ones = new float[layers];
        Arrays.fill(ones, 1f);
        return new LayerScales(ones, ones.clone());
    }

    /**
     * The two-layer model that pretrains the weights between DBM layers {@code layer - 1} and
     * {@code layer} of a DBM with {@code depth} hidden layers: the input to the upper layer is doubled
     * unless it is the top layer, the input to the lower layer is doubled unless it is the data.
     */
    static LayerScales pretraining(int layer, int depth) {
        float up = layer < depth ? 2f : 1f;
        float down = layer > 1 ? 2f : 1f;
        return new LayerScales(new float[] {1f, up}, new float[] {down, 1f});
    }
}
