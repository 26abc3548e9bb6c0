package org.ebm4j.cpu;

import static org.ebm4j.cpu.TestBackends.EPS;
import static org.ebm4j.testing.Rejections.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@code Backend.activation} on every kernel set against the double-precision definitions
 * {@link Activation#value} and {@link Activation#derivative} evaluated at the float
 * {@code z = x + bias} the backend sees: random values over [-30, 30] on the awkward shapes, and
 * the edge values (0, tiny |z|, the exp clamp near +-88, |z| past the fas range switch at 4096,
 * +-1e4, +-infinity, NaN) placed at every column offset so they land in vector bodies and scalar
 * tails alike.
 */
class ActivationParityTest extends OnEveryKernelSet {
    /** Float roundings allowed relative to the reference (the scalar set is correctly rounded but for one). */
    private static final double ROUNDINGS = 6;
    /**
     * Absolute floor: below z = -87 the vector softplus's clamped exponential is off by up to
     * e^-87 (1.6e-38); fas's z^2 in the subnormal range keeps only a few bits, and its tiny
     * derivative past |z| = 1e38 is a product of subnormals.
     */
    private static final double ABS = 2e-38;

    private static void near(double ref, float got, String what, int index) {
        boolean ok;
        if (Double.isNaN(ref)) {
            ok = Float.isNaN(got);
        } else if (Double.isInfinite(ref)) {
            ok = got == ref;
        } else {
            ok = Math.abs(got - ref) <= ROUNDINGS * EPS * Math.abs(ref) + ABS;
        }
        if (!ok) {
            throw new AssertionError(what + " [" + index + "]: expected " + ref + ", got " + got);
        }
    }

    /** Runs activation on {@code b} with both outputs, then each alone, then value in place of x; checks all. */
    private static void check(CpuBackend b, Activation f, float[] x, float[] bias, int rows, int cols) {
        String w = f.shortName() + " " + TestBackends.label(b, rows, cols) + (bias == null ? "" : " with bias");
        Tensor tx = b.fromArray(x, rows, cols);
        Tensor tb = bias == null ? null : b.fromArray(bias, 1, cols);
        Tensor value = b.allocate(rows, cols);
        Tensor deriv = b.allocate(rows, cols);
        b.activation(f, tx, tb, value, deriv);
        float[] v = value.toArray();
        float[] d = deriv.toArray();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                float z = bias == null ? x[i] : x[i] + bias[j];
                near(f.value(z), v[i], w + " value at z=" + z, i);
                near(f.derivative(z), d[i], w + " derivative at z=" + z, i);
            }
        }
        Tensor alone = b.allocate(rows, cols);
        b.activation(f, tx, tb, alone, null);
        assertArrayEquals(v, alone.toArray(), w + ": value alone differs from value with derivative");
        b.activation(f, tx, tb, null, alone);
        assertArrayEquals(d, alone.toArray(), w + ": derivative alone differs from derivative with value");
        // outputs may alias x: derivative in place, then value in place (each from the original x)
        b.activation(f, tx, tb, value, tx);
        assertArrayEquals(d, tx.toArray(), w + ": derivative in place of x");
        tx.copyFrom(x);
        b.activation(f, tx, tb, tx, deriv);
        assertArrayEquals(v, tx.toArray(), w + ": value in place of x");
        assertArrayEquals(d, deriv.toArray(), w + ": derivative next to value in place of x");
    }

    @EveryShape
    void randomValuesOnEveryShape(int rows, int cols) {
        float[] x = TestBackends.uniform(rows * cols, -30, 30, rows * 1009L + cols);
        float[] bias = TestBackends.uniform(cols, -3, 3, cols);
        for (Activation f : Activation.values()) {
            for (CpuBackend b : backends) {
                check(b, f, x, null, rows, cols);
                check(b, f, x, bias, rows, cols);
            }
        }
    }

    @Test
    void edgeValuesInBodiesAndTails() {
        float[] edges = {0f, -0f, 1e-20f, -1e-20f, 1e-4f, -1e-4f, 0.5f, -0.5f, 1f, -1f, 87f, -87f, 88f, -88f, 88.7f,
            -88.7f, 100f, -100f, 4095.99f, -4096f, 4096.01f, -4096.01f, 1e4f, -1e4f, 1e20f, -1e20f, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.MIN_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        // 37 columns: two 16-lane bodies and a 5-element tail, or more tail for narrower vectors; 37 is
        // prime to the edge count, so every edge value visits every column
        int cols = 37;
        int rows = edges.length;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = edges[i % edges.length];
        }
        for (Activation f : Activation.values()) {
            for (CpuBackend b : backends) {
                check(b, f, x, null, rows, cols);
            }
        }
    }

    @Test
    void nanBiasPoisonsItsColumnOnly() {
        float[] x = TestBackends.uniform(5 * 19, -2, 2, 5);
        float[] bias = new float[19];
        bias[3] = Float.NaN;
        for (Activation f : Activation.values()) {
            for (CpuBackend b : backends) {
                Tensor v = b.allocate(5, 19);
                Tensor d = b.allocate(5, 19);
                b.activation(f, b.fromArray(x, 5, 19), b.fromArray(bias, 1, 19), v, d);
                float[] gv = v.toArray();
                float[] gd = d.toArray();
                for (int i = 0; i < gv.length; i++) {
                    boolean nanColumn = i % 19 == 3;
                    assertTrue(Float.isNaN(gv[i]) == nanColumn && Float.isNaN(gd[i]) == nanColumn,
                            f + " " + b.kernels().name() + " element " + i + ": value " + gv[i] + ", derivative " + gd[i]);
                }
            }
        }
    }

    @Test
    void argumentErrorsMatchTheHostDefault() {
        for (CpuBackend b : backends) {
            Tensor x = b.allocate(2, 3);
            Tensor out = b.allocate(2, 3);
            assertRejected(() -> b.activation(Activation.SOFTPLUS, x, null, out, out),
                    "value and derivative must be different tensors");
            assertRejected(() -> b.activation(null, x, null, out, null), "activation function is null");
            assertRejected(() -> b.activation(Activation.LOG1P_SQUARE, x, b.allocate(1, 2), out, null),
                    "bias must be 1x3");
        }
    }
}
