package org.ebm4j.dbm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A DBM in the centered form of Montavon and Mueller (2012) and Melchior, Fischer and Wiskott (2016):
 * with an offset {@code mu_l} for every layer,
 * {@code E(x) = -sum_l b'_l . (x_l - mu_l) - sum_{l>=1} (x_{l-1} - mu_{l-1})' W_l (x_l - mu_l)}.
 * Expanding the products shows it is the ordinary DBM with the same weights and biases
 * {@code b_l = b'_l - mu_{l-1} W_l - W_{l+1} mu_{l+1}} (each term where the neighbour exists) plus the
 * constant {@link #energyShift()}, which cancels in every probability: the two forms are one
 * distribution, and {@link #uncentered()} and {@link #of} convert between them exactly (up to float
 * rounding). {@link Dbm} keeps the ordinary form (what sampling, mean field, AIS and enumeration use);
 * a model trained with centering carries its offsets ({@link Dbm#centeredParameters()}).
 *
 * @param centered the weights {@code W_l} and the centered biases {@code b'_l}
 * @param offsets  {@code mu_l}, one vector of {@code sizes[l]} values per layer, visible first
 */
public record DbmCenteredParameters(DbmParameters centered, List<float[]> offsets) {

    public DbmCenteredParameters {
        Objects.requireNonNull(centered, "centered");
        offsets = checkOffsets(centered.sizes(), offsets);
    }

    /** Copies of {@code offsets}, refused unless there is one per layer of {@code sizes} with that layer's size. */
    static List<float[]> checkOffsets(int[] sizes, List<float[]> offsets) {
        if (offsets == null || offsets.size() != sizes.length) {
            throw new IllegalArgumentException("centering needs one offset vector per layer, " + sizes.length
                    + " of them, found " + (offsets == null ? "none" : offsets.size()));
        }
        List<float[]> copy = new ArrayList<>();
        for (int l = 0; l < sizes.length; l++) {
            if (offsets.get(l).length != sizes[l]) {
                throw new IllegalArgumentException("centering offset of layer " + l + " must have " + sizes[l]
                        + " values, found " + offsets.get(l).length);
            }
            copy.add(offsets.get(l).clone());
        }
        return List.copyOf(copy);
    }

    /** The centered form of the ordinary parameters {@code p} at {@code offsets}. */
    public static DbmCenteredParameters of(DbmParameters p, List<float[]> offsets) {
        return new DbmCenteredParameters(shiftedBiases(p, checkOffsets(p.sizes(), offsets), 1), offsets);
    }

    /** The ordinary DBM with the same distribution: {@code b_l = b'_l - mu_{l-1} W_l - W_{l+1} mu_{l+1}}. */
    public DbmParameters uncentered() {
        return shiftedBiases(centered, offsets, -1);
    }

    /**
     * {@code E_centered(x) - E_uncentered(x)}, the same for every state:
     * {@code sum_l b'_l . mu_l - sum_{l>=1} mu_{l-1}' W_l mu_l}; log-probabilities differ by nothing.
     */
    public double energyShift() {
        int[] sizes = centered.sizes();
        double s = 0;
        for (int l = 0; l < sizes.length; l++) {
            float[] b = centered.biases().get(l);
            float[] mu = offsets.get(l);
            for (int j = 0; j < sizes[l]; j++) {
                s += (double) b[j] * mu[j];
                if (l > 0) {
                    s -= mu[j] * offsetInput(centered, offsets, l, j, false);
                }
            }
        }
        return s;
    }

    /** The parameters with {@code b_l += sign * (mu_{l-1} W_l + W_{l+1} mu_{l+1})}, in double. */
    private static DbmParameters shiftedBiases(DbmParameters p, List<float[]> offsets, int sign) {
        int[] sizes = p.sizes();
        List<float[]> biases = new ArrayList<>();
        for (int l = 0; l < sizes.length; l++) {
            float[] b = new float[sizes[l]];
            for (int j = 0; j < sizes[l]; j++) {
                double in = (l > 0 ? offsetInput(p, offsets, l, j, false) : 0)
                        + (l + 1 < sizes.length ? offsetInput(p, offsets, l, j, true) : 0);
                b[j] = (float) (p.biases().get(l)[j] + sign * in);
            }
            biases.add(b);
        }
        return new DbmParameters(sizes, p.weights(), biases);
    }

    /**
     * What unit {@code j} of layer {@code l} receives from the offsets of one neighbour: from above,
     * {@code (W_{l+1} mu_{l+1})_j}; from below, {@code (mu_{l-1} W_l)_j}.
     */
    private static double offsetInput(DbmParameters p, List<float[]> offsets, int l, int j, boolean fromAbove) {
        int[] sizes = p.sizes();
        double s = 0;
        if (fromAbove) {
            float[] mu = offsets.get(l + 1);
            for (int k = 0; k < sizes[l + 1]; k++) {
                s += (double) p.weight(l + 1, j, k) * mu[k];
            }
        } else {
            float[] mu = offsets.get(l - 1);
            for (int i = 0; i < sizes[l - 1]; i++) {
                s += (double) mu[i] * p.weight(l, i, j);
            }
        }
        return s;
    }

    @Override
    public List<float[]> offsets() {
        return checkOffsets(centered.sizes(), offsets);
    }
}
