package org.ebm4j.cpu.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.ebm4j.cpu.CpuKernels;
import org.ebm4j.cpu.ScalarKernels;

/**
 * The Vector API kernel set ({@code jdk.incubator.vector}, preferred species). Only loaded
 * reflectively, after the backend has checked that the module is in the boot layer.
 *
 * <p>Loops follow one pattern: a vector body bounded by {@code species.loopBound}, then a scalar
 * tail. Elementwise kernels perform the same IEEE operations as {@link ScalarKernels} (results are
 * bit-identical); transcendentals use {@link VectorMath}, whose scalar twins compute the tails, and
 * reductions sum blocks of at most {@value #BLOCK} elements in several float accumulators and
 * combine the blocks in double.
 */
public final class VectorKernels implements CpuKernels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int F = FS.length();
    /** Elements one float accumulator lane sees at most BLOCK / F of; keeps float rounding small. */
    static final int BLOCK = 4096;

    public VectorKernels() {
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
        for (; i < to; i++) {
            out[i] = a[i] + b[i];
        }
    }

    @Override
    public void sub(float[] a, float[] b, float[] out, int from, int to) {
        int i = from;
        for (int bound = from + FS.loopBound(to - from); i < bound; i += F) {
            FloatVector.fromArray(FS, a, i).sub(FloatVector.fromArray(FS, b, i)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = a[i] - b[i];
        }
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int from, int to) {
        int i = from;
        for (int bound = from + FS.loopBound(to - from); i < bound; i += F) {
            FloatVector.fromArray(FS, a, i).mul(FloatVector.fromArray(FS, b, i)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = a[i] * b[i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, float[] out, int from, int to) {
        int i = from;
        for (int bound = from + FS.loopBound(to - from); i < bound; i += F) {
            FloatVector.fromArray(FS, x, i).mul(alpha).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = alpha * x[i];
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = FS.loopBound(len); i < bound; i += F) {
            FloatVector.fromArray(FS, y, yOff + i).add(FloatVector.fromArray(FS, x, xOff + i).mul(alpha))
                    .intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] = y[yOff + i] + alpha * x[xOff + i];
        }
    }

    @Override
    public void threshold(float[] x, float t, float below, float atOrAbove, float[] out, int from, int to) {
        FloatVector lowV = FloatVector.broadcast(FS, below);
        int i = from;
        for (int bound = from + FS.loopBound(to - from); i < bound; i += F) {
            FloatVector v = FloatVector.fromArray(FS, x, i);
            lowV.blend(atOrAbove, v.compare(VectorOperators.GE, t)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = x[i] >= t ? atOrAbove : below;
        }
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
        int bound = FS.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            int j = 0;
            for (; j < bound; j += F) {
                FloatVector z = FloatVector.fromArray(FS, x, base + j);
                if (bias != null) {
                    z = z.add(FloatVector.fromArray(FS, bias, j));
                }
                VectorMath.sigmoid(z).intoArray(out, base + j);
            }
            for (; j < cols; j++) {
                float z = bias == null ? x[base + j] : x[base + j] + bias[j];
                out[base + j] = VectorMath.sigmoid(z);
            }
        }
    }

    @Override
    public void leapfrog(float[] q, float[] p, float[] grad, float[] invMass, float kick, float drift, int cols,
                         int r0, int r1) {
        int bound = FS.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            int j = 0;
            for (; j < bound; j += F) {
                int i = base + j;
                FloatVector pv = FloatVector.fromArray(FS, p, i).sub(FloatVector.fromArray(FS, grad, i).mul(kick));
                pv.intoArray(p, i);
                FloatVector step = invMass == null ? FloatVector.broadcast(FS, drift)
                        : FloatVector.fromArray(FS, invMass, j).mul(drift);
                FloatVector.fromArray(FS, q, i).add(step.mul(pv)).intoArray(q, i);
            }
            for (; j < cols; j++) {
                int i = base + j;
                float pi = p[i] - kick * grad[i];
                p[i] = pi;
                float step = invMass == null ? drift : drift * invMass[j];
                q[i] = q[i] + step * pi;
            }
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

    private static double sumBlock(float[] x, int from, int to) {
        FloatVector a0 = FloatVector.zero(FS);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = from;
        for (int bound = from + (to - from) / (4 * F) * (4 * F); i < bound; i += 4 * F) {
            a0 = a0.add(FloatVector.fromArray(FS, x, i));
            a1 = a1.add(FloatVector.fromArray(FS, x, i + F));
            a2 = a2.add(FloatVector.fromArray(FS, x, i + 2 * F));
            a3 = a3.add(FloatVector.fromArray(FS, x, i + 3 * F));
        }
        for (int bound = i + FS.loopBound(to - i); i < bound; i += F) {
            a0 = a0.add(FloatVector.fromArray(FS, x, i));
        }
        double s = toDouble(a0.add(a1).add(a2.add(a3)));
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

    private static double dotBlock(float[] a, float[] b, int from, int to) {
        FloatVector a0 = FloatVector.zero(FS);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = from;
        for (int bound = from + (to - from) / (4 * F) * (4 * F); i < bound; i += 4 * F) {
            a0 = FloatVector.fromArray(FS, a, i).fma(FloatVector.fromArray(FS, b, i), a0);
            a1 = FloatVector.fromArray(FS, a, i + F).fma(FloatVector.fromArray(FS, b, i + F), a1);
            a2 = FloatVector.fromArray(FS, a, i + 2 * F).fma(FloatVector.fromArray(FS, b, i + 2 * F), a2);
            a3 = FloatVector.fromArray(FS, a, i + 3 * F).fma(FloatVector.fromArray(FS, b, i + 3 * F), a3);
        }
        for (int bound = i + FS.loopBound(to - i); i < bound; i += F) {
            a0 = FloatVector.fromArray(FS, a, i).fma(FloatVector.fromArray(FS, b, i), a0);
        }
        double s = toDouble(a0.add(a1).add(a2.add(a3)));
        for (; i < to; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** The lanes of {@code v} summed in double. */
    private static double toDouble(FloatVector v) {
        DoubleVector lo = (DoubleVector) v.convertShape(VectorOperators.F2D, DS, 0);
        DoubleVector hi = (DoubleVector) v.convertShape(VectorOperators.F2D, DS, 1);
        return lo.add(hi).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void columnSums(float[] x, int rows, int cols, int c0, int c1, double[] acc) {
        int d = DS.length();
        int j = c0;
        // Two float vectors of columns per pass keep four double accumulators in registers.
        for (; j <= c1 - 2 * F; j += 2 * F) {
            DoubleVector s0 = DoubleVector.zero(DS);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
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
        for (; j <= c1 - F; j += F) {
            DoubleVector s0 = DoubleVector.zero(DS);
            DoubleVector s1 = s0;
            for (int r = 0, i = j; r < rows; r++, i += cols) {
                FloatVector v = FloatVector.fromArray(FS, x, i);
                s0 = s0.add(v.convertShape(VectorOperators.F2D, DS, 0));
                s1 = s1.add(v.convertShape(VectorOperators.F2D, DS, 1));
            }
            s0.intoArray(acc, j);
            s1.intoArray(acc, j + d);
        }
        if (j < c1) {
            for (int c = j; c < c1; c++) {
                acc[c] = 0;
            }
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                for (int c = j; c < c1; c++) {
                    acc[c] += x[base + c];
                }
            }
        }
    }

    @Override
    public void rowSums(float[] x, int cols, float[] out, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            out[r] = (float) sum(x, r * cols, (r + 1) * cols);
        }
    }

    @Override
    public void softplusRowSums(float[] x, float[] bias, float scale, int cols, float[] out, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            double total = 0;
            for (int j0 = 0; j0 < cols; j0 += BLOCK) {
                int j1 = Math.min(cols, j0 + BLOCK);
                FloatVector a0 = FloatVector.zero(FS);
                FloatVector a1 = a0;
                int j = j0;
                for (int bound = j0 + (j1 - j0) / (2 * F) * (2 * F); j < bound; j += 2 * F) {
                    FloatVector z0 = FloatVector.fromArray(FS, x, base + j);
                    FloatVector z1 = FloatVector.fromArray(FS, x, base + j + F);
                    if (bias != null) {
                        z0 = z0.add(FloatVector.fromArray(FS, bias, j));
                        z1 = z1.add(FloatVector.fromArray(FS, bias, j + F));
                    }
                    a0 = a0.add(VectorMath.softplus(z0.mul(scale)));
                    a1 = a1.add(VectorMath.softplus(z1.mul(scale)));
                }
                for (int bound = j + FS.loopBound(j1 - j); j < bound; j += F) {
                    FloatVector z0 = FloatVector.fromArray(FS, x, base + j);
                    if (bias != null) {
                        z0 = z0.add(FloatVector.fromArray(FS, bias, j));
                    }
                    a0 = a0.add(VectorMath.softplus(z0.mul(scale)));
                }
                total += toDouble(a0.add(a1));
                for (; j < j1; j++) {
                    float z = bias == null ? x[base + j] : x[base + j] + bias[j];
                    total += VectorMath.softplus(z * scale);
                }
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
                        int off, int count) {
        VectorPhilox.normals(k0, k1, c1, c2, c3, first, mean, stddev, dst, off, count);
    }

    @Override
    public void bernoulli(float[] probs, float[] out, int from, int to, int k0, int k1, int c1, int c2, int c3,
                          float[] work) {
        FloatVector zero = FloatVector.zero(FS);
        for (int start = from; start < to; start += WORKSPACE_FLOATS) {
            int n = Math.min(WORKSPACE_FLOATS, to - start);
            VectorPhilox.uniforms(k0, k1, c1, c2, c3, start, work, 0, n);
            int i = 0;
            for (int bound = FS.loopBound(n); i < bound; i += F) {
                FloatVector u = FloatVector.fromArray(FS, work, i);
                zero.blend(1f, u.compare(VectorOperators.LT, FloatVector.fromArray(FS, probs, start + i)))
                        .intoArray(out, start + i);
            }
            for (; i < n; i++) {
                out[start + i] = work[i] < probs[start + i] ? 1f : 0f;
            }
        }
    }

    @Override
    public void sigmoidBernoulli(float[] x, float[] bias, float scale, float[] probs, float[] samples, int cols,
                                 int r0, int r1, int k0, int k1, int c1, int c2, int c3, float[] work) {
        FloatVector zero = FloatVector.zero(FS);
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            for (int j0 = 0; j0 < cols; j0 += WORKSPACE_FLOATS) {
                int n = Math.min(WORKSPACE_FLOATS, cols - j0);
                VectorPhilox.uniforms(k0, k1, c1, c2, c3, (long) base + j0, work, 0, n);
                int i = 0;
                for (int bound = FS.loopBound(n); i < bound; i += F) {
                    int e = base + j0 + i;
                    FloatVector z = FloatVector.fromArray(FS, x, e);
                    if (bias != null) {
                        z = z.add(FloatVector.fromArray(FS, bias, j0 + i));
                    }
                    FloatVector p = VectorMath.sigmoid(z.mul(scale));
                    if (probs != null) {
                        p.intoArray(probs, e);
                    }
                    zero.blend(1f, FloatVector.fromArray(FS, work, i).compare(VectorOperators.LT, p))
                            .intoArray(samples, e);
                }
                for (; i < n; i++) {
                    int e = base + j0 + i;
                    float z = bias == null ? x[e] : x[e] + bias[j0 + i];
                    float p = VectorMath.sigmoid(z * scale);
                    if (probs != null) {
                        probs[e] = p;
                    }
                    samples[e] = work[i] < p ? 1f : 0f;
                }
            }
        }
    }

    @Override
    public void gaussian(float[] mean, float[] bias, float stddev, float[] out, int cols, int r0, int r1, int k0,
                         int k1, int c1, int c2, int c3, float[] work) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            for (int j0 = 0; j0 < cols; j0 += WORKSPACE_FLOATS) {
                int n = Math.min(WORKSPACE_FLOATS, cols - j0);
                VectorPhilox.normals(k0, k1, c1, c2, c3, (long) base + j0, 0f, 1f, work, 0, n);
                int i = 0;
                for (int bound = FS.loopBound(n); i < bound; i += F) {
                    int e = base + j0 + i;
                    FloatVector m = FloatVector.fromArray(FS, mean, e);
                    if (bias != null) {
                        m = m.add(FloatVector.fromArray(FS, bias, j0 + i));
                    }
                    m.add(FloatVector.fromArray(FS, work, i).mul(stddev)).intoArray(out, e);
                }
                for (; i < n; i++) {
                    int e = base + j0 + i;
                    float m = bias == null ? mean[e] : mean[e] + bias[j0 + i];
                    out[e] = m + stddev * work[i];
                }
            }
        }
    }
}
