package org.ebm4j.cpu.internal.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.ebm4j.cpu.CpuKernels;
import org.ebm4j.cpu.internal.ScalarKernels;
import org.ebm4j.tensor.Activation;

/**
 * The Vector API kernel set ({@code jdk.incubator.vector}, preferred species). Only loaded
 * reflectively, after the backend has checked that the module is in the boot layer.
 *
 * <p>Loops follow one pattern: a vector body bounded by {@code species.loopBound}, then a scalar
 * tail. Elementwise kernels perform the same IEEE operations as {@link ScalarKernels} (results are
 * bit-identical); transcendentals use {@link VectorMath}, whose scalar twins compute the tails.
 * {@code sum}, {@code dot}, {@code rowSums} and {@code columnSums} widen every element to double
 * lanes; the row reductions of non-negative terms ({@code rowSquaredNorms}, {@code softplusRowSums})
 * add blocks of at most {@value #BLOCK} terms in float lanes and combine the blocks in double.
 */
public final class VectorKernels implements CpuKernels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int F = FS.length();
    /** Computes the scalar tails of the elementwise loops, so that they match the scalar set by construction. */
    private static final ScalarKernels SCALAR = new ScalarKernels();
    /** A float accumulator lane adds at most BLOCK / F terms before they move to double. */
    static final int BLOCK = 4096;

    public VectorKernels() {
        if (F < 4) {
            // the Philox word zip pairs long lanes, so it needs at least two of them
            throw new IllegalStateException("the preferred vector shape has " + F + " float lanes; the Vector API "
                    + "kernels need at least 128-bit vectors");
        }
        if (DS.length() * 2 != F) {
            throw new IllegalStateException("preferred double species has " + DS.length() + " lanes, expected " + F / 2);
        }
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int vectorBits() {
        return FS.vectorBitSize();
    }

    /** Float lanes of the preferred species. */
    public static int floatLanes() {
        return F;
    }

    // ---- elementwise --------------------------------------------------------------------------

    @Override
    public void add(float[] a, float[] b, float[] out, int from, int to) {
        int i = from;
        for (int bound = from + FS.loopBound(to - from); i < bound; i += F) {
            FloatVector.fromArray(FS, a, i).add(FloatVector.fromArray(FS, b, i)).intoArray(out, i);
        }
        SCALAR.add(a, b, out, i, to);
    }

    @Override
    public void sub(float[] a, float[] b, float[] out, int from, int to) {
        int i = from;
        for (int bound = from + FS.loopBound(to - from); i < bound; i += F) {
            FloatVector.fromArray(FS, a, i).sub(FloatVector.fromArray(FS, b, i)).intoArray(out, i);
        }
        SCALAR.sub(a, b, out, i, to);
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int from, int to) {
        int i = from;
        for (int bound = from + FS.loopBound(to - from); i < bound; i += F) {
            FloatVector.fromArray(FS, a, i).mul(FloatVector.fromArray(FS, b, i)).intoArray(out, i);
        }
        SCALAR.mul(a, b, out, i, to);
    }

    @Override
    public void scale(float alpha, float[] x, float[] out, int from, int to) {
        int i = from;
        for (int bound = from + FS.loopBound(to - from); i < bound; i += F) {
            FloatVector.fromArray(FS, x, i).mul(alpha).intoArray(out, i);
        }
        SCALAR.scale(alpha, x, out, i, to);
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = FS.loopBound(len); i < bound; i += F) {
            FloatVector.fromArray(FS, y, yOff + i).add(FloatVector.fromArray(FS, x, xOff + i).mul(alpha))
                    .intoArray(y, yOff + i);
        }
        SCALAR.axpy(alpha, x, xOff + i, y, yOff + i, len - i);
    }

    @Override
    public void threshold(float[] x, float t, float below, float atOrAbove, float[] out, int from, int to) {
        FloatVector lowV = FloatVector.broadcast(FS, below);
        int i = from;
        for (int bound = from + FS.loopBound(to - from); i < bound; i += F) {
            FloatVector v = FloatVector.fromArray(FS, x, i);
            lowV.blend(atOrAbove, v.compare(VectorOperators.GE, t)).intoArray(out, i);
        }
        SCALAR.threshold(x, t, below, atOrAbove, out, i, to);
    }

    // ---- row broadcast ------------------------------------------------------------------------

    @Override
    public void addRowVector(float[] x, float[] row, float alpha, float[] out, int cols, int r0, int r1) {
        int bound = FS.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            int j = 0;
            for (; j < bound; j += F) {
                FloatVector.fromArray(FS, x, base + j).add(FloatVector.fromArray(FS, row, j).mul(alpha))
                        .intoArray(out, base + j);
            }
            for (; j < cols; j++) {
                out[base + j] = x[base + j] + alpha * row[j];
            }
        }
    }

    @Override
    public void sigmoid(float[] x, float[] bias, float[] out, int cols, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            VectorMath.sigmoid(x, r * cols, bias, 0, 1f, out, r * cols, cols);
        }
    }

    @Override
    public void activation(Activation f, float[] x, float[] bias, float[] value, float[] derivative, int cols, int r0,
                           int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            switch (f) {
                case SOFTPLUS -> VectorMath.softplusActivation(x, base, bias, 0, value, base, derivative, base, cols);
                case LOG1P_SQUARE -> VectorMath.fasActivation(x, base, bias, 0, value, base, derivative, base, cols);
                // a function without lanes here still gets the right answer, at the scalar speed
                default -> ScalarKernels.activationByDefinition(f, x, bias, value, derivative, cols, r, r + 1);
            }
        }
    }

    @Override
    public void leapfrog(float[] q, float[] p, float[] grad, float[] invMass, float kick, float drift, int cols,
                         int r0, int r1) {
        // A zero kick (drift) must leave p (q) untouched, so 0 * inf never reaches them (the tails
        // run ScalarKernels.leapfrogColumns, which tests the same).
        boolean kicks = kick != 0f;
        boolean drifts = drift != 0f;
        int bound = FS.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            int j = 0;
            for (; j < bound; j += F) {
                int i = base + j;
                FloatVector pv = FloatVector.fromArray(FS, p, i);
                if (kicks) {
                    pv = pv.sub(FloatVector.fromArray(FS, grad, i).mul(kick));
                    pv.intoArray(p, i);
                }
                if (drifts) {
                    FloatVector step = invMass == null ? FloatVector.broadcast(FS, drift)
                            : FloatVector.fromArray(FS, invMass, j).mul(drift);
                    FloatVector.fromArray(FS, q, i).add(step.mul(pv)).intoArray(q, i);
                }
            }
            ScalarKernels.leapfrogColumns(q, p, grad, invMass, kick, drift, base, j, cols);
        }
    }

    // ---- reductions ---------------------------------------------------------------------------

    @Override
    public double sum(float[] x, int from, int to) {
        double total = 0;
        for (int start = from; start < to; start += BLOCK) {
            total += sumBlock(x, start, Math.min(to, start + BLOCK));
        }
        return total;
    }

    /**
     * Every element is widened to double before it is added (two double accumulators per float
     * vector), so the result is as exact as a scalar double loop: a float accumulator would lose
     * small terms next to large ones (2^24 + 1, 2^30 + 999).
     */
    private static double sumBlock(float[] x, int from, int to) {
        DoubleVector a0 = DoubleVector.zero(DS);
        DoubleVector a1 = DoubleVector.zero(DS);
        DoubleVector a2 = DoubleVector.zero(DS);
        DoubleVector a3 = DoubleVector.zero(DS);
        int i = from;
        for (int bound = from + (to - from) / (2 * F) * (2 * F); i < bound; i += 2 * F) {
            FloatVector v = FloatVector.fromArray(FS, x, i);
            FloatVector w = FloatVector.fromArray(FS, x, i + F);
            a0 = a0.add(v.convertShape(VectorOperators.F2D, DS, 0));
            a1 = a1.add(v.convertShape(VectorOperators.F2D, DS, 1));
            a2 = a2.add(w.convertShape(VectorOperators.F2D, DS, 0));
            a3 = a3.add(w.convertShape(VectorOperators.F2D, DS, 1));
        }
        for (int bound = i + FS.loopBound(to - i); i < bound; i += F) {
            FloatVector v = FloatVector.fromArray(FS, x, i);
            a0 = a0.add(v.convertShape(VectorOperators.F2D, DS, 0));
            a1 = a1.add(v.convertShape(VectorOperators.F2D, DS, 1));
        }
        double s = laneSum(a0.add(a1).add(a2.add(a3)));
        for (; i < to; i++) {
            s += x[i];
        }
        return s;
    }

    @Override
    public double dot(float[] a, float[] b, int from, int to) {
        double total = 0;
        for (int start = from; start < to; start += BLOCK) {
            total += dotBlock(a, b, start, Math.min(to, start + BLOCK));
        }
        return total;
    }

    /** Products of floats are exact in double; they are formed and added in double lanes. */
    private static double dotBlock(float[] a, float[] b, int from, int to) {
        DoubleVector a0 = DoubleVector.zero(DS);
        DoubleVector a1 = DoubleVector.zero(DS);
        int i = from;
        for (int bound = from + FS.loopBound(to - from); i < bound; i += F) {
            FloatVector u = FloatVector.fromArray(FS, a, i);
            FloatVector v = FloatVector.fromArray(FS, b, i);
            a0 = ((DoubleVector) u.convertShape(VectorOperators.F2D, DS, 0))
                    .fma((DoubleVector) v.convertShape(VectorOperators.F2D, DS, 0), a0);
            a1 = ((DoubleVector) u.convertShape(VectorOperators.F2D, DS, 1))
                    .fma((DoubleVector) v.convertShape(VectorOperators.F2D, DS, 1), a1);
        }
        double s = laneSum(a0.add(a1));
        for (; i < to; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** The lanes of {@code v} summed in double. */
    private static double toDouble(FloatVector v) {
        DoubleVector lo = (DoubleVector) v.convertShape(VectorOperators.F2D, DS, 0);
        DoubleVector hi = (DoubleVector) v.convertShape(VectorOperators.F2D, DS, 1);
        return laneSum(lo.add(hi));
    }

    /**
     * The lanes of {@code v} added in lane order. {@code reduceLanes(ADD)} leaves the order to the
     * implementation, and the interpreter and C2 do differ (by an ulp): two threads, one still
     * interpreting, would then reduce the same block differently and break the guarantee that
     * every thread count gives the same bits.
     */
    static double laneSum(DoubleVector v) {
        double s = v.lane(0);
        for (int l = 1; l < v.length(); l++) {
            s += v.lane(l);
        }
        return s;
    }

    @Override
    public void columnSums(float[] x, int rows, int cols, int c0, int c1, double[] acc) {
        int j = c0;
        for (; j <= c1 - 2 * F; j += 2 * F) {
            columnTile(x, rows, cols, j, acc);
        }
        for (; j <= c1 - F; j += F) {
            columnVector(x, rows, cols, j, acc);
        }
        if (j < c1) {
            SCALAR.columnSums(x, rows, cols, j, c1, acc);
        }
    }

    /** Sums of columns {@code [j, j + 2F)} down all rows, in four double accumulators kept in registers. */
    private static void columnTile(float[] x, int rows, int cols, int j, double[] acc) {
        int d = DS.length();
        DoubleVector s0 = DoubleVector.zero(DS);
        DoubleVector s1 = DoubleVector.zero(DS);
        DoubleVector s2 = DoubleVector.zero(DS);
        DoubleVector s3 = DoubleVector.zero(DS);
        for (int r = 0, i = j; r < rows; r++, i += cols) {
            FloatVector v = FloatVector.fromArray(FS, x, i);
            FloatVector w = FloatVector.fromArray(FS, x, i + F);
            s0 = s0.add(v.convertShape(VectorOperators.F2D, DS, 0));
            s1 = s1.add(v.convertShape(VectorOperators.F2D, DS, 1));
            s2 = s2.add(w.convertShape(VectorOperators.F2D, DS, 0));
            s3 = s3.add(w.convertShape(VectorOperators.F2D, DS, 1));
        }
        s0.intoArray(acc, j);
        s1.intoArray(acc, j + d);
        s2.intoArray(acc, j + 2 * d);
        s3.intoArray(acc, j + 3 * d);
    }

    private static void columnVector(float[] x, int rows, int cols, int j, double[] acc) {
        DoubleVector s0 = DoubleVector.zero(DS);
        DoubleVector s1 = DoubleVector.zero(DS);
        for (int r = 0, i = j; r < rows; r++, i += cols) {
            FloatVector v = FloatVector.fromArray(FS, x, i);
            s0 = s0.add(v.convertShape(VectorOperators.F2D, DS, 0));
            s1 = s1.add(v.convertShape(VectorOperators.F2D, DS, 1));
        }
        s0.intoArray(acc, j);
        s1.intoArray(acc, j + DS.length());
    }

    @Override
    public void softplusRowSums(float[] x, float[] bias, float scale, int cols, float[] out, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            double total = 0;
            for (int j0 = 0; j0 < cols; j0 += BLOCK) {
                total += VectorMath.softplusSum(x, r * cols + j0, bias, j0, scale, Math.min(BLOCK, cols - j0));
            }
            out[r] = (float) total;
        }
    }

    @Override
    public void rowSquaredNorms(float[] x, float[] w, int cols, float[] out, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            double total = 0;
            for (int j0 = 0; j0 < cols; j0 += BLOCK) {
                int j1 = Math.min(cols, j0 + BLOCK);
                FloatVector a0 = FloatVector.zero(FS);
                FloatVector a1 = a0;
                int j = j0;
                for (int bound = j0 + (j1 - j0) / (2 * F) * (2 * F); j < bound; j += 2 * F) {
                    FloatVector v0 = FloatVector.fromArray(FS, x, base + j);
                    FloatVector v1 = FloatVector.fromArray(FS, x, base + j + F);
                    if (w != null) {
                        a0 = v0.mul(FloatVector.fromArray(FS, w, j)).fma(v0, a0);
                        a1 = v1.mul(FloatVector.fromArray(FS, w, j + F)).fma(v1, a1);
                    } else {
                        a0 = v0.fma(v0, a0);
                        a1 = v1.fma(v1, a1);
                    }
                }
                for (int bound = j + FS.loopBound(j1 - j); j < bound; j += F) {
                    FloatVector v0 = FloatVector.fromArray(FS, x, base + j);
                    a0 = w != null ? v0.mul(FloatVector.fromArray(FS, w, j)).fma(v0, a0) : v0.fma(v0, a0);
                }
                total += toDouble(a0.add(a1));
                for (; j < j1; j++) {
                    double v = x[base + j];
                    total += w == null ? v * v : w[j] * v * v;
                }
            }
            out[r] = (float) total;
        }
    }

    // ---- random -------------------------------------------------------------------------------

    @Override
    public void uniforms(int k0, int k1, int c1, int c2, int c3, long first, float[] dst, int off, int count) {
        VectorPhilox.uniforms(k0, k1, c1, c2, c3, first, dst, off, count);
    }

    @Override
    public void normals(int k0, int k1, int c1, int c2, int c3, long first, float mean, float stddev, float[] dst,
                        int off, int count, float[] scratch, int scratchOff) {
        VectorPhilox.normals(k0, k1, c1, c2, c3, first, mean, stddev, dst, off, count, scratch, scratchOff);
    }

    @Override
    public void bernoulli(float[] probs, float[] out, int from, int to, int k0, int k1, int c1, int c2, int c3,
                          float[] work) {
        for (int start = from; start < to; start += RANDOM_BLOCK) {
            int n = Math.min(RANDOM_BLOCK, to - start);
            VectorPhilox.uniforms(k0, k1, c1, c2, c3, start, work, 0, n);
            below(work, 0, probs, start, out, start, n);
        }
    }

    /** {@code out[outOff + i] = u[uOff + i] < p[pOff + i] ? 1 : 0}; NaN compares false. */
    private static void below(float[] u, int uOff, float[] p, int pOff, float[] out, int outOff, int n) {
        int i = 0;
        for (int bound = FS.loopBound(n); i < bound; i += F) {
            FloatVector uv = FloatVector.fromArray(FS, u, uOff + i);
            FloatVector.zero(FS).blend(1f, uv.compare(VectorOperators.LT, FloatVector.fromArray(FS, p, pOff + i)))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = u[uOff + i] < p[pOff + i] ? 1f : 0f;
        }
    }

    @Override
    public void sigmoidBernoulli(float[] x, float[] bias, float scale, float[] probs, float[] samples, int cols,
                                 int r0, int r1, int k0, int k1, int c1, int c2, int c3, float[] work) {
        // Per block of a row: uniforms into work[0, n), probabilities into probs (or work[RANDOM_BLOCK..]
        // when the caller wants none), then the comparison; all three passes stay in L1.
        float[] p = probs != null ? probs : work;
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            for (int j0 = 0; j0 < cols; j0 += RANDOM_BLOCK) {
                int n = Math.min(RANDOM_BLOCK, cols - j0);
                int e0 = base + j0;
                int pOff = probs != null ? e0 : RANDOM_BLOCK;
                VectorPhilox.uniforms(k0, k1, c1, c2, c3, e0, work, 0, n);
                VectorMath.sigmoid(x, e0, bias, j0, scale, p, pOff, n);
                below(work, 0, p, pOff, samples, e0, n);
            }
        }
    }
}
