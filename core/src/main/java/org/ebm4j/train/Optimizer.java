package org.ebm4j.train;

import org.ebm4j.tensor.Tensor;

/**
 * How a trainer turns its gradient into parameter steps. Each parameter tensor gets a
 * {@link ParameterUpdate} ({@link #update}) into whose {@link ParameterUpdate#target()} the trainer
 * accumulates the gradient, so the trainers share one optimizer code path and one checkpoint layout.
 */
public enum Optimizer implements EnumIds.Identified {
    /** Momentum SGD: {@code vel = momentum * vel + lr * grad}, {@code param += vel}. */
    SGD,
    /**
     * Adam (Kingma and Ba 2015) with {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code eps = 1e-8}:
     * {@code m = beta1 m + (1 - beta1) g}, {@code s = beta2 s + (1 - beta2) g^2},
     * {@code param += lr * (m / (1 - beta1^t)) / (sqrt(s / (1 - beta2^t)) + eps)}. The trainers'
     * momentum option does not apply.
     */
    ADAM;

    /** How options maps hold an optimizer: its {@link #id()}. */
    public static final OptionCodec<Optimizer> CODEC = OptionCodec.of(Optimizer::id, Optimizer::parse);

    /** Parses {@code sgd} or {@code adam} (any case). */
    public static Optimizer parse(String s) {
        return EnumIds.parse(Optimizer.class, "optimizer", s);
    }

    /**
     * The update of {@code parameter}, whose state is stored in checkpoints under {@code name}
     * (momentum SGD: the array {@code velocity.<name>}; Adam: {@code adam.m.<name>},
     * {@code adam.s.<name>} and the counter {@code adam.t.<name>}).
     *
     * @param momentum the momentum of SGD (ignored by Adam)
     */
    public ParameterUpdate update(Tensor parameter, String name, double momentum) {
        return this == SGD ? new ParameterUpdate.Momentum(parameter, name, (float) momentum)
                : new ParameterUpdate.Adam(parameter, name);
    }
}
