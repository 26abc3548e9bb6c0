package org.ebm4j.tensor;

/**
 * How {@link Sampler#updateUnit} sets one unit from its local field {@code h} (the field already
 * includes the unit's bias). A unit takes one of two values, {@code low} or {@code high}; the
 * energy gap of choosing {@code high} over {@code low} is {@code (high - low) * h}.
 *
 * <ul>
 *   <li>{@link #threshold(float, float)}: deterministic, {@code high} when {@code h >= 0}, else
 *       {@code low} (a NaN field gives {@code low}). Hopfield recall uses (-1, +1).</li>
 *   <li>{@link #stochastic(float, float, float)}: {@code high} with probability
 *       {@code sigmoid((high - low) * h / T)}: Gibbs sampling at temperature {@code T}
 *       ((0, 1) for Boltzmann machines, (-1, +1) for stochastic Hopfield units).</li>
 * </ul>
 *
 * @param isStochastic       whether the unit is sampled (else thresholded)
 * @param low                the lower value
 * @param high               the higher value
 * @param inverseTemperature {@code 1/T} for stochastic rules; +infinity for the threshold rule
 */
public record UnitRule(boolean isStochastic, float low, float high, float inverseTemperature) {
    /** Prefer {@link #threshold} and {@link #stochastic}, which state the rule's kind. */
    public UnitRule {
        if (!Float.isFinite(low) || !Float.isFinite(high) || !(low < high)) {
            throw new IllegalArgumentException("unit values must be finite with low < high, found low=" + low
                    + " high=" + high);
        }
        if (isStochastic && !(inverseTemperature >= 0f && Float.isFinite(inverseTemperature))) {
            throw new IllegalArgumentException("inverse temperature must be finite and >= 0, found " + inverseTemperature);
        }
        if (!isStochastic && inverseTemperature != Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("a threshold rule has an infinite inverse temperature, found "
                    + inverseTemperature);
        }
    }

    public static UnitRule threshold(float low, float high) {
        return new UnitRule(false, low, high, Float.POSITIVE_INFINITY);
    }

    /** Gibbs update at temperature {@code temperature > 0}. */
    public static UnitRule stochastic(float low, float high, float temperature) {
        if (!(temperature > 0f) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, found " + temperature);
        }
        return new UnitRule(true, low, high, 1f / temperature);
    }

    /** The probability of {@code high} given field {@code h}, as every backend computes it (float). */
    public float probabilityHigh(float h) {
        float gap = (high - low) * h * inverseTemperature;
        return 1f / (1f + (float) Math.exp(-gap));
    }

    @Override
    public String toString() {
        return isStochastic ? "stochastic(" + low + ", " + high + ", T=" + (1f / inverseTemperature) + ")"
                : "threshold(" + low + ", " + high + ")";
    }
}
