package org.ebm4j.cpu.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.Function;
import org.ebm4j.cpu.KernelSelection;
import org.ebm4j.tensor.Activation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vector transcendentals: every lane bit-identical to its scalar twin (so row tails match row
 * bodies and the twins' accuracy is the lanes' accuracy), and the twins within a stated float
 * tolerance of the double-precision functions over their whole input ranges.
 */
class VectorMathTest {
    private static final double EPS = 0x1p-24;

    @BeforeAll
    static void needsVectorModule() {
        assumeTrue(KernelSelection.vectorModulePresent(), "jdk.incubator.vector not in this JVM");
    }

    /** A dense sweep of [lo, hi], padded to whole vectors. */
    private static float[] sweep(double lo, double hi, int n) {
        int lanes = VectorMathLanes.lanes();
        float[] x = new float[(n + lanes - 1) / lanes * lanes];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (lo + (hi - lo) * i / (x.length - 1));
        }
        return x;
    }

    private static void within(double ref, float got, double relRoundings, double abs, String what) {
        double tol = relRoundings * EPS * Math.abs(ref) + abs;
        if (!(Math.abs(got - ref) <= tol)) {
            throw new AssertionError(what + " = " + got + ", reference " + ref + " (tolerance " + tol + ")");
        }
    }

    private static void sameBits(float lane, float twin, String what) {
        if (Float.floatToRawIntBits(lane) != Float.floatToRawIntBits(twin)) {
            throw new AssertionError(what + ": lane " + lane + " but scalar twin " + twin);
        }
    }

    @Test
    void expTwin() {
        for (float a : sweep(-87, 88, 400_000)) {
            within(Math.exp(a), VectorMath.expClamped(a), 3, 0, "exp(" + a + ")");
        }
    }

    @Test
    void sigmoidLanesAndAccuracy() {
        float[] x = sweep(-87, 87, 200_000);
        float[] y = VectorMathLanes.sigmoid(x);
        for (int i = 0; i < x.length; i++) {
            sameBits(y[i], VectorMath.sigmoid(x[i]), "sigmoid(" + x[i] + ")");
            within(1 / (1 + Math.exp(-(double) x[i])), y[i], 5, 0, "sigmoid(" + x[i] + ")");
        }
        // beyond the clamp the value saturates: absolute error only
        float[] far = sweep(-1e4, 1e4, 20_000);
        float[] yf = VectorMathLanes.sigmoid(far);
        for (int i = 0; i < far.length; i++) {
            sameBits(yf[i], VectorMath.sigmoid(far[i]), "sigmoid(" + far[i] + ")");
            within(1 / (1 + Math.exp(-(double) far[i])), yf[i], 5, 1e-37, "sigmoid(" + far[i] + ")");
        }
    }

    @Test
    void softplusLanesAndAccuracy() {
        int lanes = VectorMathLanes.lanes();
        for (float z : sweep(-80, 80, 20_000)) {
            float twin = VectorMath.softplus(z);
            assertEquals((double) lanes * twin, VectorMathLanes.softplusOfCopies(z), 0.0, "softplus lanes of " + z);
            double ref = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
            within(ref, twin, 5, 1e-37, "softplus(" + z + ")");
        }
    }

    @Test
    void boxMullerLanesAndAccuracy() {
        int n = 100_000;
        float[] u1 = sweep(0x1p-24, 1, n);
        float[] u2 = sweep(0, 1 - 0x1p-24, n);
        for (int i = 0; i < 64; i++) {
            u1[i] = (i + 1) * 0x1p-24f; // the smallest radius inputs
        }
        u1[u1.length - 1] = 1f;
        // shuffle the pairing so radius and angle vary independently
        float[] u2s = new float[u2.length];
        for (int i = 0; i < u2.length; i++) {
            u2s[i] = u2[(int) ((i * 7919L) % u2.length)];
        }
        float[] z = VectorMathLanes.boxMuller(u1, u2s);
        for (int i = 0; i < z.length; i++) {
            // the loop computes mean + stddev * z (here 0 + 1 * z, which turns -0 into +0)
            sameBits(z[i], 0f + 1f * VectorMath.boxMuller(u1[i], u2s[i]), "boxMuller(" + u1[i] + ", " + u2s[i] + ")");
            double radius = Math.sqrt(-2 * Math.log(u1[i]));
            double ref = radius * Math.cos(2 * Math.PI * u2s[i]);
            // the float angle 2 pi u2 itself carries one rounding of up to 2 pi
            within(ref, z[i], 6, radius * 4 * EPS * 2 * Math.PI, "boxMuller(" + u1[i] + ", " + u2s[i] + ")");
        }
    }

    @Test
    void logAndCosTwins() {
        for (float u : sweep(0x1p-24, 1, 200_000)) {
            within(Math.log(u), VectorMath.logUnit(u), 4, 2 * EPS, "log(" + u + ")");
        }
        for (float t : sweep(0, 2 * Math.PI, 200_000)) {
            within(Math.cos(t), VectorMath.cosNonNegative(t), 0, 2.5 * EPS, "cos(" + t + ")");
        }
    }

    /** Sweeps plus the magnitudes where the formulas switch or lose range, both signs. */
    private static float[] activationInputs() {
        float[] dense = sweep(-100, 100, 200_000);
        float[] special = {0f, -0f, 1e-20f, 1e-4f, 0x1p-12f, 1f, 2f, 87f, 88f, 88.5f, 100f, 4095.99f, 4096f,
            4096.01f, 1e4f, 1e19f, 1e20f, Float.MAX_VALUE, Float.MIN_VALUE, Float.MIN_NORMAL, 0.4142f, 0.4143f};
        int lanes = VectorMathLanes.lanes();
        float[] x = java.util.Arrays.copyOf(dense, dense.length + (2 * special.length + lanes - 1) / lanes * lanes);
        for (int i = 0; i < x.length - dense.length; i++) {
            float s = special[(i / 2) % special.length];
            x[dense.length + i] = i % 2 == 0 ? s : -s;
        }
        // the tiny and small magnitudes need a dense relative sweep too: 1 + z^2 rounds to 1 below 2^-12
        for (int i = 0; i < 20_000; i++) {
            x[i * 10] = (float) Math.scalb(1.0 + (i % 1000) / 1000.0, -40 + i / 500) * (i % 2 == 0 ? 1 : -1);
        }
        return x;
    }

    /** The scalar twin of one output of an activation kernel. */
    private interface Twin {
        float at(float z);
    }

    /**
     * The value and derivative lanes of activation {@code f} on {@link #activationInputs()}: bit
     * for bit their scalar twins, and within 6 float roundings plus {@code abs} of the double
     * definition.
     */
    private static void activationLanesMatch(Activation f, Function<float[], float[][]> lanes, Twin value,
                                             Twin derivative, double abs) {
        float[] x = activationInputs();
        float[][] got = lanes.apply(x);
        for (int i = 0; i < x.length; i++) {
            float z = x[i];
            sameBits(got[0][i], value.at(z), f.shortName() + " value(" + z + ")");
            sameBits(got[1][i], derivative.at(z), f.shortName() + " derivative(" + z + ")");
            within(f.value(z), got[0][i], 6, abs, f.shortName() + " value(" + z + ")");
            within(f.derivative(z), got[1][i], 6, abs, f.shortName() + " derivative(" + z + ")");
        }
    }

    /** e^-|z| as the softplus kernel computes it: clamped to the range of the exp polynomial. */
    private static float clampedExpOfMinusAbs(float z) {
        return VectorMath.expClamped(VectorMath.clamp(-Math.abs(z), VectorMath.EXP_LO, VectorMath.EXP_HI));
    }

    @Test
    void softplusActivationLanesAndAccuracy() {
        // past z = -87 the clamped exponential is off by at most e^-87 < 2e-38, absolute
        activationLanesMatch(Activation.SOFTPLUS, VectorMathLanes::softplusActivation,
                z -> VectorMath.softplusFromExp(z, clampedExpOfMinusAbs(z)),
                z -> VectorMath.sigmoidFromExp(z, clampedExpOfMinusAbs(z)), 2e-38);
    }

    @Test
    void fasActivationLanesAndAccuracy() {
        // rounding z^2, 2 + f, the division and the polynomial: up to about 5 roundings. z^2 below
        // the normal range, and 2 / |z| past 1e38, keep fewer bits: an absolute floor of a few
        // subnormal steps
        activationLanesMatch(Activation.LOG1P_SQUARE, VectorMathLanes::fasActivation,
                VectorMath::fasValue, VectorMath::fasDerivative, 0x1p-147);
        float[] ends = new float[VectorMathLanes.lanes()];
        for (int i = 0; i < ends.length; i++) {
            ends[i] = i % 3 == 0 ? Float.POSITIVE_INFINITY : i % 3 == 1 ? Float.NEGATIVE_INFINITY : Float.NaN;
        }
        float[][] e = VectorMathLanes.fasActivation(ends);
        for (int i = 0; i < ends.length; i++) {
            // as the double definition: log1p(inf) = inf, and 2z / (1 + z^2) = inf / inf = NaN
            assertEquals(Float.isNaN(ends[i]) ? Float.NaN : Float.POSITIVE_INFINITY, e[0][i], "fas value(" + ends[i] + ")");
            assertTrue(Float.isNaN(e[1][i]), "fas derivative(" + ends[i] + ") = " + e[1][i]);
            sameBits(e[0][i], VectorMath.fasValue(ends[i]), "fas value twin(" + ends[i] + ")");
            assertTrue(Float.isNaN(VectorMath.fasDerivative(ends[i])), "fas derivative twin(" + ends[i] + ")");
        }
    }

    @Test
    void nanPropagates() {
        float[] x = new float[VectorMathLanes.lanes()];
        java.util.Arrays.fill(x, Float.NaN);
        for (float v : VectorMathLanes.sigmoid(x)) {
            assertTrue(Float.isNaN(v), "sigmoid of NaN");
        }
        assertTrue(Double.isNaN(VectorMathLanes.softplusOfCopies(Float.NaN)), "softplus of NaN");
        assertTrue(Float.isNaN(VectorMath.sigmoid(Float.NaN)) && Float.isNaN(VectorMath.softplus(Float.NaN)));
        assertEquals(Double.POSITIVE_INFINITY, VectorMathLanes.softplusOfCopies(Float.POSITIVE_INFINITY));
    }
}
