package org.ebm4j.dbm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A host copy of a DBM's parameters. Layer {@code 0} is the visible layer and layers
 * {@code 1..depth()} are hidden; {@code weights.get(l - 1)} connects layer {@code l - 1} to layer
 * {@code l} ({@code sizes[l-1] x sizes[l]}, row-major) and {@code biases.get(l)} is layer {@code l}'s
 * bias ({@code sizes[l]} values). The energy is
 * {@code E(x) = -sum_l b_l . x_l - sum_{l>=1} x_{l-1}' W_l x_l}.
 *
 * @param sizes   units per layer, visible first ({@code >= 2} layers, every size {@code >= 1})
 * @param weights one matrix per pair of neighbouring layers
 * @param biases  one vector per layer
 */
public record DbmParameters(int[] sizes, List<float[]> weights, List<float[]> biases) {

    public DbmParameters {
        sizes = checkSizes(sizes).clone();
        weights = List.copyOf(weights);
        biases = List.copyOf(biases);
        if (weights.size() != sizes.length - 1 || biases.size() != sizes.length) {
            throw new IllegalArgumentException("a DBM with layer sizes " + Arrays.toString(sizes) + " needs "
                    + (sizes.length - 1) + " weight matrices and " + sizes.length + " bias vectors, found "
                    + weights.size() + " and " + biases.size());
        }
        for (int l = 0; l < sizes.length; l++) {
            if (biases.get(l).length != sizes[l]) {
                throw new IllegalArgumentException("bias of layer " + l + " must have " + sizes[l] + " values, found "
                        + biases.get(l).length);
            }
            if (l > 0 && weights.get(l - 1).length != sizes[l - 1] * sizes[l]) {
                throw new IllegalArgumentException("weights between layers " + (l - 1) + " and " + l + " must have "
                        + sizes[l - 1] + "x" + sizes[l] + " values, found " + weights.get(l - 1).length);
            }
        }
    }

    /** All-zero parameters of the given shape. */
    public static DbmParameters zeros(int[] sizes) {
        checkSizes(sizes);
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (int l = 0; l < sizes.length; l++) {
            b.add(new float[sizes[l]]);
            if (l > 0) {
                w.add(new float[sizes[l - 1] * sizes[l]]);
            }
        }
        return new DbmParameters(sizes, w, b);
    }

    /** Refuses fewer than two layers or a size below 1. */
    static int[] checkSizes(int[] sizes) {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("a DBM needs a visible size and at least one hidden layer size, found "
                    + (sizes == null ? "none" : Arrays.toString(sizes)));
        }
        for (int l = 0; l < sizes.length; l++) {
            if (sizes[l] < 1) {
                throw new IllegalArgumentException("layer " + l + " must have at least 1 unit, found " + sizes[l]);
            }
        }
        return sizes;
    }

    /** Number of hidden layers. */
    public int depth() {
        return sizes.length - 1;
    }

    /** {@code W_l[i, j]}: the weight between unit {@code i} of layer {@code l - 1} and unit {@code j} of layer {@code l}. */
    public float weight(int l, int i, int j) {
        return weights.get(l - 1)[i * sizes[l] + j];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DbmParameters p) || !Arrays.equals(sizes, p.sizes)) {
            return false;
        }
        for (int l = 0; l < sizes.length; l++) {
            if (!Arrays.equals(biases.get(l), p.biases.get(l)) || l > 0 && !Arrays.equals(weights.get(l - 1),
                    p.weights.get(l - 1))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(sizes);
        for (float[] b : biases) {
            h = 31 * h + Arrays.hashCode(b);
        }
        for (float[] w : weights) {
            h = 31 * h + Arrays.hashCode(w);
        }
        return h;
    }

    @Override
    public String toString() {
        return "DbmParameters" + Arrays.toString(sizes);
    }
}
