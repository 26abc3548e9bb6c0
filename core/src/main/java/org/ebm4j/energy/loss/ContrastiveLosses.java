package org.ebm4j.energy.loss;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.ebm4j.train.SettingChecks;

/**
 * The losses of LeCun et al.'s table, plus the sampled maximum-likelihood rule of Hinton's lecture,
 * by name. {@code E+} is the data energy, {@code E-} a negative's energy and {@code E-*} the lowest
 * negative energy of the example.
 */
public final class ContrastiveLosses {
    /** Names accepted by {@link #byName}. */
    public static final List<String> NAMES = List.of("ml", "energy", "perceptron", "hinge", "log", "square-square",
            "square-exp", "nll", "lvq2", "mce", "min-hinge");

    private ContrastiveLosses() {
    }

    /**
     * @param margin the margin {@code m} of the hinge, min-hinge and square-square losses
     * @param scale {@code gamma} of square-exponential, {@code beta} of NLL/MMI, {@code delta} of LVQ2
     *        (ignored by the others)
     */
    public static ContrastiveLoss byName(String name, double margin, double scale) {
        switch (name) {
            case "ml": return maximumLikelihood();
            case "energy": return energy();
            case "perceptron": return perceptron();
            case "hinge": return hinge(margin);
            case "log": return log();
            case "square-square": return squareSquare(margin);
            case "square-exp": return squareExponential(scale);
            case "nll": return negativeLogLikelihood(scale);
            case "lvq2": return lvq2(scale);
            case "mce": return minimumClassificationError();
            case "min-hinge": return minHinge(margin);
            default:
                throw new IllegalArgumentException("unknown loss '" + name + "'; expected one of " + NAMES);
        }
    }

    /**
     * {@code L = E+ - mean_j E-_j}: with negatives sampled from the model this is the stochastic
     * maximum-likelihood (contrastive divergence) rule, {@code dtheta ~ -dE(data) + dE(negative)}.
     */
    public static ContrastiveLoss maximumLikelihood() {
        return new Named("ml") {
            @Override
            public double example(double ep, double[] en, int off, int k, double[] gp, int i, double[] gn) {
                gp[i] = 1;
                double mean = 0;
                for (int j = off; j < off + k; j++) {
                    mean += en[j];
                    gn[j] = -1.0 / k;
                }
                return ep - mean / k;
            }
        };
    }

    /** Energy loss {@code L = E+}: only pushes the data down (collapses unless the architecture prevents it). */
    public static ContrastiveLoss energy() {
        return new Named("energy") {
            @Override
            public double example(double ep, double[] en, int off, int k, double[] gp, int i, double[] gn) {
                gp[i] = 1;
                Arrays.fill(gn, off, off + k, 0);
                return ep;
            }
        };
    }

    /** Perceptron loss {@code L = E+ - min(E+, E-*)} (the minimum over all answers, the correct one included). */
    public static ContrastiveLoss perceptron() {
        return new MostOffending("perceptron") {
            @Override
            double loss(double ep, double eStar, double[] gp, int i, double[] gn, int j) {
                if (eStar < ep) {
                    gp[i] = 1;
                    gn[j] = -1;
                    return ep - eStar;
                }
                gp[i] = 0;
                return 0;
            }
        };
    }

    /** Hinge loss {@code L = max(0, m + E+ - E-*)}. */
    public static ContrastiveLoss hinge(double margin) {
        checkMargin(margin);
        return new MostOffending("hinge") {
            @Override
            double loss(double ep, double eStar, double[] gp, int i, double[] gn, int j) {
                double v = margin + ep - eStar;
                if (v > 0) {
                    gp[i] = 1;
                    gn[j] = -1;
                    return v;
                }
                gp[i] = 0;
                return 0;
            }
        };
    }

    /** Log (soft hinge) loss {@code L = log(1 + exp(E+ - E-*))}. */
    public static ContrastiveLoss log() {
        return ofDifference("log", z -> Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))), ContrastiveLosses::sigmoid);
    }

    /** Square-square loss {@code L = E+^2 + max(0, m - E-*)^2} (for non-negative energies). */
    public static ContrastiveLoss squareSquare(double margin) {
        checkMargin(margin);
        return new MostOffending("square-square") {
            @Override
            double loss(double ep, double eStar, double[] gp, int i, double[] gn, int j) {
                double h = Math.max(0, margin - eStar);
                gp[i] = 2 * ep;
                gn[j] = -2 * h;
                return ep * ep + h * h;
            }
        };
    }

    /** Square-exponential loss {@code L = E+^2 + gamma exp(-E-*)}. */
    public static ContrastiveLoss squareExponential(double gamma) {
        SettingChecks.positiveFinite("square-exponential gamma", gamma);
        return new MostOffending("square-exp") {
            @Override
            double loss(double ep, double eStar, double[] gp, int i, double[] gn, int j) {
                double e = gamma * Math.exp(-eStar);
                gp[i] = 2 * ep;
                gn[j] = -e;
                return ep * ep + e;
            }
        };
    }

    /**
     * NLL/MMI loss {@code L = E+ + (1/beta) log(exp(-beta E+) + sum_j exp(-beta E-_j))}: the negatives
     * stand for the incorrect answers of the partition function. Computed with the log-sum-exp shift.
     */
    public static ContrastiveLoss negativeLogLikelihood(double beta) {
        SettingChecks.positiveFinite("NLL inverse temperature beta", beta);
        return new Named("nll") {
            @Override
            public double example(double ep, double[] en, int off, int k, double[] gp, int i, double[] gn) {
                double lowest = ep;
                for (int j = off; j < off + k; j++) {
                    lowest = Math.min(lowest, en[j]);
                }
                double z = Math.exp(-beta * (ep - lowest));
                for (int j = off; j < off + k; j++) {
                    z += Math.exp(-beta * (en[j] - lowest));
                }
                gp[i] = 1 - Math.exp(-beta * (ep - lowest)) / z;
                for (int j = off; j < off + k; j++) {
                    gn[j] = -Math.exp(-beta * (en[j] - lowest)) / z;
                }
                return ep - lowest + Math.log(z) / beta;
            }
        };
    }

    /**
     * LVQ2 loss {@code L = min(1, max(0, (E+ - E-*) / (delta E-*)))}: zero while the correct answer is
     * lowest, saturating at 1 once {@code E+ >= (1 + delta) E-*}, so a badly wrong example stops
     * pulling. Meant for positive energies; where {@code E-* <= 0} the ratio has no meaning and the loss
     * is taken as saturated (1 if {@code E+ > E-*}, else 0), with no gradient.
     */
    public static ContrastiveLoss lvq2(double delta) {
        SettingChecks.positiveFinite("LVQ2 delta", delta);
        return new MostOffending("lvq2") {
            @Override
            double loss(double ep, double eStar, double[] gp, int i, double[] gn, int j) {
                gp[i] = 0;
                if (!(eStar > 0)) {
                    return ep > eStar ? 1 : 0;
                }
                double v = (ep - eStar) / (delta * eStar);
                if (v <= 0) {
                    return 0;
                }
                if (v >= 1) {
                    return 1;
                }
                gp[i] = 1 / (delta * eStar);
                gn[j] = -ep / (delta * eStar * eStar);
                return v;
            }
        };
    }

    /** Minimum classification error loss {@code L = sigmoid(E+ - E-*)}: a smooth count of errors. */
    public static ContrastiveLoss minimumClassificationError() {
        return ofDifference("mce", ContrastiveLosses::sigmoid, z -> {
            double s = sigmoid(z);
            return s * (1 - s);
        });
    }

    /**
     * Min-hinge loss {@code L = E+ + max(0, m - E-*)}: the linear counterpart of square-square, pulling
     * the correct answer down always and the most offending one up until it reaches {@code m}.
     */
    public static ContrastiveLoss minHinge(double margin) {
        checkMargin(margin);
        return new MostOffending("min-hinge") {
            @Override
            double loss(double ep, double eStar, double[] gp, int i, double[] gn, int j) {
                gp[i] = 1;
                double h = margin - eStar;
                if (h > 0) {
                    gn[j] = -1;
                    return ep + h;
                }
                return ep;
            }
        };
    }

    // The logistic function without overflow for large |z|.
    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private static void checkMargin(double margin) {
        SettingChecks.nonNegativeFinite("margin", margin);
    }

    /**
     * A loss of {@code E+} and the most offending negative's {@code E-*} alone: the other negatives get
     * no gradient.
     */
    private abstract static class MostOffending extends Named {
        MostOffending(String name) {
            super(name);
        }

        @Override
        public final double example(double ep, double[] en, int off, int k, double[] gp, int i, double[] gn) {
            Arrays.fill(gn, off, off + k, 0);
            int j = ContrastiveLoss.mostOffending(en, off, k);
            return loss(ep, en[j], gp, i, gn, j);
        }

        /** Sets {@code gp[i]} and {@code gn[j]} ({@code j} the most offending negative, energy {@code eStar}); returns L. */
        abstract double loss(double ep, double eStar, double[] gp, int i, double[] gn, int j);
    }

    /**
     * A most-offending loss of {@code z = E+ - E-*} alone, {@code L = value(z)}: its gradient is
     * {@code slope(z) = dL/dz} for the correct answer and {@code -slope(z)} for the offending one.
     */
    private static ContrastiveLoss ofDifference(String name, DoubleUnaryOperator value, DoubleUnaryOperator slope) {
        return new MostOffending(name) {
            @Override
            double loss(double ep, double eStar, double[] gp, int i, double[] gn, int j) {
                double z = ep - eStar;
                double d = slope.applyAsDouble(z);
                gp[i] = d;
                gn[j] = -d;
                return value.applyAsDouble(z);
            }
        };
    }

    private abstract static class Named implements ContrastiveLoss {
        private final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name + " loss";
        }
    }
}
