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
 */
public final class UnitRule {
    private final boolean stochastic;
    private final float low;
    private final float high;
    private final float inverseTemperature;

    private UnitRule(boolean stochastic, float low, float high, float inverseTemperature) {
        if (!Float.isFinite(low) || !Float.isFinite(high) || !(low < high)) {
            throw new IllegalArgumentException("unit values must be finite with low < high, found low=" + low
                    + " high=" + high);
        }
        if (stochastic && !(inverseTemperature >= 0f && Float.isFinite(inverseTemperature))) {
            throw new IllegalArgumentException("inverse temperature must be finite and >= 0, found " + inverseTemperature);
        }
        this.stochastic = stochastic;
        this.low = low;
        this.high = high;
        this.inverseTemperature = inverseTemperature;
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

    public boolean isStochastic() {
        return stochastic;
    }

    public float low() {
        return low;
    }

    public float high() {
        return high;
    }

    /** {@code 1/T} for stochastic rules; +infinity for the threshold rule. */
    public float inverseTemperature() {
        return inverseTemperature;
    }

    /** The probability of {@code high} given field {@code h}, as every backend computes it (float). */
    public float probabilityHigh(float h) {
        float gap = (high - low) * h * inverseTemperature;
        return 1f / (1f + (float) Math.exp(-gap));
    }

    @Override
    public String toString() {
        return stochastic ? "stochastic(" + low + ", " + high + ", T=" + (1f / inverseTemperature) + ")"
                : "threshold(" + low + ", " + high + ")";
    }
}
