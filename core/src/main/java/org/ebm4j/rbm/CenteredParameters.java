package org.ebm4j.rbm;

import java.util.Objects;

/**
 * An RBM in the centered form of Montavon and Mueller (2012) and Melchior, Fischer and Wiskott
 * (2016): with offsets {@code mu} (visible) and {@code lambda} (hidden),
 * {@code E(v, h) = -(v - mu) W (h - lambda) - b'.(v - mu) - c'.(h - lambda)}. Expanding the product
 * shows it is the ordinary RBM with the same {@code W} and biases {@code b = b' - W lambda},
 * {@code c = c' - W^T mu} plus the constant {@link #energyShift()}, which cancels in every
 * probability: the two forms are one distribution, and {@link #uncentered()} and {@link #of} convert
 * between them exactly (up to float rounding). {@link Rbm} keeps the ordinary form (what sampling,
 * AIS and the free energies use) and a model trained with centering carries its offsets.
 *
 * @param centered      {@code W}, {@code b'} and {@code c'}
 * @param visibleOffset {@code mu}, {@code nv} values
 * @param hiddenOffset  {@code lambda}, {@code nh} values
 */
public record CenteredParameters(RbmParameters centered, float[] visibleOffset, float[] hiddenOffset) {

    public CenteredParameters {
        Objects.requireNonNull(centered, "centered");
        if (visibleOffset.length != centered.visible() || hiddenOffset.length != centered.hidden()) {
            throw new IllegalArgumentException("centering offsets must have " + centered.visible() + " visible and "
                    + centered.hidden() + " hidden values, found " + visibleOffset.length + " and "
                    + hiddenOffset.length);
        }
        visibleOffset = visibleOffset.clone();
        hiddenOffset = hiddenOffset.clone();
    }

    /** The centered form of the ordinary parameters {@code p} at offsets {@code mu}, {@code lambda}. */
    public static CenteredParameters of(RbmParameters p, float[] mu, float[] lambda) {
        float[] b = shiftedVisibleBias(p, p.visibleBias(), lambda, 1);
        float[] c = shiftedHiddenBias(p, p.hiddenBias(), mu, 1);
        return new CenteredParameters(new RbmParameters(p.visibleType(), p.visible(), p.hidden(), p.weights(), b, c),
                mu, lambda);
    }

    /** The ordinary RBM with the same distribution: {@code b = b' - W lambda}, {@code c = c' - W^T mu}. */
    public RbmParameters uncentered() {
        RbmParameters p = centered;
        return new RbmParameters(p.visibleType(), p.visible(), p.hidden(), p.weights(),
                shiftedVisibleBias(p, p.visibleBias(), hiddenOffset, -1),
                shiftedHiddenBias(p, p.hiddenBias(), visibleOffset, -1));
    }

    /**
     * {@code E_centered(v, h) - E_uncentered(v, h)}, the same for every state:
     * {@code b'.mu + c'.lambda - mu W lambda}; free energies differ by it too.
     */
    public double energyShift() {
        RbmParameters p = centered;
        int nh = p.hidden();
        double s = 0;
        for (int i = 0; i < p.visible(); i++) {
            s += (double) p.visibleBias()[i] * visibleOffset[i];
            for (int j = 0; j < nh; j++) {
                s -= (double) visibleOffset[i] * p.weights()[i * nh + j] * hiddenOffset[j];
            }
        }
        for (int j = 0; j < nh; j++) {
            s += (double) p.hiddenBias()[j] * hiddenOffset[j];
        }
        return s;
    }

    /** {@code bias + sign * W lambda}, in double. */
    private static float[] shiftedVisibleBias(RbmParameters p, float[] bias, float[] lambda, int sign) {
        int nh = p.hidden();
        float[] out = new float[p.visible()];
        for (int i = 0; i < out.length; i++) {
            double s = bias[i];
            for (int j = 0; j < nh; j++) {
                s += sign * (double) p.weights()[i * nh + j] * lambda[j];
            }
            out[i] = (float) s;
        }
        return out;
    }

    /** {@code bias + sign * W^T mu}, in double. */
    private static float[] shiftedHiddenBias(RbmParameters p, float[] bias, float[] mu, int sign) {
        int nh = p.hidden();
        double[] s = new double[nh];
        for (int j = 0; j < nh; j++) {
            s[j] = bias[j];
        }
        for (int i = 0; i < p.visible(); i++) {
            for (int j = 0; j < nh; j++) {
                s[j] += sign * (double) p.weights()[i * nh + j] * mu[i];
            }
        }
        float[] out = new float[nh];
        for (int j = 0; j < nh; j++) {
            out[j] = (float) s[j];
        }
        return out;
    }
}
