package org.ebm4j.cpu;

import org.ebm4j.tensor.Activation;

/**
 * One kernel set of the CPU backend: plain Java loops ({@code org.ebm4j.cpu.internal.ScalarKernels})
 * or Vector API loops ({@code org.ebm4j.cpu.internal.vector.VectorKernels}). Kernels work on raw
 * row-major arrays over an index or row range and never allocate; {@link CpuBackend} validates arguments, splits the work
 * over threads and hands each thread its own workspace.
 *
 * <p>Ranges are half-open. "Rows {@code [r0, r1)}" address a row-major matrix with {@code cols}
 * columns. Outputs may alias inputs exactly. Random kernels take the Philox key words
 * {@code k0, k1} (the seed's low and high halves) and counter words {@code c1, c2, c3} (draw index
 * low, draw index high, stream id); element {@code e} of the draw uses the words that
 * {@link org.ebm4j.random.Philox} assigns to it.
 */
public interface CpuKernels {

    /** Random kernels generate at most this many values at a time into a workspace. */
    int RANDOM_BLOCK = 1024;

    /**
     * Floats a workspace handed to the random kernels must hold: {@code [0, RANDOM_BLOCK)} for
     * generated values, {@code [RANDOM_BLOCK, 2 * RANDOM_BLOCK)} for intermediate results.
     */
    int WORKSPACE_FLOATS = 2 * RANDOM_BLOCK;

    /** {@code "vector"} or {@code "scalar"}. */
    String name();

    /** The float vector width in bits, or 0 for the scalar set. */
    int vectorBits();

    // ---- elementwise over [from, to) ----------------------------------------------------------

    void add(float[] a, float[] b, float[] out, int from, int to);

    void sub(float[] a, float[] b, float[] out, int from, int to);

    void mul(float[] a, float[] b, float[] out, int from, int to);

    /** {@code out = alpha * x}. */
    void scale(float alpha, float[] x, float[] out, int from, int to);

    /** {@code y[yOff + i] += alpha * x[xOff + i]} for {@code i < len}. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len);

    /** {@code out = x >= t ? atOrAbove : below}; NaN gives {@code below}. */
    void threshold(float[] x, float t, float below, float atOrAbove, float[] out, int from, int to);

    // ---- row broadcast over rows [r0, r1) -----------------------------------------------------

    /** {@code out[r, j] = x[r, j] + alpha * row[j]}. */
    void addRowVector(float[] x, float[] row, float alpha, float[] out, int cols, int r0, int r1);

    /** {@code out[r, j] = sigmoid(x[r, j] + bias[j])}; {@code bias} may be null. */
    void sigmoid(float[] x, float[] bias, float[] out, int cols, int r0, int r1);

    /**
     * Over rows {@code [r0, r1)}, with {@code z = x[r, j] + bias[j]} rounded to float ({@code bias}
     * may be null): {@code value[r, j] = f(z)} and {@code derivative[r, j] = f'(z)}, each within a few
     * float roundings of {@link Activation#value(double)} and {@link Activation#derivative(double)}
     * at that {@code z}. Either output may be null (not both) and either may alias {@code x}.
     */
    void activation(Activation f, float[] x, float[] bias, float[] value, float[] derivative, int cols, int r0,
                    int r1);

    /**
     * {@code p -= kick * grad; q += drift * invMass[j] * p}; {@code invMass} may be null. A zero
     * {@code kick} leaves {@code p} untouched, a zero {@code drift} leaves {@code q} untouched.
     */
    void leapfrog(float[] q, float[] p, float[] grad, float[] invMass, float kick, float drift, int cols, int r0, int r1);

    // ---- reductions ---------------------------------------------------------------------------

    /** The sum of {@code x[from..to)}, every element added in double. */
    double sum(float[] x, int from, int to);

    /** The sum of {@code a[i] * b[i]} over {@code [from, to)}. */
    double dot(float[] a, float[] b, int from, int to);

    /** {@code acc[j] = sum_{r < rows} x[r, j]} for columns {@code [c0, c1)}, each column summed in row order. */
    void columnSums(float[] x, int rows, int cols, int c0, int c1, double[] acc);

    /** {@code out[r] = sum_j x[r, j]}: each row through {@link #sum}. */
    default void rowSums(float[] x, int cols, float[] out, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            out[r] = (float) sum(x, r * cols, (r + 1) * cols);
        }
    }

    /** {@code out[r] = sum_j softplus(scale * (x[r, j] + bias[j]))}; {@code bias} may be null. */
    void softplusRowSums(float[] x, float[] bias, float scale, int cols, float[] out, int r0, int r1);

    /** {@code out[r] = sum_j w[j] * x[r, j]^2}; {@code w} may be null (all ones). */
    void rowSquaredNorms(float[] x, float[] w, int cols, float[] out, int r0, int r1);

    // ---- random -------------------------------------------------------------------------------

    /** {@code dst[off + i] = uniform(first + i)} for {@code i < count}. */
    void uniforms(int k0, int k1, int c1, int c2, int c3, long first, float[] dst, int off, int count);

    /**
     * {@code dst[off + i] = mean + stddev * normal(first + i)} for {@code i < count};
     * {@code scratch[scratchOff .. scratchOff + RANDOM_BLOCK)} is overwritten.
     */
    void normals(int k0, int k1, int c1, int c2, int c3, long first, float mean, float stddev,
                 float[] dst, int off, int count, float[] scratch, int scratchOff);

    /** {@code out[e] = uniform(e) < probs[e] ? 1 : 0} over {@code [from, to)}. */
    void bernoulli(float[] probs, float[] out, int from, int to, int k0, int k1, int c1, int c2, int c3,
                   float[] work);

    /**
     * Over rows {@code [r0, r1)}: {@code p = sigmoid(scale * (x + bias[j]))},
     * {@code samples = uniform(r * cols + j) < p ? 1 : 0}; {@code bias} and {@code probs} may be null.
     */
    void sigmoidBernoulli(float[] x, float[] bias, float scale, float[] probs, float[] samples, int cols, int r0,
                          int r1, int k0, int k1, int c1, int c2, int c3, float[] work);

    /**
     * Over rows {@code [r0, r1)}: {@code out = (mean + bias[j]) + stddev * normal(r * cols + j)};
     * {@code bias} may be null and {@code out} may alias {@code mean}. Built from this set's
     * {@link #addRowVector} (adding {@code 1 * bias} is exact), {@link #normals} and {@link #axpy}.
     */
    default void gaussian(float[] mean, float[] bias, float stddev, float[] out, int cols, int r0, int r1,
                          int k0, int k1, int c1, int c2, int c3, float[] work) {
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            if (bias != null) {
                addRowVector(mean, bias, 1f, out, cols, r, r + 1);
            } else if (out != mean) {
                System.arraycopy(mean, base, out, base, cols);
            }
            for (int j0 = 0; j0 < cols; j0 += RANDOM_BLOCK) {
                int n = Math.min(RANDOM_BLOCK, cols - j0);
                normals(k0, k1, c1, c2, c3, (long) base + j0, 0f, 1f, work, 0, n, work, RANDOM_BLOCK);
                axpy(stddev, work, 0, out, base + j0, n);
            }
        }
    }
}
