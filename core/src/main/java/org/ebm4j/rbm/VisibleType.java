package org.ebm4j.rbm;

import java.util.Locale;
import org.ebm4j.train.OptionCodec;

/** The kind of an RBM's visible units. Hidden units are always Bernoulli. */
public enum VisibleType {
    /** Binary {0, 1} units: {@code p(v_i = 1 | h) = sigmoid(b_i + W_i h)}. */
    BERNOULLI,
    /**
     * Real-valued units with unit variance (for standardized data):
     * {@code p(v_i | h) = N(b_i + W_i h, 1)}.
     */
    GAUSSIAN;

    /** How options maps hold a visible type: its {@link #id()}. */
    public static final OptionCodec<VisibleType> CODEC = OptionCodec.of(VisibleType::id, VisibleType::parse);

    /** The lower-case name used in files and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code bernoulli} or {@code gaussian} (any case). */
    public static VisibleType parse(String s) {
        for (VisibleType t : values()) {
            if (t.id().equalsIgnoreCase(s.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("visible unit type must be bernoulli or gaussian, found '" + s + "'");
    }
}
