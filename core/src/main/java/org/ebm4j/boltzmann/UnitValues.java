package org.ebm4j.boltzmann;

import java.util.Locale;
import org.ebm4j.data.Dataset;
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
     * The rows of {@code data} in these unit values. The data decide their own encoding: every value
     * 0 or 1, or every value -1 or +1 (1 is the high value in both); anything else is refused naming
     * the first offending row and column (1-based). Returns {@code data} itself when every value is
     * already one of these two.
     */
    public Dataset encode(Dataset data) {
        float[] v = data.values();
        boolean zeroOne = true;
        boolean spin = true;
        boolean mine = true;
        for (float x : v) {
            zeroOne &= x == 0f || x == 1f;
            spin &= x == -1f || x == 1f;
            mine &= accepts(x);
        }
        if (mine) {
            return data;
        }
        if (!zeroOne && !spin) {
            for (int k = 0; k < v.length; k++) {
                float x = v[k];
                if (x != 0f && x != 1f && x != -1f) {
                    throw new IllegalArgumentException(data.name() + ": data row " + (k / data.cols() + 1) + ", column "
                            + (k % data.cols() + 1) + " is " + x + "; binary rows must be all 0/1 or all -1/+1");
                }
            }
            throw new IllegalArgumentException(data.name() + ": mixes 0 and -1 values; binary rows must be all 0/1 or "
                    + "all -1/+1");
        }
        float[] out = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = value(v[k] == 1f);
        }
        return data.withValues(data.name(), out);
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
