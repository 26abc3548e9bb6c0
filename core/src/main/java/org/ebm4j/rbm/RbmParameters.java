package org.ebm4j.rbm;

import java.util.Arrays;
import java.util.Objects;

/**
 * An RBM's parameters on the host: what model files store.
 *
 * @param visibleType the visible units' kind
 * @param visible     number of visible units {@code nv}
 * @param hidden      number of hidden units {@code nh}
 * @param weights     {@code nv x nh}, row-major: {@code weights[i * nh + j]} couples visible i and hidden j
 * @param visibleBias {@code nv} visible biases (the means of Gaussian visibles when {@code h = 0})
 * @param hiddenBias  {@code nh} hidden biases
 */
public record RbmParameters(VisibleType visibleType, int visible, int hidden, float[] weights, float[] visibleBias,
                            float[] hiddenBias) {

    public RbmParameters {
        Objects.requireNonNull(visibleType, "visibleType");
        if (visible <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("an RBM needs at least one visible and one hidden unit, found "
                    + visible + "x" + hidden);
        }
        if ((long) visible * hidden > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("RBM " + visible + "x" + hidden + " has too many weights for one tensor");
        }
        check("weights", weights, visible * hidden);
        check("visible bias", visibleBias, visible);
        check("hidden bias", hiddenBias, hidden);
    }

    private static void check(String what, float[] a, int n) {
        Objects.requireNonNull(a, what);
        if (a.length != n) {
            throw new IllegalArgumentException(what + " must have " + n + " values, found " + a.length);
        }
    }

    /** All-zero parameters. */
    public static RbmParameters zeros(VisibleType type, int visible, int hidden) {
        return new RbmParameters(type, visible, hidden, new float[visible * hidden], new float[visible],
                new float[hidden]);
    }

    public float weight(int i, int j) {
        return weights[i * hidden + j];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RbmParameters p && p.visibleType == visibleType && p.visible == visible
                && p.hidden == hidden && Arrays.equals(p.weights, weights) && Arrays.equals(p.visibleBias, visibleBias)
                && Arrays.equals(p.hiddenBias, hiddenBias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(visibleType, visible, hidden, Arrays.hashCode(weights), Arrays.hashCode(visibleBias),
                Arrays.hashCode(hiddenBias));
    }

    @Override
    public String toString() {
        return "RbmParameters[" + visibleType.id() + " " + visible + "x" + hidden + "]";
    }
}
