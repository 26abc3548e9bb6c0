package org.ebm4j.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceOps;
import org.junit.jupiter.api.Test;

/**
 * The deterministic half of the contract: every {@link org.ebm4j.tensor.Backend} operation against
 * {@link ReferenceOps} on seeded random inputs of awkward shapes, plus the NaN behaviour each
 * method documents.
 */
public abstract class TensorOpsContract extends ContractSupport {

    // ---- allocation and data movement -------------------------------------------------------

    @Test
    @Covers("allocate")
    void allocateGivesZeroTensorsOfTheShape() {
        for (int[] s : SHAPES) {
            Tensor t = zeros(s[0], s[1]);
            assertEquals(s[0], t.rows());
            assertEquals(s[1], t.cols());
            assertEquals(s[0] * s[1], t.size());
            assertEquals(shape(s[0], s[1]), t.shape());
            assertSame(backend, t.backend());
            assertFalse(t.isClosed());
            assertSameFloats("allocate " + t.shape(), new float[t.size()], t.toArray());
        }
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(0, 3));
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(3, -1));
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(1 << 16, 1 << 16));
    }

    @Test
    @Covers("fromArray")
    void fromArrayAndCopiesRoundTrip() {
        for (ShapeCase s : shapeCases(11)) {
            int n = s.size();
            float[] data = s.uniform(n + 5, -3, 3);
            data[0] = Float.NaN;
            data[n - 1] = Float.NEGATIVE_INFINITY;
            Tensor t = tensor(data, s.rows(), s.cols());
            assertEquals(s.shape(), t.shape());
            assertSame(backend, t.backend());
            assertSameFloats("fromArray " + t.shape(), Arrays.copyOf(data, n), t.toArray());

            float[] out = constant(n + 9, 42f);
            t.copyTo(out, 4);
            for (int i = 0; i < n + 9; i++) {
                float want = i >= 4 && i < 4 + n ? data[i - 4] : 42f;
                if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(out[i])) {
                    fail("copyTo at offset 4: host index " + i + " is " + out[i] + ", expected " + want);
                }
            }
            t.copyFrom(data, 5);
            assertSameFloats("copyFrom offset 5", Arrays.copyOfRange(data, 5, 5 + n), t.toArray());
        }
        assertThrows(IllegalArgumentException.class, () -> backend.fromArray(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> backend.fromArray(null, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> backend.fromArray(new float[6], 0, 6));
    }

    @Test
    void copyFromAndCopyToCheckTheHostRangeAndLeaveDataUntouched() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = tensor(data, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> t.copyFrom(new float[5], 0));
        assertThrows(IllegalArgumentException.class, () -> t.copyFrom(new float[6], 1));
        assertThrows(IllegalArgumentException.class, () -> t.copyFrom(new float[6], -1));
        assertThrows(IllegalArgumentException.class, () -> t.copyFrom(null, 0));
        assertSameFloats("after rejected copyFrom", data, t.toArray());
        float[] dst = constant(7, 9f);
        assertThrows(IllegalArgumentException.class, () -> t.copyTo(dst, 2));
        assertThrows(IllegalArgumentException.class, () -> t.copyTo(dst, -1));
        assertThrows(IllegalArgumentException.class, () -> t.copyTo(null, 0));
        assertSameFloats("host array after rejected copyTo", constant(7, 9f), dst);
    }

    @Test
    void tensorCloseIsIdempotentAndUseAfterCloseThrows() {
        Tensor t = backend.fromArray(new float[] {1, 2, 3}, 1, 3);
        t.close();
        assertTrue(t.isClosed());
        t.close();
        assertTrue(t.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.copyTo(new float[3], 0));
        assertTrue(e.getMessage().contains("close"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.copyFrom(new float[3], 0));
        assertThrows(IllegalStateException.class, t::toArray);
    }

    @Test
    @Covers("copy")
    void copyCopiesExactly() {
        for (ShapeCase s : shapeCases(12)) {
            float[] data = s.uniform(s.size(), -1e6, 1e6);
            data[data.length / 2] = Float.NaN;
            Tensor src = tensor(data, s.rows(), s.cols());
            Tensor dst = tensor(constant(data.length, 7f), s.rows(), s.cols());
            backend.copy(src, dst);
            assertSameFloats("copy " + src.shape(), data, dst.toArray());
            assertSameFloats("copy leaves src", data, src.toArray());
            backend.copy(dst, dst);
            assertSameFloats("copy in place", data, dst.toArray());
        }
    }

    @Test
    @Covers("fill")
    void fillSetsEveryElement() {
        for (int[] s : SHAPES) {
            Tensor t = tensor(new float[s[0] * s[1]], s[0], s[1]);
            for (float v : new float[] {-2.5f, 0f, Float.NaN, Float.POSITIVE_INFINITY}) {
                backend.fill(t, v);
                assertSameFloats("fill " + v + " " + t.shape(), constant(t.size(), v), t.toArray());
            }
        }
    }

    @Test
    @Covers({"gatherRows", "gatherOrderedRows"})
    void gatherRowsCopiesTheIndexedRows() {
        SplittableRandom rnd = new SplittableRandom(13);
        int[][] cases = {{1, 1, 1}, {7, 3, 3}, {100, 33, 16}, {1000, 784, 100}, {257, 1, 1000}};
        for (int[] c : cases) {
            int srcRows = c[0];
            int cols = c[1];
            int dstRows = c[2];
            float[] data = uniform(rnd, srcRows * cols, -1, 1);
            Tensor src = tensor(data, srcRows, cols);
            int offset = 3;
            int[] idx = new int[offset + dstRows + 2];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = rnd.nextInt(srcRows);
            }
            idx[offset] = srcRows - 1;
            Tensor dst = tensor(constant(dstRows * cols, 5f), dstRows, cols);
            backend.gatherRows(src, idx, offset, dst);
            float[] want = new float[dstRows * cols];
            for (int i = 0; i < dstRows; i++) {
                System.arraycopy(data, idx[offset + i] * cols, want, i * cols, cols);
            }
            assertSameFloats("gatherRows " + src.shape() + " -> " + dst.shape(), want, dst.toArray());
            // The same rows from the order held on the backend as floats.
            float[] order = new float[idx.length];
            for (int i = 0; i < idx.length; i++) {
                order[i] = idx[i];
            }
            dst.copyFrom(constant(dstRows * cols, 5f));
            backend.gatherOrderedRows(src, tensor(order, 1, order.length), offset, dst);
            assertSameFloats("gatherOrderedRows " + src.shape() + " -> " + dst.shape(), want, dst.toArray());

            // A sentinel, so that rows copied before a bad index was found would show.
            dst.copyFrom(constant(dstRows * cols, -3f));
            float[] before = dst.toArray();
            int[] bad = idx.clone();
            bad[offset + dstRows - 1] = srcRows;
            assertThrows(IllegalArgumentException.class, () -> backend.gatherRows(src, bad, offset, dst));
            bad[offset + dstRows - 1] = -1;
            assertThrows(IllegalArgumentException.class, () -> backend.gatherRows(src, bad, offset, dst));
            assertThrows(IllegalArgumentException.class, () -> backend.gatherRows(src, idx, idx.length - dstRows + 1, dst));
            assertThrows(IllegalArgumentException.class, () -> backend.gatherRows(src, idx, -1, dst));
            assertThrows(IllegalArgumentException.class, () -> backend.gatherRows(src, null, 0, dst));
            assertSameFloats("dst after rejected gatherRows", before, dst.toArray());
        }
    }

    // ---- linear algebra ---------------------------------------------------------------------

    /** (m, k, n) triples mixing the awkward sizes; the large ones are the RBM's. */
    private static final int[][] GEMM_SHAPES = {
        {1, 1, 1}, {1, 7, 3}, {3, 1, 7}, {7, 3, 1}, {16, 33, 100}, {33, 100, 16}, {100, 257, 33}, {257, 16, 100},
        {33, 784, 100}, {100, 784, 16}, {1000, 7, 33}, {3, 1000, 7}, {100, 33, 784},
    };
    /** (alpha, beta) pairs; a NaN-filled c is used whenever beta is 0. */
    private static final float[][] GEMM_SCALARS = {{1f, 0f}, {-0.5f, 1.5f}, {2f, 0f}, {1f, 1f}, {0.75f, -1f}};

    /**
     * Bound: {@code u |exact| + (k + 2) u (|alpha| sum_p |a_ip b_pj| + |beta c_ij|)}: any order of
     * the {@code k} products, FMA or not, plus the alpha and beta roundings.
     */
    @Test
    @Covers("gemm")
    void gemmMatchesTheReferenceInAllFourTransposeCases() {
        SplittableRandom rnd = new SplittableRandom(14);
        int caseIndex = 0;
        for (int[] s : GEMM_SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                float[] scalars = GEMM_SCALARS[caseIndex++ % GEMM_SCALARS.length];
                checkGemm(rnd, m, k, n, transA, transB, scalars[0], scalars[1]);
            }
        }
    }

    private void checkGemm(SplittableRandom rnd, int m, int k, int n, boolean transA, boolean transB, float alpha,
                           float beta) {
        float[] a = uniform(rnd, m * k, -1, 1);
        float[] b = uniform(rnd, k * n, -1, 1);
        float[] c = beta == 0f ? constant(m * n, Float.NaN) : uniform(rnd, m * n, -1, 1);
        Tensor ta = transA ? tensor(a, k, m) : tensor(a, m, k);
        Tensor tb = transB ? tensor(b, n, k) : tensor(b, k, n);
        Tensor tc = tensor(c, m, n);
        backend.gemm(transA, transB, alpha, ta, tb, beta, tc);
        double[] want = ReferenceOps.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
        double[] mag = ReferenceOps.gemm(transA, transB, m, n, k, Math.abs(alpha), ReferenceOps.abs(a),
                ReferenceOps.abs(b), Math.abs(beta), ReferenceOps.abs(c));
        double[] tol = new double[want.length];
        for (int i = 0; i < tol.length; i++) {
            tol[i] = U * Math.abs(want[i]) + (k + 2) * U * mag[i] + TINY;
        }
        assertClose("gemm transA=" + transA + " transB=" + transB + " a " + ta.shape() + " b " + tb.shape()
                + " alpha=" + alpha + " beta=" + beta, want, tc.toArray(), tol);
        assertSameFloats("gemm leaves a", a, ta.toArray());
        assertSameFloats("gemm leaves b", b, tb.toArray());
    }

    @Test
    @Covers("gemm")
    void gemmPropagatesNaNFromItsOperandsButNotFromAnUnreadC() {
        for (int t = 0; t < 4; t++) {
            boolean transA = (t & 1) != 0;
            boolean transB = (t & 2) != 0;
            int m = 7;
            int k = 33;
            int n = 16;
            float[] a = constant(m * k, 0.5f);
            float[] b = constant(k * n, 0.25f);
            // NaN at op(a)[2, 5]: row 2 of c becomes NaN, every other row stays finite.
            a[transA ? 5 * m + 2 : 2 * k + 5] = Float.NaN;
            Tensor ta = transA ? tensor(a, k, m) : tensor(a, m, k);
            Tensor tb = transB ? tensor(b, n, k) : tensor(b, k, n);
            Tensor tc = tensor(constant(m * n, Float.NaN), m, n);
            backend.gemm(transA, transB, 1f, ta, tb, 0f, tc);
            float[] got = tc.toArray();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float v = got[i * n + j];
                    if (i == 2) {
                        assertTrue(Float.isNaN(v), "NaN in op(a) row 2 must reach c[2, " + j + "], got " + v);
                    } else {
                        assertEquals(k * 0.125f, v, 1e-5f, "beta = 0 must not read the NaN in c[" + i + ", " + j + "]");
                    }
                }
            }
            // beta != 0 reads c: a NaN there propagates.
            float[] c = constant(m * n, 1f);
            c[3 * n + 4] = Float.NaN;
            Tensor tc2 = tensor(c, m, n);
            backend.gemm(transA, transB, 1f, ta, tb, 1f, tc2);
            assertTrue(Float.isNaN(tc2.toArray()[3 * n + 4]), "beta != 0: NaN in c propagates");
            assertTrue(Float.isFinite(tc2.toArray()[3 * n + 5]), "beta != 0: finite neighbours stay finite");
        }
    }

    @Test
    @Covers("gemm")
    void gemmNamesBothShapesOnAnInnerDimensionMismatch() {
        Tensor a = zeros(3, 7);
        Tensor b = zeros(16, 33);
        Tensor c = tensor(constant(3 * 33, 4f), 3, 33);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.gemm(false, false, 1f, a, b, 0f, c));
        assertTrue(e.getMessage().contains("3x7") && e.getMessage().contains("16x33"), e.getMessage());
        assertSameFloats("c untouched", constant(3 * 33, 4f), c.toArray());
    }

    // ---- elementwise and broadcast ----------------------------------------------------------

    /** Bound for {@code x + alpha * r}: two roundings (one with FMA) on {@code |x| + |alpha r|}. */
    @Test
    @Covers("addRowVector")
    void addRowVectorBroadcastsOverRows() {
        float[] alphas = {1f, -0.5f, 3f};
        for (ShapeCase s : shapeCases(15)) {
            float alpha = s.cycle(alphas);
            float[] x = s.uniform(s.size(), -2, 2);
            float[] row = s.uniform(s.cols(), -2, 2);
            Tensor tx = tensor(x, s.rows(), s.cols());
            Tensor tr = tensor(row, 1, s.cols());
            Tensor out = zeros(s.rows(), s.cols());
            backend.addRowVector(tx, tr, alpha, out);
            double[] want = ReferenceOps.addRowVector(x, s.rows(), s.cols(), row, alpha);
            double[] mag = ReferenceOps.addRowVector(ReferenceOps.abs(x), s.rows(), s.cols(), ReferenceOps.abs(row),
                    Math.abs(alpha));
            assertClose("addRowVector " + tx.shape(), want, out.toArray(), scaled(mag, 2, want));
            backend.addRowVector(tx, tr, alpha, tx);
            assertClose("addRowVector in place " + tx.shape(), want, tx.toArray(), scaled(mag, 2, want));
        }
    }

    /** {@code u |want| + k u mag + TINY}, per element. */
    protected static double[] scaled(double[] mag, double k, double[] want) {
        double[] tol = new double[mag.length];
        for (int i = 0; i < tol.length; i++) {
            tol[i] = U * Math.abs(want[i]) + k * U * mag[i] + TINY;
        }
        return tol;
    }

    private interface FloatOp {
        double apply(double a, double b);
    }

    /**
     * One IEEE operation, correctly rounded: the exact double result rounded to float once is the
     * only right answer (double has more than 2 * 24 + 2 bits, so rounding twice is innocuous).
     */
    private void checkBinary(String op, FloatOp f, long seed) {
        for (ShapeCase s : shapeCases(seed)) {
            int n = s.size();
            float[] a = s.uniform(n, -4, 4);
            float[] b = s.uniform(n, -4, 4);
            a[n / 2] = Float.NaN;
            b[n - 1] = Float.POSITIVE_INFINITY;
            float[] want = new float[n];
            for (int i = 0; i < n; i++) {
                want[i] = (float) f.apply(a[i], b[i]);
            }
            Tensor ta = tensor(a, s.rows(), s.cols());
            Tensor tb = tensor(b, s.rows(), s.cols());
            Tensor out = zeros(s.rows(), s.cols());
            switch (op) {
                case "add" -> backend.add(ta, tb, out);
                case "sub" -> backend.sub(ta, tb, out);
                default -> backend.mul(ta, tb, out);
            }
            assertSameFloats(op + " " + ta.shape(), want, out.toArray());
            // In place, output aliasing either input.
            switch (op) {
                case "add" -> backend.add(ta, tb, ta);
                case "sub" -> backend.sub(ta, tb, ta);
                default -> backend.mul(ta, tb, ta);
            }
            assertSameFloats(op + " in place (out = a) " + ta.shape(), want, ta.toArray());
            ta.copyFrom(a);
            switch (op) {
                case "add" -> backend.add(ta, tb, tb);
                case "sub" -> backend.sub(ta, tb, tb);
                default -> backend.mul(ta, tb, tb);
            }
            assertSameFloats(op + " in place (out = b) " + ta.shape(), want, tb.toArray());
        }
    }

    @Test
    @Covers("add")
    void addIsCorrectlyRounded() {
        checkBinary("add", (a, b) -> a + b, 16);
    }

    @Test
    @Covers("sub")
    void subIsCorrectlyRounded() {
        checkBinary("sub", (a, b) -> a - b, 17);
    }

    @Test
    @Covers("mul")
    void mulIsCorrectlyRounded() {
        checkBinary("mul", (a, b) -> a * b, 18);
    }

    @Test
    @Covers("scale")
    void scaleIsCorrectlyRounded() {
        float[] alphas = {0.3f, -2f, 0f, 1e-3f};
        for (ShapeCase s : shapeCases(19)) {
            float alpha = s.cycle(alphas);
            float[] x = s.uniform(s.size(), -5, 5);
            x[0] = Float.NaN;
            float[] want = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                want[i] = (float) ((double) alpha * x[i]);
            }
            Tensor tx = tensor(x, s.rows(), s.cols());
            Tensor out = zeros(s.rows(), s.cols());
            backend.scale(alpha, tx, out);
            assertSameFloats("scale " + alpha + " " + tx.shape(), want, out.toArray());
            backend.scale(alpha, tx, tx);
            assertSameFloats("scale in place " + tx.shape(), want, tx.toArray());
        }
    }

    /** Bound for {@code y + alpha x}: two roundings (one with FMA) on {@code |y| + |alpha x|}. */
    @Test
    @Covers({"axpy", "momentumStep"})
    void axpyAddsAScaledTensor() {
        float[] alphas = {0.3f, -2f, 1f};
        for (ShapeCase s : shapeCases(20)) {
            float alpha = s.cycle(alphas);
            int n = s.size();
            float[] x = s.uniform(n, -5, 5);
            float[] y = s.uniform(n, -5, 5);
            x[n - 1] = Float.NaN;
            double[] want = new double[n];
            double[] tol = new double[n];
            for (int i = 0; i < n; i++) {
                want[i] = y[i] + (double) alpha * x[i];
                tol[i] = U * Math.abs(want[i]) + 2 * U * (Math.abs(y[i]) + Math.abs(alpha * x[i])) + TINY;
            }
            Tensor tx = tensor(x, s.rows(), s.cols());
            Tensor ty = tensor(y, s.rows(), s.cols());
            backend.axpy(alpha, tx, ty);
            assertClose("axpy " + alpha + " " + tx.shape(), want, ty.toArray(), tol);
            assertSameFloats("axpy leaves x", x, tx.toArray());

            // momentumStep with velocity y and parameter x is this axpy and then x += y, to the bit;
            // with no decay, only the second.
            Tensor velocity = tensor(y, s.rows(), s.cols());
            Tensor parameter = tensor(x, s.rows(), s.cols());
            backend.momentumStep(alpha, velocity, parameter);
            backend.axpy(1f, ty, tx);
            assertSameFloats("momentumStep velocity " + tx.shape(), ty.toArray(), velocity.toArray());
            assertSameFloats("momentumStep parameter " + tx.shape(), tx.toArray(), parameter.toArray());
            backend.momentumStep(0f, velocity, parameter);
            backend.axpy(1f, ty, tx);
            assertSameFloats("momentumStep without decay " + tx.shape(), tx.toArray(), parameter.toArray());
        }
    }

    /**
     * Bound for {@code sigmoid(z)} from a float {@code z}: {@code 16 u} relative on the value (exp,
     * add, divide, with room for a vectorized exp) plus {@code k u |z| s (1 - s)} for the {@code k}
     * roundings that formed {@code z} (the slope of the sigmoid is {@code s (1 - s)}). Relative, so
     * probabilities near 0 keep their digits (log-likelihoods read them).
     */
    protected static double sigmoidTolerance(double z, double s, int zRoundings) {
        double slope = Double.isInfinite(z) ? 0 : Math.abs(z) * s * (1 - s);
        return 16 * U * s + zRoundings * U * slope + TINY;
    }

    /**
     * The input of a bias-broadcasting op of shape {@code rows x cols}: x uniform in [-range, range], a
     * bias row uniform in [-biasRange, biasRange] when the case has one (else null), drawn in that
     * order, their row-broadcast sum z in double, and x and the bias as tensors.
     */
    protected record BiasedInput(float[] x, float[] bias, double[] z, Tensor tx, Tensor tb) {
    }

    private BiasedInput biasedInput(SplittableRandom rnd, int rows, int cols, boolean withBias, double range) {
        return biasedInput(rnd, rows, cols, range, -1, withBias ? 3 : 0);
    }

    /**
     * {@link BiasedInput} with {@code x[nanAt]} set to NaN before anything is computed from it (none when
     * {@code nanAt < 0}), and no bias when {@code biasRange} is 0.
     */
    protected BiasedInput biasedInput(SplittableRandom rnd, int rows, int cols, double range, int nanAt,
                                      double biasRange) {
        float[] x = uniform(rnd, rows * cols, -range, range);
        if (nanAt >= 0) {
            x[nanAt] = Float.NaN;
        }
        float[] bias = biasRange != 0 ? uniform(rnd, cols, -biasRange, biasRange) : null;
        return new BiasedInput(x, bias, ReferenceOps.addRowVector(x, rows, cols, bias, 1.0), tensor(x, rows, cols),
                bias != null ? tensor(bias, 1, cols) : null);
    }

    /**
     * Every {@link org.ebm4j.tensor.Activation} with and without bias, value and derivative, against
     * the double definitions: each within a few float ulps relative (the inputs are rounded to
     * float first, so the bound also covers the function's sensitivity to that rounding).
     */
    @Test
    @Covers("activation")
    void activationValuesAndDerivatives() {
        SplittableRandom rnd = new SplittableRandom(23);
        int c = 0;
        for (org.ebm4j.tensor.Activation f : org.ebm4j.tensor.Activation.values()) {
            for (int[] s : SHAPES) {
                BiasedInput in = biasedInput(rnd, s[0], s[1], c++ % 2 == 0, 20);
                int n = s[0] * s[1];
                double[] wantV = new double[n];
                double[] wantD = new double[n];
                double[] tolV = new double[n];
                double[] tolD = new double[n];
                for (int i = 0; i < n; i++) {
                    // z is rounded to float in the backend: allow |f'(z)| * |z| * 2^-23 for it, plus 8 ulps.
                    double zi = in.z()[i];
                    wantV[i] = f.value(zi);
                    wantD[i] = f.derivative(zi);
                    double h = Math.abs(zi) * 0x1p-23 + 0x1p-60;
                    tolV[i] = 8 * 0x1p-24 * Math.abs(wantV[i]) + Math.abs(wantD[i]) * h + 1e-30;
                    double slope = Math.abs(f.derivative(zi + h) - f.derivative(zi - h)) / 2;
                    tolD[i] = 8 * 0x1p-24 * Math.abs(wantD[i]) + slope + 1e-30;
                }
                Tensor tx = in.tx();
                Tensor tb = in.tb();
                Tensor value = zeros(s[0], s[1]);
                Tensor deriv = zeros(s[0], s[1]);
                backend.activation(f, tx, tb, value, deriv);
                assertClose("activation " + f + " value " + tx.shape(), wantV, value.toArray(), tolV);
                assertClose("activation " + f + " derivative " + tx.shape(), wantD, deriv.toArray(), tolD);
                Tensor onlyDeriv = zeros(s[0], s[1]);
                backend.activation(f, tx, tb, null, onlyDeriv);
                assertClose("activation " + f + " derivative alone " + tx.shape(), wantD, onlyDeriv.toArray(), tolD);
                backend.activation(f, tx, tb, tx, null);
                assertClose("activation " + f + " value in place " + tx.shape(), wantV, tx.toArray(), tolV);
            }
        }
        Tensor x = tensor(new float[] {Float.NaN, 1f}, 1, 2);
        Tensor v = zeros(1, 2);
        backend.activation(org.ebm4j.tensor.Activation.SOFTPLUS, x, null, v, null);
        assertTrue(Float.isNaN(v.toArray()[0]), "NaN in gives NaN out");
        assertThrows(IllegalArgumentException.class,
                () -> backend.activation(org.ebm4j.tensor.Activation.SOFTPLUS, x, null, null, null),
                "asking for neither value nor derivative is an error");
    }

    @Test
    @Covers("sigmoid")
    void sigmoidWithAndWithoutBias() {
        for (ShapeCase s : shapeCases(21)) {
            BiasedInput in = biasedInput(s.rnd(), s.rows(), s.cols(), s.index() % 2 == 0, 12);
            double[] want = new double[in.z().length];
            double[] tol = new double[want.length];
            for (int i = 0; i < want.length; i++) {
                want[i] = ReferenceOps.sigmoid(in.z()[i]);
                tol[i] = sigmoidTolerance(in.z()[i], want[i], 1);
            }
            Tensor out = zeros(s.rows(), s.cols());
            backend.sigmoid(in.tx(), in.tb(), out);
            assertClose("sigmoid " + in.tx().shape() + (in.bias() != null ? " with bias" : ""), want, out.toArray(),
                    tol);
            backend.sigmoid(in.tx(), in.tb(), in.tx());
            assertClose("sigmoid in place " + in.tx().shape(), want, in.tx().toArray(), tol);
        }
    }

    @Test
    @Covers("sigmoid")
    void sigmoidSaturatesWithoutNaNAndPropagatesNaN() {
        float[] x = {Float.NaN, 100f, -100f, 1000f, -1000f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -87f,
            -90f};
        Tensor tx = tensor(x, 1, x.length);
        Tensor out = zeros(1, x.length);
        backend.sigmoid(tx, null, out);
        double[] want = new double[x.length];
        double[] tol = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            want[i] = ReferenceOps.sigmoid(x[i]);
            tol[i] = sigmoidTolerance(x[i], want[i], 0);
        }
        assertClose("sigmoid of extremes", want, out.toArray(), tol);
        // A NaN bias poisons its column only.
        Tensor x2 = tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor bias = tensor(new float[] {0, Float.NaN, 0}, 1, 3);
        Tensor out2 = zeros(2, 3);
        backend.sigmoid(x2, bias, out2);
        float[] got = out2.toArray();
        for (int i = 0; i < 6; i++) {
            assertEquals(i % 3 == 1, Float.isNaN(got[i]), "NaN bias column only, element " + i + " = " + got[i]);
        }
    }

    @Test
    @Covers("threshold")
    void thresholdComparesAtOrAbove() {
        float[][] params = {{0f, -1f, 1f}, {0.5f, 0f, 1f}, {-0.25f, 3f, -7f}};
        for (ShapeCase s : shapeCases(22)) {
            float[] p = s.cycle(params);
            int n = s.size();
            float[] x = s.uniform(n, -1, 1);
            x[0] = p[0];
            x[n / 2] = Float.NaN;
            x[n - 1] = Float.NEGATIVE_INFINITY;
            if (n > 3) {
                x[1] = Float.POSITIVE_INFINITY;
                x[2] = Math.nextDown(p[0]);
            }
            float[] want = new float[n];
            for (int i = 0; i < n; i++) {
                want[i] = x[i] >= p[0] ? p[2] : p[1];
            }
            Tensor tx = tensor(x, s.rows(), s.cols());
            Tensor out = zeros(s.rows(), s.cols());
            backend.threshold(tx, p[0], p[1], p[2], out);
            assertSameFloats("threshold " + p[0] + " " + tx.shape(), want, out.toArray());
            backend.threshold(tx, p[0], p[1], p[2], tx);
            assertSameFloats("threshold in place " + tx.shape(), want, tx.toArray());
        }
        Tensor nan = tensor(new float[] {Float.NaN}, 1, 1);
        backend.threshold(nan, 0f, -1f, 1f, nan);
        assertEquals(-1f, nan.toArray()[0], "NaN compares false and gives 'below'");
    }

    // ---- reductions -------------------------------------------------------------------------

    /**
     * Bound: {@code u |exact| + (rows + 2) u (|alpha| sum_r |x_rj| + |beta out_j|)}: any
     * summation order, then the alpha and beta roundings.
     */
    @Test
    @Covers("columnSums")
    void columnSumsWithAlphaAndBeta() {
        float[][] ab = {{1f, 0f}, {-0.5f, 1f}, {0.01f, 0.9f}, {2f, 0f}};
        for (ShapeCase s : shapeCases(23)) {
            float[] p = s.cycle(ab);
            int rows = s.rows();
            int cols = s.cols();
            float[] x = s.uniform(rows * cols, -1, 1);
            float[] prev = p[1] == 0f ? constant(cols, Float.NaN) : s.uniform(cols, -1, 1);
            Tensor tx = tensor(x, rows, cols);
            Tensor out = tensor(prev, 1, cols);
            backend.columnSums(tx, p[0], p[1], out);
            double[] want = ReferenceOps.columnSums(x, rows, cols, p[0], p[1], prev);
            double[] mag = ReferenceOps.columnSums(ReferenceOps.abs(x), rows, cols, Math.abs(p[0]), Math.abs(p[1]),
                    ReferenceOps.abs(prev));
            assertClose("columnSums " + tx.shape() + " alpha=" + p[0] + " beta=" + p[1], want, out.toArray(),
                    scaled(mag, rows + 2, want));
        }
    }

    @Test
    @Covers("columnSums")
    void columnSumsPropagateNaNToTheirColumnOnly() {
        float[] x = constant(7 * 3, 1f);
        x[4 * 3 + 1] = Float.NaN;
        Tensor tx = tensor(x, 7, 3);
        Tensor out = tensor(constant(3, Float.NaN), 1, 3);
        backend.columnSums(tx, 1f, 0f, out);
        float[] got = out.toArray();
        assertEquals(7f, got[0]);
        assertTrue(Float.isNaN(got[1]), "NaN in column 1 propagates");
        assertEquals(7f, got[2]);
    }

    @Test
    @Covers("rowSums")
    void rowSumsMatchTheReference() {
        for (ShapeCase s : shapeCases(24)) {
            float[] x = s.uniform(s.size(), -1, 1);
            Tensor tx = tensor(x, s.rows(), s.cols());
            Tensor out = tensor(constant(s.rows(), Float.NaN), s.rows(), 1);
            backend.rowSums(tx, out);
            double[] want = ReferenceOps.rowSums(x, s.rows(), s.cols());
            double[] mag = ReferenceOps.rowSums(ReferenceOps.abs(x), s.rows(), s.cols());
            assertClose("rowSums " + tx.shape(), want, out.toArray(), scaled(mag, s.cols() + 1, want));
        }
        float[] x = constant(3 * 7, 0.5f);
        x[7 + 6] = Float.NaN;
        Tensor out = zeros(3, 1);
        backend.rowSums(tensor(x, 3, 7), out);
        float[] got = out.toArray();
        assertEquals(3.5f, got[0]);
        assertTrue(Float.isNaN(got[1]), "NaN in row 1 propagates");
        assertEquals(3.5f, got[2]);
    }

    /** Seeded logits in [-6, 6] and targets: one-hot rows and (every third row) normalized probabilities. */
    private static float[][] softmaxInputs(SplittableRandom rnd, int rows, int k) {
        float[] z = uniform(rnd, rows * k, -6, 6);
        float[] t = new float[rows * k];
        for (int r = 0; r < rows; r++) {
            if (r % 3 == 2) {
                float[] w = uniform(rnd, k, 0, 1);
                double sum = 0;
                for (float v : w) {
                    sum += v;
                }
                for (int j = 0; j < k; j++) {
                    t[r * k + j] = (float) (w[j] / sum);
                }
            } else {
                t[r * k + rnd.nextInt(k)] = 1f;
            }
        }
        return new float[][] {z, t};
    }

    /**
     * Bounds: {@code p} within {@code p (|z - m| + k + 16) u}: forming {@code z - m} perturbs the
     * exponent by {@code u |z - m|}, {@code exp} and the division add a few ulps, the sum of
     * {@code k} terms in [0, 1] a relative {@code k u}; the gradient adds the rounding of
     * {@code p - t}; the loss term {@code t (z - m - log s)} is within {@code (k + 8) u t (|z - m| +
     * |log s| + 1)} per class, summed.
     */
    @Test
    @Covers("softmaxCrossEntropy")
    void softmaxCrossEntropyMatchesTheReference() {
        for (ShapeCase s : shapeCases(31)) {
            int rows = s.rows();
            int k = s.cols();
            float[][] in = softmaxInputs(s.rnd(), rows, k);
            Tensor z = tensor(in[0], rows, k);
            Tensor t = tensor(in[1], rows, k);
            Tensor p = tensor(constant(rows * k, Float.NaN), rows, k);
            Tensor g = tensor(constant(rows * k, Float.NaN), rows, k);
            Tensor l = tensor(constant(rows, Float.NaN), rows, 1);
            backend.softmaxCrossEntropy(z, t, p, g, l);
            double[][] want = ReferenceOps.softmaxCrossEntropy(in[0], in[1], rows, k);
            double[] tolP = new double[rows * k];
            double[] tolG = new double[rows * k];
            double[] tolL = new double[rows];
            for (int r = 0; r < rows; r++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    m = Math.max(m, in[0][r * k + j]);
                }
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += Math.exp(in[0][r * k + j] - m);
                }
                double logS = Math.abs(Math.log(sum));
                for (int j = 0; j < k; j++) {
                    int i = r * k + j;
                    double d = Math.abs(in[0][i] - m);
                    tolP[i] = want[0][i] * (d + k + 16) * U + TINY;
                    tolG[i] = tolP[i] + 2 * U * (Math.abs(want[1][i]) + 1);
                    tolL[r] += (k + 8) * U * in[1][i] * (d + logS + 1);
                }
                tolL[r] += TINY;
            }
            assertClose("softmaxCrossEntropy probs " + z.shape(), want[0], p.toArray(), tolP);
            assertClose("softmaxCrossEntropy gradOut " + z.shape(), want[1], g.toArray(), tolG);
            assertClose("softmaxCrossEntropy lossPerRow " + z.shape(), want[2], l.toArray(), tolL);
        }
    }

    @Test
    @Covers("softmaxCrossEntropy")
    void softmaxCrossEntropyAliasesNullsAndNonFiniteRows() {
        int rows = 6;
        int k = 4;
        float inf = Float.POSITIVE_INFINITY;
        float[] z = {
            1, 2, 3, 4,
            1, Float.NaN, 3, 4,
            1, inf, 3, 4,
            -inf, -inf, -inf, -inf,
            -inf, 0, 0, 1000,
            88, 89, 90, -inf,
        };
        float[] t = {
            0, 0, 0, 1,
            0, 0, 1, 0,
            0, 1, 0, 0,
            1, 0, 0, 0,
            0, 0, 0, 1,
            1, 0, 0, 0,
        };
        double[][] want = ReferenceOps.softmaxCrossEntropy(z, t, rows, k);
        // Row 4: a -infinity logit with target 0 adds nothing; 1000 does not overflow.
        assertEquals(0.0, want[2][4], 1e-12);
        assertEquals(1.0, want[0][4 * k + 3], 1e-12);
        double[] tol = new double[rows * k];
        Arrays.fill(tol, 1e-6);
        double[] tolL = new double[rows];
        Arrays.fill(tolL, 1e-5);

        Tensor tz = tensor(z, rows, k);
        Tensor tt = tensor(t, rows, k);
        Tensor loss = zeros(rows, 1);
        // probs into the logits, gradient into the targets: exact aliasing is allowed.
        backend.softmaxCrossEntropy(tz, tt, tz, tt, loss);
        assertClose("probs aliasing logits", want[0], tz.toArray(), tol);
        assertClose("gradOut aliasing targets", want[1], tt.toArray(), tol);
        assertClose("loss with aliased outputs", want[2], loss.toArray(), tolL);
        float[] l = loss.toArray();
        for (int r : new int[] {1, 2, 3}) {
            assertTrue(Float.isNaN(l[r]), "row " + r + " with NaN, +inf or all -inf logits gives a NaN loss");
        }
        assertTrue(Float.isFinite(l[0]) && Float.isFinite(l[4]) && Float.isFinite(l[5]), "other rows stay finite");

        // Only the loss; only the gradient (aliasing the logits).
        Tensor z2 = tensor(z, rows, k);
        Tensor t2 = tensor(t, rows, k);
        Tensor loss2 = zeros(rows, 1);
        backend.softmaxCrossEntropy(z2, t2, null, null, loss2);
        assertClose("loss only", want[2], loss2.toArray(), tolL);
        assertSameFloats("logits untouched without outputs", z, z2.toArray());
        backend.softmaxCrossEntropy(z2, t2, null, z2, null);
        assertClose("gradient aliasing logits", want[1], z2.toArray(), tol);
        assertSameFloats("targets untouched", t, t2.toArray());
    }

    @Test
    @Covers("argmaxRows")
    void argmaxRowsMatchesTheReference() {
        for (ShapeCase s : shapeCases(32)) {
            float[] x = s.uniform(s.size(), -1, 1);
            // Some exact ties and NaN elements, so the tie and NaN rules are exercised on every shape.
            for (int r = 0; r < s.rows(); r += 3) {
                x[r * s.cols() + s.rnd().nextInt(s.cols())] = 2f;
                x[r * s.cols() + s.rnd().nextInt(s.cols())] = 2f;
                x[r * s.cols() + s.rnd().nextInt(s.cols())] = Float.NaN;
            }
            Tensor out = tensor(constant(s.rows(), Float.NaN), s.rows(), 1);
            backend.argmaxRows(tensor(x, s.rows(), s.cols()), out);
            int[] want = ReferenceOps.argmaxRows(x, s.rows(), s.cols());
            double[] wantD = new double[want.length];
            for (int i = 0; i < want.length; i++) {
                wantD[i] = want[i];
            }
            assertClose("argmaxRows " + s.shape(), wantD, out.toArray(), new double[want.length]);
        }
        float nan = Float.NaN;
        float[] x = {
            3, 5, 5, 1,
            nan, -1, 7, 7,
            nan, nan, nan, nan,
            Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
            -2, nan, Float.POSITIVE_INFINITY, 4,
        };
        Tensor out = zeros(5, 1);
        backend.argmaxRows(tensor(x, 5, 4), out);
        assertSameFloats("argmaxRows ties, NaN and infinities", new float[] {1, 2, 0, 0, 2}, out.toArray());
    }

    /**
     * Bound: per term {@code softplus(z)} within {@code 16 u (softplus(z) + 1)} (the {@code + 1}
     * covers {@code log(1 + tiny)}) plus {@code 2 u |z|} from forming {@code z}; then the sum
     * over {@code cols} terms in any order.
     */
    @Test
    @Covers("softplusRowSums")
    void softplusRowSumsWithBiasAndScale() {
        float[] scales = {1f, 0.5f, 0f, -1.5f};
        for (ShapeCase s : shapeCases(25)) {
            int rows = s.rows();
            int cols = s.cols();
            float scale = s.cycle(scales);
            boolean withBias = s.index() % 3 != 1;
            float[] x = s.uniform(rows * cols, -10, 10);
            float[] bias = withBias ? s.uniform(cols, -5, 5) : null;
            Tensor tx = tensor(x, rows, cols);
            Tensor tb = withBias ? tensor(bias, 1, cols) : null;
            Tensor out = zeros(rows, 1);
            backend.softplusRowSums(tx, tb, scale, out);
            double[] want = ReferenceOps.softplusRowSums(x, rows, cols, bias, scale);
            double[] tol = softplusTolerance(x, rows, cols, bias, scale, want);
            assertClose("softplusRowSums " + tx.shape() + " scale=" + scale + (withBias ? " with bias" : ""), want,
                    out.toArray(), tol);
        }
    }

    private static double[] softplusTolerance(float[] x, int rows, int cols, float[] bias, float scale, double[] want) {
        double[] tol = new double[rows];
        for (int r = 0; r < rows; r++) {
            double mag = 0;
            for (int j = 0; j < cols; j++) {
                double z = (double) scale * ((double) x[r * cols + j] + (bias == null ? 0.0 : bias[j]));
                mag += ReferenceOps.softplus(z) + Math.abs(z) + 1;
            }
            tol[r] = U * Math.abs(want[r]) + (cols + 16) * U * mag + TINY;
        }
        return tol;
    }

    @Test
    @Covers("softplusRowSums")
    void softplusDoesNotOverflowAndPropagatesNaN() {
        float[] x = {200f, -200f, 100f, 1e30f, -1e30f, 0f, Float.NaN, 1f, 1f, 1f, Float.POSITIVE_INFINITY, 0f};
        Tensor tx = tensor(x, 4, 3);
        Tensor out = zeros(4, 1);
        backend.softplusRowSums(tx, null, 1f, out);
        double[] want = ReferenceOps.softplusRowSums(x, 4, 3, null, 1f);
        float[] got = out.toArray();
        assertClose("softplus(200) + softplus(-200) + softplus(100)", want[0], got[0], 64 * U * 300);
        assertClose("softplus(1e30) + softplus(-1e30) + softplus(0)", want[1], got[1], 64 * U * 1e30);
        assertTrue(Float.isNaN(got[2]), "NaN in row 2 propagates: " + got[2]);
        assertEquals(Float.POSITIVE_INFINITY, got[3], "softplus(+inf) = +inf");
    }

    @Test
    @Covers("rowSquaredNorms")
    void rowSquaredNormsWithAndWithoutWeights() {
        for (ShapeCase s : shapeCases(26)) {
            boolean withWeights = s.index() % 2 == 0;
            float[] x = s.uniform(s.size(), -3, 3);
            float[] w = withWeights ? s.uniform(s.cols(), 0, 4) : null;
            Tensor tx = tensor(x, s.rows(), s.cols());
            Tensor tw = withWeights ? tensor(w, 1, s.cols()) : null;
            Tensor out = zeros(s.rows(), 1);
            backend.rowSquaredNorms(tx, tw, out);
            double[] want = ReferenceOps.rowSquaredNorms(x, s.rows(), s.cols(), w);
            double[] mag = ReferenceOps.rowSquaredNorms(x, s.rows(), s.cols(), ReferenceOps.abs(w));
            assertClose("rowSquaredNorms " + tx.shape() + (withWeights ? " weighted" : ""), want, out.toArray(),
                    scaled(mag, s.cols() + 3, want));
        }
        float[] x = {1, 2, Float.NaN, 3};
        Tensor out = zeros(2, 1);
        backend.rowSquaredNorms(tensor(x, 2, 2), null, out);
        assertEquals(5f, out.toArray()[0]);
        assertTrue(Float.isNaN(out.toArray()[1]), "NaN in row 1 propagates");
    }

    /** Bound: double accumulation, {@code n 2^-53 sum|x|}, with room for float pre-reductions of a few terms. */
    @Test
    @Covers("sum")
    void sumMatchesTheReference() {
        for (ShapeCase s : shapeCases(27)) {
            float[] x = s.uniform(s.size(), -1, 1);
            double want = ReferenceOps.sum(x);
            double mag = ReferenceOps.sum(ReferenceOps.abs(x));
            assertClose("sum " + s.shape(), want, backend.sum(tensor(x, s.rows(), s.cols())),
                    4 * U * mag + TINY);
        }
        float[] nan = constant(100, 1f);
        nan[57] = Float.NaN;
        assertTrue(Double.isNaN(backend.sum(tensor(nan, 10, 10))), "NaN propagates through sum");
    }

    @Test
    @Covers("sum")
    void sumAccumulatesInDouble() {
        // 2^24 + 1 is not a float: a float accumulator, in any order, returns 2^24 or 2^24 + 2.
        float[] x = new float[33];
        x[0] = 0x1p24f;
        x[16] = 1f;
        assertEquals(16777217.0, backend.sum(tensor(x, 3, 11)), 0.0);
        float[] y = constant(1000, 1f);
        y[500] = 0x1p30f;
        assertEquals(0x1p30 + 999, backend.sum(tensor(y, 1, 1000)), 0.0);
    }

    @Test
    @Covers("dot")
    void dotMatchesTheReference() {
        for (ShapeCase s : shapeCases(28)) {
            float[] a = s.uniform(s.size(), -1, 1);
            float[] b = s.uniform(s.size(), -1, 1);
            double want = ReferenceOps.dot(a, b);
            double mag = ReferenceOps.dot(ReferenceOps.abs(a), ReferenceOps.abs(b));
            double got = backend.dot(tensor(a, s.rows(), s.cols()), tensor(b, s.rows(), s.cols()));
            assertClose("dot " + s.shape(), want, got, 4 * U * mag + TINY);
        }
        // 4096^2 + 1 = 2^24 + 1: exact only with a double accumulator (float products of these are exact).
        float[] a = new float[7];
        a[0] = 4096f;
        a[6] = 1f;
        assertEquals(16777217.0, backend.dot(tensor(a, 7, 1), tensor(a.clone(), 7, 1)), 0.0);
        float[] nan = constant(7, 1f);
        nan[3] = Float.NaN;
        assertTrue(Double.isNaN(backend.dot(tensor(nan, 1, 7), tensor(constant(7, 2f), 1, 7))), "NaN propagates through dot");
    }

    @Test
    void nameDescribeAndSamplerAreAvailable() {
        assertTrue(backend.name() != null && !backend.name().isBlank(), "backend has a name");
        assertTrue(backend.describe() != null, "describe() returns facts");
        assertTrue(backend.sampler() != null, "sampler() returns the random half");
    }

    /**
     * {@code runStep} is not an operation on tensors (no {@code @Covers} tag) but a promise: the
     * step's operations take effect as if it were run directly, step after step, also where a backend
     * records one step's device work and replays it (CUDA graphs). Five steps, each a product, a fused
     * sampling with the stream's next draws and a learning-rate-scaled update, through {@code runStep}
     * must leave the same bits as the same five run directly.
     */
    @Test
    void runStepGivesWhatRunningTheStepGives() {
        SplittableRandom rnd = new SplittableRandom(31);
        float[] v = uniform(rnd, 6 * 5, 0, 1);
        float[] w = uniform(rnd, 5 * 4, -1, 1);
        float[] b = uniform(rnd, 4, -1, 1);
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            Tensor tv = tensor(v, 6, 5);
            Tensor tw = tensor(w, 5, 4);
            Tensor tb = tensor(b, 1, 4);
            Tensor pre = zeros(6, 4);
            Tensor prob = zeros(6, 4);
            Tensor sample = zeros(6, 4);
            RandomStream rng = new RandomStream(77L);
            int[] steps = {0};
            for (int step = 0; step < 5; step++) {
                float rate = 0.1f / (1 + step);
                Runnable s = () -> {
                    steps[0]++;
                    backend.gemm(false, false, 1f, tv, tw, 0f, pre);
                    backend.sampler().sampleSigmoidBernoulli(pre, tb, 1f, prob, sample, rng);
                    backend.gemm(true, false, rate, tv, sample, 1f, tw);
                };
                if (run == 0) {
                    s.run();
                } else {
                    backend.runStep(s);
                }
            }
            assertEquals(5, steps[0], "each step runs once");
            weights[run] = tw.toArray();
        }
        assertSameFloats("weights after five steps through runStep", weights[0], weights[1]);
    }

    // ---- the training loop's device-side operations -------------------------------------------

    @Test
    @Covers("gatherOrderedRows")
    void gatherOrderedRowsGivesNaNRowsForEntriesThatNameNoRow() {
        SplittableRandom rnd = new SplittableRandom(91);
        // Entries that name no row: negative, fractional, one past the end, NaN, infinite.
        Tensor src = tensor(uniform(rnd, 4 * 3, -1, 1), 4, 3);
        float[] order = {2, -1, 1.5f, 4, Float.NaN, Float.POSITIVE_INFINITY, 0};
        Tensor dst = tensor(constant(order.length * 3, 5f), order.length, 3);
        backend.gatherOrderedRows(src, tensor(order, 1, order.length), 0, dst);
        float[] got = dst.toArray();
        float[] s = src.toArray();
        for (int r = 0; r < order.length; r++) {
            for (int j = 0; j < 3; j++) {
                boolean valid = r == 0 || r == order.length - 1;
                float want = valid ? s[(int) order[r] * 3 + j] : Float.NaN;
                assertSameFloats("gatherOrderedRows entry " + order[r] + " column " + j, new float[] {want},
                        new float[] {got[r * 3 + j]});
            }
        }
    }

    @Test
    @Covers("sumInto")
    void sumIntoStoresTheRoundedSumOrDotInItsSlotOnly() {
        for (ShapeCase s : shapeCases(92)) {
            float[] start = s.uniform(6, -1, 1);
            Tensor a = tensor(s.uniform(s.size(), -2, 2), s.rows(), s.cols());
            Tensor b = tensor(s.uniform(s.size(), -2, 2), s.rows(), s.cols());
            Tensor sums = tensor(start, 2, 3);
            backend.sumInto(a, null, sums, 4);
            backend.sumInto(a, b, sums, 1);
            float[] want = start.clone();
            // The same accumulation as sum and dot, rounded once: equal to the bit on every backend.
            want[4] = (float) backend.sum(a);
            want[1] = (float) backend.dot(a, b);
            assertSameFloats("sumInto " + a.shape(), want, sums.toArray());
        }
        Tensor x = tensor(new float[] {1, Float.NaN, 2}, 1, 3);
        Tensor sums = tensor(constant(2, 7f), 1, 2);
        backend.sumInto(x, null, sums, 0);
        assertTrue(Float.isNaN(sums.toArray()[0]), "NaN propagates into its slot");
        assertEquals(7f, sums.toArray()[1]);
    }

    @Test
    @Covers("biasMomentumStep")
    void biasMomentumStepEqualsColumnSumsThenAxpy() {
        float[] keeps = {0.9f, 0f, 0.5f};
        for (ShapeCase s : shapeCases(94)) {
            float keep = s.cycle(keeps);
            int rows = s.rows();
            int cols = s.cols();
            int modelRows = rows % 3 + 1;
            float[] data = s.uniform(rows * cols, 0, 1);
            float[] model = s.uniform(modelRows * cols, 0, 1);
            float[] v = keep == 0f ? constant(cols, Float.NaN) : s.uniform(cols, -1, 1);
            float[] p = s.uniform(cols, -2, 2);
            float ds = 0.01f / rows;
            float ms = -0.01f / modelRows;
            Tensor d = tensor(data, rows, cols);
            Tensor m = tensor(model, modelRows, cols);
            Tensor v1 = tensor(v, 1, cols);
            Tensor p1 = tensor(p, 1, cols);
            Tensor v2 = tensor(v, 1, cols);
            Tensor p2 = tensor(p, 1, cols);
            backend.biasMomentumStep(d, ds, m, ms, keep, v1, p1);
            backend.columnSums(d, ds, keep, v2);
            backend.columnSums(m, ms, 1f, v2);
            backend.axpy(1f, v2, p2);
            // The fused and unfused forms differ at most in the order each column's double sum is
            // accumulated (error ~rows * 2^-53 relative), which float rounding hides except at a tie:
            // then each of the two velocity roundings and the parameter's may move by one ulp, so
            // 2^-22 of the velocity's terms plus 2^-23 of the parameter's bounds the difference.
            double[] want = new double[cols];
            double[] tolV = new double[cols];
            double[] tolP = new double[cols];
            float[] uv = v2.toArray();
            float[] up = p2.toArray();
            for (int j = 0; j < cols; j++) {
                double mag = Math.abs(ds) * rows + Math.abs(ms) * modelRows + (keep == 0f ? 0 : Math.abs(keep * v[j]));
                tolV[j] = 0x1p-22 * mag + TINY;
                tolP[j] = tolV[j] + 0x1p-23 * (Math.abs(p[j]) + mag) + TINY;
                want[j] = uv[j];
            }
            assertClose("biasMomentumStep velocity " + d.shape() + " keep " + keep, want, v1.toArray(), tolV);
            for (int j = 0; j < cols; j++) {
                want[j] = up[j];
            }
            assertClose("biasMomentumStep parameter " + d.shape() + " keep " + keep, want, p1.toArray(), tolP);
        }
    }
}
