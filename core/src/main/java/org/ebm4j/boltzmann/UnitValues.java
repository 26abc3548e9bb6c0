package org.ebm4j.boltzmann;

import java.util.Locale;
import org.ebm4j.tensor.UnitRule;

/**
 * The two values a binary unit can take: {@link #BINARY} {0, 1} (the usual Boltzmann machine
 * convention) or {@link #SPIN} {-1, +1} (Hopfield networks, Ising models).
 */
public enum UnitValues {
    BINARY(0f, 1f),
    SPIN(-1f, 1f);

    private final float low;
    private final float high;

    UnitValues(float low, float high) {
        this.low = low;
        this.high = high;
    }

    public float low() {
        return low;
    }

    public float high() {
        return high;
    }

    /** The deterministic rule: {@code high} when the local field is {@code >= 0}. */
    public UnitRule thresholdRule() {
        return UnitRule.threshold(low, high);
    }

    /** The Gibbs rule at temperature {@code t > 0}: {@code p(high) = sigmoid((high - low) * h / t)}. */
    public UnitRule gibbsRule(double t) {
        return UnitRule.stochastic(low, high, (float) t);
    }

    /** Whether {@code x} is exactly one of the two values. */
    public boolean accepts(float x) {
        return x == low || x == high;
    }

    /** {@code high} for a set bit, {@code low} otherwise. */
    public float value(boolean on) {
        return on ? high : low;
    }

    /**
     * Parses {@code binary} (also {@code 01}) or {@code spin} (also {@code pm1}, {@code ising});
     * anything else is an error naming the accepted words.
     */
    public static UnitValues parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        switch (k) {
            case "binary", "01", "0/1":
                return BINARY;
            case "spin", "pm1", "ising", "+-1", "-1/+1":
                return SPIN;
            default:
                throw new IllegalArgumentException("unit values must be 'binary' ({0,1}) or 'spin' ({-1,+1}) but were '"
                        + s + "'");
        }
    }

    @Override
    public String toString() {
        return this == BINARY ? "binary" : "spin";
    }
}
