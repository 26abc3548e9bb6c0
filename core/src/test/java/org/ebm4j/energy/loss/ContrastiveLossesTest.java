package org.ebm4j.energy.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class ContrastiveLossesTest {
    // Two examples with three negatives each. Example 0: E+ = 1.0, negatives {2.5, 0.7, 3.0}
    // (most offending 0.7 < E+). Example 1: E+ = 0.2, negatives {1.5, 4.0, 2.0} (all above E+).
    static final double[] DATA = {1.0, 0.2};
    static final double[] NEG = {2.5, 0.7, 3.0, 1.5, 4.0, 2.0};

    static double[][] eval(ContrastiveLoss loss) {
        double[] gp = new double[2];
        double[] gn = new double[6];
        double v = loss.evaluate(DATA, NEG, 3, gp, gn);
        return new double[][] {{v}, gp, gn};
    }

    static void assertValueAndGradient(ContrastiveLoss loss, double expected, double[] gp, double[] gn) {
        double[][] r = eval(loss);
        assertEquals(expected, r[0][0], 1e-12, loss.name() + " value");
        assertArrayEquals(gp, r[1], 1e-12, loss.name() + " dL/dE+");
        assertArrayEquals(gn, r[2], 1e-12, loss.name() + " dL/dE-");
        assertGradientMatchesFiniteDifferences(loss);
    }

    // Central differences in double on every energy (the test points stay away from the kinks).
    static void assertGradientMatchesFiniteDifferences(ContrastiveLoss loss) {
        double[][] r = eval(loss);
        assertFiniteDifferences(r[1], DATA, e -> value(loss, e, NEG), loss.name() + " finite difference dL/dE+");
        assertFiniteDifferences(r[2], NEG, e -> value(loss, DATA, e), loss.name() + " finite difference dL/dE-");
    }

    /** {@code gradient} against central differences (step 1e-6) of {@code f} in every coordinate of {@code x}. */
    static void assertFiniteDifferences(double[] gradient, double[] x, ToDoubleFunction<double[]> f, String what) {
        double h = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
            assertEquals(fd, gradient[i], 1e-6, what + "[" + i + "]");
        }
    }

    static double value(ContrastiveLoss loss, double[] data, double[] neg) {
        return loss.evaluate(data, neg, 3, new double[2], new double[6]);
    }

    @Test
    void maximumLikelihood() {
        double v = (1.0 - (2.5 + 0.7 + 3.0) / 3) + (0.2 - (1.5 + 4.0 + 2.0) / 3);
        double t = -1.0 / 3;
        assertValueAndGradient(ContrastiveLosses.maximumLikelihood(), v, new double[] {1, 1},
                new double[] {t, t, t, t, t, t});
    }

    @Test
    void energyLoss() {
        assertValueAndGradient(ContrastiveLosses.energy(), 1.2, new double[] {1, 1}, new double[6]);
    }

    @Test
    void perceptron() {
        // Example 0: 1.0 - 0.7; example 1: E+ is the minimum, loss 0.
        assertValueAndGradient(ContrastiveLosses.perceptron(), 0.3, new double[] {1, 0},
                new double[] {0, -1, 0, 0, 0, 0});
    }

    @Test
    void hinge() {
        // m = 1: example 0: 1 + 1.0 - 0.7 = 1.3; example 1: 1 + 0.2 - 1.5 = -0.3 -> 0.
        assertValueAndGradient(ContrastiveLosses.hinge(1.0), 1.3, new double[] {1, 0},
                new double[] {0, -1, 0, 0, 0, 0});
        // m = 2: example 1 becomes active too: 2 + 0.2 - 1.5 = 0.7.
        assertValueAndGradient(ContrastiveLosses.hinge(2.0), 2.3 + 0.7, new double[] {1, 1},
                new double[] {0, -1, 0, -1, 0, 0});
    }

    @Test
    void logLoss() {
        double z0 = 1.0 - 0.7;
        double z1 = 0.2 - 1.5;
        double s0 = 1 / (1 + Math.exp(-z0));
        double s1 = 1 / (1 + Math.exp(-z1));
        assertValueAndGradient(ContrastiveLosses.log(), Math.log1p(Math.exp(z0)) + Math.log1p(Math.exp(z1)),
                new double[] {s0, s1}, new double[] {0, -s0, 0, -s1, 0, 0});
    }

    @Test
    void squareSquare() {
        // m = 1: example 0: 1 + (1 - 0.7)^2; example 1: 0.04 + 0 (1.5 > m).
        assertValueAndGradient(ContrastiveLosses.squareSquare(1.0), 1 + 0.09 + 0.04, new double[] {2.0, 0.4},
                new double[] {0, -0.6, 0, 0, 0, 0});
    }

    @Test
    void squareExponential() {
        double g = 0.5;
        double e0 = g * Math.exp(-0.7);
        double e1 = g * Math.exp(-1.5);
        assertValueAndGradient(ContrastiveLosses.squareExponential(g), 1 + e0 + 0.04 + e1, new double[] {2.0, 0.4},
                new double[] {0, -e0, 0, -e1, 0, 0});
    }

    @Test
    void negativeLogLikelihood() {
        double beta = 0.7;
        double[] ex = {1.0, 2.5, 0.7, 3.0};
        double[] ey = {0.2, 1.5, 4.0, 2.0};
        double v = 0;
        double[] gp = new double[2];
        double[] gn = new double[6];
        double[][] all = {ex, ey};
        for (int i = 0; i < 2; i++) {
            double z = 0;
            for (double e : all[i]) {
                z += Math.exp(-beta * e);
            }
            v += all[i][0] + Math.log(z) / beta;
            gp[i] = 1 - Math.exp(-beta * all[i][0]) / z;
            for (int j = 0; j < 3; j++) {
                gn[i * 3 + j] = -Math.exp(-beta * all[i][j + 1]) / z;
            }
        }
        assertValueAndGradient(ContrastiveLosses.negativeLogLikelihood(beta), v, gp, gn);
    }

    @Test
    void lvq2() {
        // delta = 1: example 0: (1.0 - 0.7) / 0.7 inside (0, 1); example 1: E+ below every negative, 0.
        double e = 0.7;
        assertValueAndGradient(ContrastiveLosses.lvq2(1.0), 0.3 / e, new double[] {1 / e, 0},
                new double[] {0, -1.0 / (e * e), 0, 0, 0, 0});
        // delta = 0.2: the ratio 0.3 / 0.14 is past 1, saturated: loss 1 and no pull.
        assertValueAndGradient(ContrastiveLosses.lvq2(0.2), 1.0, new double[] {0, 0}, new double[6]);
    }

    @Test
    void minimumClassificationError() {
        double s0 = 1 / (1 + Math.exp(-(1.0 - 0.7)));
        double s1 = 1 / (1 + Math.exp(-(0.2 - 1.5)));
        double d0 = s0 * (1 - s0);
        double d1 = s1 * (1 - s1);
        assertValueAndGradient(ContrastiveLosses.minimumClassificationError(), s0 + s1, new double[] {d0, d1},
                new double[] {0, -d0, 0, -d1, 0, 0});
    }

    @Test
    void minHinge() {
        // m = 1: example 0: 1.0 + (1 - 0.7); example 1: 0.2 + 0 (1.5 > m).
        assertValueAndGradient(ContrastiveLosses.minHinge(1.0), 1.3 + 0.2, new double[] {1, 1},
                new double[] {0, -1, 0, 0, 0, 0});
    }

    @Test
    void answerDependentMarginsChooseTheNegativeThatViolatesItsMarginMost() {
        // Example 1's lowest negative is 1.5, but with margins {0.5, 0.3, 2.0} the third one violates
        // its margin most: 2.0 + 0.2 - 2.0 = 0.2 against 0.5 + 0.2 - 1.5 < 0.
        double[] margins = {0.1, 0.2, 1.0, 0.5, 0.3, 2.0};
        double[] gp = new double[2];
        double[] gn = new double[6];
        double v = ContrastiveLosses.hinge(0).evaluate(DATA, NEG, margins, 3, gp, gn);
        assertEquals(0.5 + 0.2, v, 1e-12);
        assertArrayEquals(new double[] {1, 1}, gp, 0);
        assertArrayEquals(new double[] {0, -1, 0, 0, 0, -1}, gn, 0);
        ContrastiveLoss log = ContrastiveLosses.log();
        log.evaluate(DATA, NEG, margins, 3, gp, gn);
        assertFiniteDifferences(gn, NEG, e -> log.evaluate(DATA, e, margins, 3, new double[2], new double[6]),
                "log with margins dL/dE-");
        assertThrows(IllegalArgumentException.class,
                () -> log.evaluate(DATA, NEG, new double[5], 3, new double[2], new double[6]));
    }

    @Test
    void nllIsStableForHugeEnergies() {
        double[] gp = new double[1];
        double[] gn = new double[1];
        double v = ContrastiveLosses.negativeLogLikelihood(1).evaluate(new double[] {1e4}, new double[] {1e4 + 1}, 1,
                gp, gn);
        assertEquals(Math.log1p(Math.exp(-1)), v, 1e-9);
        assertTrue(Double.isFinite(gp[0]) && Double.isFinite(gn[0]));
    }

    @Test
    void namesAndBadArguments() {
        for (String n : ContrastiveLosses.NAMES) {
            assertEquals(n, ContrastiveLosses.byName(n, 1, 1).name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContrastiveLosses.byName("squared", 1, 1));
        assertTrue(e.getMessage().contains("squared") && e.getMessage().contains("hinge"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContrastiveLosses.hinge(-1));
        assertThrows(IllegalArgumentException.class, () -> ContrastiveLosses.negativeLogLikelihood(0));
        e = assertThrows(IllegalArgumentException.class, () -> ContrastiveLosses.hinge(1)
                .evaluate(DATA, new double[5], 3, new double[2], new double[5]));
        assertTrue(e.getMessage().contains("need 6 negative energies"), e.getMessage());
    }
    /** One example with one negative: the loss and both derivatives, in that order. */
    private static double[] single(ContrastiveLoss loss, double ep, double en) {
        double[] gp = new double[1];
        double[] gn = new double[1];
        double v = loss.evaluate(new double[] {ep}, new double[] {en}, 1, gp, gn);
        return new double[] {v, gp[0], gn[0]};
    }

    @Test
    void lvq2AtTheEdgesOfItsRamp() {
        ContrastiveLoss lvq = ContrastiveLosses.lvq2(0.5);
        // E-* <= 0: saturated, 1 above E-* and 0 at or below it, never a gradient
        assertArrayEquals(new double[] {1, 0, 0}, single(lvq, 1, 0), 0);
        assertArrayEquals(new double[] {0, 0, 0}, single(lvq, 0, 0), 0);
        assertArrayEquals(new double[] {0, 0, 0}, single(lvq, -1, -0.5), 0);
        // at the foot of the ramp (E+ = E-*) and at its top ((E+ - E-*) / (delta E-*) = 1): flat
        assertArrayEquals(new double[] {0, 0, 0}, single(lvq, 2, 2), 0);
        assertArrayEquals(new double[] {1, 0, 0}, single(lvq, 3, 2), 0);
        // inside: v = (2.5 - 2) / 1, dv/dE+ = 1 / (delta E-*), dv/dE-* = -E+ / (delta E-*^2)
        assertArrayEquals(new double[] {0.5, 1, -2.5 / 2}, single(lvq, 2.5, 2), 1e-15);
    }

    @Test
    void theMinimumClassificationErrorSaturatesWithoutOverflow() {
        ContrastiveLoss mce = ContrastiveLosses.minimumClassificationError();
        // tolerance 0: -0 and 0 are equal, as they should be for a vanished gradient
        assertArrayEquals(new double[] {1, 0, 0}, single(mce, 1000, 0), 0);
        assertArrayEquals(new double[] {0, 0, 0}, single(mce, 0, 1000), 0);
        assertArrayEquals(new double[] {0.5, 0.25, -0.25}, single(mce, 1, 1), 0);
    }

    @Test
    void marginsMustBeNonNegativeAndLossesSayTheirName() {
        assertThrows(IllegalArgumentException.class, () -> ContrastiveLosses.squareSquare(-0.5));
        assertThrows(IllegalArgumentException.class, () -> ContrastiveLosses.minHinge(-0.5));
        assertEquals(0, single(ContrastiveLosses.minHinge(0), 0, 1)[0], "a zero margin is allowed");
        assertEquals(0, single(ContrastiveLosses.squareSquare(0), 0, 1)[0], "a zero margin is allowed");
        assertEquals("hinge loss", ContrastiveLosses.hinge(1).toString());
    }
}
