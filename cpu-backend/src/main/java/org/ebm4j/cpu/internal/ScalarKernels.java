package org.ebm4j.cpu.internal;

import org.ebm4j.cpu.CpuKernels;
import org.ebm4j.random.Philox;
import org.ebm4j.tensor.Activation;

/**
 * The plain-Java kernel set: simple loops that the JIT may auto-vectorize, reductions accumulated
 * in double. Always available; the reference the Vector API set is tested against. The static
 * Philox range generators are shared with the vector set for its unaligned heads and tails.
 */
public final class ScalarKernels implements CpuKernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBits() {
        return 0;
    }

    // ---- elementwise --------------------------------------------------------------------------

    @Override
    public void add(float[] a, float[] b, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = a[i] + b[i];
        }
    }

    @Override
    public void sub(float[] a, float[] b, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = a[i] - b[i];
        }
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = a[i] * b[i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = alpha * x[i];
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) {
            y[yOff + i] = y[yOff + i] + alpha * x[xOff + i];
        }
    }

    @Override
    public void threshold(float[] x, float t, float below, float atOrAbove, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = x[i] >= t ? atOrAbove : below;
        }
    }

    // ---- row broadcast ------------------------------------------------------------------------

    @Override
    public void addRowVector(float[] x, float[] row, float alpha, float[] out, int cols, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            for (int j = 0; j < cols; j++) {
                out[base + j] = x[base + j] + alpha * row[j];
            }
        }
    }

    @Override
    public void sigmoid(float[] x, float[] bias, float[] out, int cols, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            for (int j = 0; j < cols; j++) {
                float z = bias == null ? x[base + j] : x[base + j] + bias[j];
                out[base + j] = sigmoid(z);
            }
        }
    }

    /** {@code 1 / (1 + exp(-z))} in float, as the scalar set computes it; NaN gives NaN. */
    public static float sigmoid(float z) {
        return 1f / (1f + (float) Math.exp(-z));
    }

    @Override
    public void activation(Activation f, float[] x, float[] bias, float[] value, float[] derivative, int cols, int r0,
                           int r1) {
        activationByDefinition(f, x, bias, value, derivative, cols, r0, r1);
    }

    /**
     * {@link #activation} through the double-precision definitions {@link Activation#value} and
     * {@link Activation#derivative} at the float {@code z}: correctly rounded but for the last
     * double rounding, and valid for any {@link Activation}, so the vector set falls back to it for
     * a function it has no lanes for.
     */
    public static void activationByDefinition(Activation f, float[] x, float[] bias, float[] value,
                                              float[] derivative, int cols, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            for (int j = 0; j < cols; j++) {
                int i = base + j;
                float z = bias == null ? x[i] : x[i] + bias[j];
                // both outputs come from z, read before either store: each may alias x
                if (value != null) {
                    value[i] = (float) f.value(z);
                }
                if (derivative != null) {
                    derivative[i] = (float) f.derivative(z);
                }
            }
        }
    }

    @Override
    public void leapfrog(float[] q, float[] p, float[] grad, float[] invMass, float kick, float drift, int cols,
                         int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            leapfrogColumns(q, p, grad, invMass, kick, drift, r * cols, 0, cols);
        }
    }

    /** {@link #leapfrog} on columns {@code [j0, j1)} of the row that starts at {@code base}. */
    public static void leapfrogColumns(float[] q, float[] p, float[] grad, float[] invMass, float kick, float drift,
                                       int base, int j0, int j1) {
        // A zero kick (drift) must leave p (q) untouched, so 0 * inf never reaches them.
        boolean kicks = kick != 0f;
        boolean drifts = drift != 0f;
        for (int j = j0; j < j1; j++) {
            int i = base + j;
            float pi = p[i];
            if (kicks) {
                pi = pi - kick * grad[i];
                p[i] = pi;
            }
            if (drifts) {
                float step = invMass == null ? drift : drift * invMass[j];
                q[i] = q[i] + step * pi;
            }
        }
    }

    // ---- reductions ---------------------------------------------------------------------------

    @Override
    public double sum(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i];
        }
        return s;
    }

    @Override
    public double dot(float[] a, float[] b, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Override
    public void columnSums(float[] x, int rows, int cols, int c0, int c1, double[] acc) {
        for (int j = c0; j < c1; j++) {
            acc[j] = 0;
        }
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int j = c0; j < c1; j++) {
                acc[j] += x[base + j];
            }
        }
    }

    @Override
    public void softplusRowSums(float[] x, float[] bias, float scale, int cols, float[] out, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            double s = 0;
            for (int j = 0; j < cols; j++) {
                float z = scale * (bias == null ? x[base + j] : x[base + j] + bias[j]);
                s += softplus(z);
            }
            out[r] = (float) s;
        }
    }

    /** {@code log(1 + exp(z))} in double without overflow; NaN gives NaN, +inf gives +inf. */
    public static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }

    @Override
    public void rowSquaredNorms(float[] x, float[] w, int cols, float[] out, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            double s = 0;
            for (int j = 0; j < cols; j++) {
                double v = x[base + j];
                s += w == null ? v * v : w[j] * v * v;
            }
            out[r] = (float) s;
        }
    }

    // ---- random -------------------------------------------------------------------------------

    @Override
    public void uniforms(int k0, int k1, int c1, int c2, int c3, long first, float[] dst, int off, int count) {
        uniformRange(k0, k1, c1, c2, c3, first, dst, off, count);
    }

    @Override
    public void normals(int k0, int k1, int c1, int c2, int c3, long first, float mean, float stddev, float[] dst,
                        int off, int count, float[] scratch, int scratchOff) {
        normalRange(k0, k1, c1, c2, c3, first, mean, stddev, dst, off, count);
    }

    @Override
    public void bernoulli(float[] probs, float[] out, int from, int to, int k0, int k1, int c1, int c2, int c3,
                          float[] work) {
        for (int start = from; start < to; start += RANDOM_BLOCK) {
            int n = Math.min(RANDOM_BLOCK, to - start);
            uniformRange(k0, k1, c1, c2, c3, start, work, 0, n);
            for (int i = 0; i < n; i++) {
                out[start + i] = work[i] < probs[start + i] ? 1f : 0f;
            }
        }
    }

    @Override
    public void sigmoidBernoulli(float[] x, float[] bias, float scale, float[] probs, float[] samples, int cols,
                                 int r0, int r1, int k0, int k1, int c1, int c2, int c3, float[] work) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            for (int j0 = 0; j0 < cols; j0 += RANDOM_BLOCK) {
                int n = Math.min(RANDOM_BLOCK, cols - j0);
                uniformRange(k0, k1, c1, c2, c3, (long) base + j0, work, 0, n);
                for (int i = 0; i < n; i++) {
                    int j = j0 + i;
                    int e = base + j;
                    float z = bias == null ? x[e] : x[e] + bias[j];
                    float p = sigmoid(scale * z);
                    if (probs != null) {
                        probs[e] = p;
                    }
                    samples[e] = work[i] < p ? 1f : 0f;
                }
            }
        }
    }

    // ---- Philox (shared with the vector set) ----------------------------------------------------

    /**
     * {@code dst[off + i] = uniform(first + i)} for {@code i < count}: one {@link Philox#block} per
     * quad of elements, words taken in order, so a range may start and end anywhere inside a quad.
     */
    public static void uniformRange(int k0, int k1, int c1, int c2, int c3, long first, float[] dst, int off,
                                    int count) {
        int[] words = new int[4];
        int i = 0;
        long e = first;
        while (i < count) {
            Philox.block((int) (e >>> 2), c1, c2, c3, k0, k1, words, 0);
            for (int w = (int) (e & 3); w < 4 && i < count; w++, i++, e++) {
                dst[off + i] = Philox.toUniform(words[w]);
            }
        }
    }

    /**
     * {@code dst[off + i] = mean + stddev * normal(first + i)} for {@code i < count}: two normals
     * per {@link Philox#block}, {@link Philox#boxMuller} of words (0, 1) and (2, 3).
     */
    public static void normalRange(int k0, int k1, int c1, int c2, int c3, long first, float mean, float stddev,
                                   float[] dst, int off, int count) {
        int[] words = new int[4];
        int i = 0;
        long e = first;
        while (i < count) {
            Philox.block((int) (e >>> 1), c1, c2, c3, k0, k1, words, 0);
            if ((e & 1) == 0) {
                dst[off + i] = mean + stddev * Philox.boxMuller(words[0], words[1]);
                i++;
                e++;
            }
            if (i < count) {
                dst[off + i] = mean + stddev * Philox.boxMuller(words[2], words[3]);
                i++;
                e++;
            }
        }
    }

    /**
     * Softmax with cross-entropy of rows {@code [r0, r1)} of {@code z} ({@code k} columns), as
     * {@link org.ebm4j.tensor.Backend#softmaxCrossEntropy} defines it; {@code p}, {@code g} and
     * {@code loss} may be null. Shared by both kernel sets: the op is small next to the GEMMs that
     * surround it. Each element is read before it is written, so the documented aliasing is safe.
     */
    public static void softmaxCrossEntropy(float[] z, float[] t, float[] p, float[] g, float[] loss, int k, int r0,
                                           int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * k;
            float m = Float.NEGATIVE_INFINITY;
            boolean bad = false;
            for (int j = 0; j < k; j++) {
                float v = z[base + j];
                bad |= Float.isNaN(v) || v == Float.POSITIVE_INFINITY;
                m = Math.max(m, v);
            }
            bad |= m == Float.NEGATIVE_INFINITY;
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[base + j] - m);
            }
            float logS = (float) Math.log(sum);
            float inv = (float) (1.0 / sum);
            if (loss != null) {
                double l = 0;
                for (int j = 0; j < k; j++) {
                    float tj = t[base + j];
                    if (tj != 0f) {
                        l -= (double) tj * (z[base + j] - m - logS);
                    }
                }
                loss[r] = bad ? Float.NaN : (float) l;
            }
            for (int j = 0; j < k; j++) {
                float pj = bad ? Float.NaN : (float) Math.exp(z[base + j] - m) * inv;
                float tj = t[base + j];
                if (p != null) {
                    p[base + j] = pj;
                }
                if (g != null) {
                    g[base + j] = pj - tj;
                }
            }
        }
    }

    /** Row-wise argmax of rows {@code [r0, r1)}: first largest non-NaN index as a float, 0 for all-NaN rows. */
    public static void argmaxRows(float[] x, int cols, float[] out, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            int best = -1;
            float bestValue = 0f;
            for (int j = 0; j < cols; j++) {
                float v = x[base + j];
                if (v == v && (best < 0 || v > bestValue)) {
                    best = j;
                    bestValue = v;
                }
            }
            out[r] = Math.max(best, 0);
        }
    }
}
