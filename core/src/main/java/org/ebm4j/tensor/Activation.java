package org.ebm4j.tensor;

/**
 * Elementwise functions of deterministic hidden units, evaluated by
 * {@link Backend#activation(Activation, Tensor, Tensor, Tensor, Tensor)} together with their
 * derivatives (an energy network needs both: the value adds to the energy, the derivative drives
 * backpropagation of {@code dE/dx} and {@code dE/dtheta}).
 *
 * <p>{@link #value(double)} and {@link #derivative(double)} are the double-precision definitions
 * every backend must match to float accuracy.
 */
public enum Activation {
    /** {@code f(z) = log(1 + exp(z))}, {@code f'(z) = sigmoid(z)}; computed without overflow. */
    SOFTPLUS("softplus") {
        @Override
        public double value(double z) {
            return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
        }

        @Override
        public double derivative(double z) {
            return z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
        }
    },
    /**
     * {@code f(z) = log(1 + z^2)}, {@code f'(z) = 2z / (1 + z^2)}: the heavy-tailed "frequently
     * approximately satisfied" constraint unit (Hinton): cheap to violate a lot once violated.
     */
    LOG1P_SQUARE("fas") {
        @Override
        public double value(double z) {
            return Math.log1p(z * z);
        }

        @Override
        public double derivative(double z) {
            return 2.0 * z / (1.0 + z * z);
        }
    };

    private final String shortName;

    Activation(String shortName) {
        this.shortName = shortName;
    }

    /** The name used on the command line and in model files ({@code softplus}, {@code fas}). */
    public String shortName() {
        return shortName;
    }

    public abstract double value(double z);

    public abstract double derivative(double z);

    /** The activation whose {@link #shortName()} or enum name is {@code name} (case-insensitive). */
    public static Activation byName(String name) {
        for (Activation a : values()) {
            if (a.shortName.equalsIgnoreCase(name) || a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Activation a : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(a.shortName);
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of " + known);
    }
}
