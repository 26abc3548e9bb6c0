package org.ebm4j.boltzmann;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * Builds the {@code chains x n} clamp tensors that {@link NetworkChains#update} takes: 1 where a
 * unit is held at its current value, 0 where it is free.
 */
public final class ClampMask {
    private ClampMask() {
    }

    /** The same units clamped in every chain: {@code clamped[i]} for unit {@code i}. */
    public static Tensor sameForAllChains(Backend backend, int chains, boolean[] clamped) {
        if (clamped == null || clamped.length == 0) {
            throw new IllegalArgumentException("clamp mask must name at least one unit but is "
                    + (clamped == null ? "null" : "empty"));
        }
        if (chains < 1) {
            throw new IllegalArgumentException("need at least 1 chain but was given " + chains);
        }
        int n = clamped.length;
        float[] m = new float[chains * n];
        for (int r = 0; r < chains; r++) {
            for (int i = 0; i < n; i++) {
                m[r * n + i] = clamped[i] ? 1f : 0f;
            }
        }
        return backend.fromArray(m, chains, n);
    }

    /** Units {@code [from, to)} clamped in every chain of an {@code n}-unit network. */
    public static Tensor range(Backend backend, int chains, int n, int from, int to) {
        if (from < 0 || to > n || from > to) {
            throw new IllegalArgumentException("clamped range [" + from + ", " + to + ") must lie inside [0, " + n + ")");
        }
        boolean[] mask = new boolean[n];
        for (int i = from; i < to; i++) {
            mask[i] = true;
        }
        return sameForAllChains(backend, chains, mask);
    }
}
