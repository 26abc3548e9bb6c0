package org.ebm4j.hopfield;

import java.util.Locale;

/** How {@link HopfieldNetwork#store} turns patterns into weights. */
public enum LearningRule {
    /**
     * Hebb's rule: {@code W += (1/n) sum_k xi_k xi_k^T} with {@code w_ii = 0}. Order-independent; the
     * network recalls reliably up to about {@code 0.138 n} random patterns.
     */
    HEBB,
    /**
     * Storkey's rule (1997), one pattern at a time:
     * {@code w_ij += (1/n)(xi_i xi_j - xi_i h_ji - h_ij xi_j)} with the local field
     * {@code h_ij = sum_{k != i, j} w_ik xi_k}. Incremental and local like Hebb's, with a higher capacity.
     */
    STORKEY,
    /**
     * The pseudo-inverse (projection) rule of Personnaz, Guyon and Dreyfus (1986): {@code W} is the
     * orthogonal projector onto the span of the stored patterns, {@code Xi^T (Xi Xi^T)^-1 Xi}, with the
     * diagonal set to zero for the dynamics. Every linearly independent pattern is a fixed point however
     * correlated the patterns are (digits, say), up to {@code P < n/2} or so. Stored incrementally by the
     * Gram-Schmidt update {@code P += e e^T / |e|^2} with {@code e = xi - P xi}; a pattern already in the
     * span adds nothing. Not local: every weight depends on every pattern.
     */
    PSEUDO_INVERSE;

    /** Parses {@code hebb} or {@code storkey} (any case). */
    public static LearningRule parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        switch (k) {
            case "hebb", "hebbian":
                return HEBB;
            case "storkey":
                return STORKEY;
            case "pseudo-inverse", "pseudoinverse", "projection":
                return PSEUDO_INVERSE;
            default:
                throw new IllegalArgumentException("learning rule must be 'hebb', 'storkey' or 'pseudo-inverse' but was '"
                        + s + "'");
        }
    }

    @Override
    public String toString() {
        return this == PSEUDO_INVERSE ? "pseudo-inverse" : name().toLowerCase(Locale.ROOT);
    }
}
