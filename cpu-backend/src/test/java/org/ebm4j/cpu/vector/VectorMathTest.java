package org.ebm4j.cpu.vector;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.ebm4j.cpu.KernelSelection;
import org.ebm4j.cpu.vector.VectorMathLanes.Fn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vector transcendentals: each lane bit-identical to its scalar twin (so row tails match row
 * bodies), and both within a stated float tolerance of the double-precision function over their
 * whole input range. Runs only where the incubator module is present.
 */
class VectorMathTest {
    private static final double EPS = 0x1p-24;

    @BeforeAll
    static void needsVectorModule() {
        assumeTrue(KernelSelection.vectorModulePresent(), "jdk.incubator.vector not in this JVM");
    }

    /** A dense sweep of [lo, hi] padded to whole vectors. */
    private static float[] sweep(double lo, double hi, int n) {
        int lanes = VectorMathLanes.lanes();
        float[] x = new float[(n + lanes - 1) / lanes * lanes];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (lo + (hi - lo) * i / (x.length - 1));
        }
        return x;
    }

    private interface Reference {
        double at(double x);
    }

    /** Lanes == scalar twin bit for bit; |f - ref| <= relUlps * EPS * |ref| + abs. */
    private static void check(Fn fn, float[] x, Reference ref, double relRoundings, double abs) {
        float[] lanes = VectorMathLanes.vector(fn, x);
        for (int i = 0; i < x.length; i++) {
            float twin = VectorMathLanes.scalar(fn, x[i]);
            if (Float.floatToRawIntBits(twin) != Float.floatToRawIntBits(lanes[i])) {
                throw new AssertionError(fn + "(" + x[i] + "): lane " + lanes[i] + " but scalar twin " + twin);
            }
            double r = ref.at(x[i]);
            double err = Math.abs(lanes[i] - r);
            double tol = relRoundings * EPS * Math.abs(r) + abs;
            if (!(err <= tol)) {
                throw new AssertionError(fn + "(" + x[i] + ") = " + lanes[i] + ", reference " + r + " (tolerance " + tol + ")");
            }
        }
    }

    @Test
    void exp() {
        check(Fn.EXP, sweep(-87, 88, 200_000), Math::exp, 3, 0);
    }

    @Test
    void sigmoid() {
        check(Fn.SIGMOID, sweep(-87, 87, 200_000), x -> 1 / (1 + Math.exp(-x)), 5, 0);
        // beyond the clamp the value saturates: absolute error only
        check(Fn.SIGMOID, sweep(-1e4, 1e4, 20_000), x -> 1 / (1 + Math.exp(-x)), 5, 1e-37);
    }

    @Test
    void softplus() {
        check(Fn.SOFTPLUS, sweep(-80, 80, 200_000),
                x -> x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)), 5, 1e-37);
    }

    @Test
    void logOnTheBoxMullerRadiusRange() {
        float[] x = sweep(0x1p-24, 1, 200_000);
        for (int i = 0; i < 64; i++) {
            x[i] = (i + 1) * 0x1p-24f; // the smallest radius inputs
        }
        x[x.length - 1] = 1f;
        check(Fn.LOG, x, Math::log, 4, 2 * EPS);
    }

    @Test
    void cosOnTheBoxMullerAngleRange() {
        check(Fn.COS, sweep(0, 2 * Math.PI, 200_000), Math::cos, 0, 2.5 * EPS);
    }

    @Test
    void nanPropagates() {
        float[] x = new float[VectorMathLanes.lanes()];
        java.util.Arrays.fill(x, Float.NaN);
        for (Fn fn : new Fn[] {Fn.EXP, Fn.SIGMOID, Fn.SOFTPLUS}) {
            float[] y = VectorMathLanes.vector(fn, x);
            for (float v : y) {
                assertTrue(Float.isNaN(v), fn + " of NaN");
            }
            assertTrue(Float.isNaN(VectorMathLanes.scalar(fn, Float.NaN)), fn + " twin of NaN");
        }
    }
}
