package org.ebm4j.rbm;

import org.ebm4j.train.EnumIds;
import org.ebm4j.train.OptionCodec;

/** The kind of an RBM's visible units. Hidden units are always Bernoulli. */
public enum VisibleType implements EnumIds.Identified {
    /** Binary {0, 1} units: {@code p(v_i = 1 | h) = sigmoid(b_i + W_i h)}. */
    BERNOULLI,
    /**
     * Real-valued units with unit variance (for standardized data):
     * {@code p(v_i | h) = N(b_i + W_i h, 1)}.
     */
    GAUSSIAN;

    /** How options maps hold a visible type: its {@link #id()}. */
    public static final OptionCodec<VisibleType> CODEC = OptionCodec.of(VisibleType::id, VisibleType::parse);

    /** Parses {@code bernoulli} or {@code gaussian} (any case). */
    public static VisibleType parse(String s) {
        return EnumIds.parse(VisibleType.class, "visible unit type", s);
    }
}
