package org.ebm4j.tensor;

import java.util.Map;

/**
 * The tensor half of the ebm4j SPI: allocation and the deterministic operations that every model
 * (RBM/DBN, Hopfield networks, general Boltzmann machines, HMC energy models) is built from. The
 * random half is {@link #sampler()}.
 *
 * <h2>Conventions for every operation</h2>
 * <ul>
 *   <li>All tensors must be open and belong to this backend; otherwise {@link IllegalStateException}
 *       (closed) or {@link IllegalArgumentException} (foreign or null).</li>
 *   <li>Shapes are checked before any work: a mismatch throws {@link IllegalArgumentException}
 *       naming the operation and both shapes, and leaves every output untouched.</li>
 *   <li>Elementwise outputs may alias their inputs exactly (in-place use); outputs that partially
 *       overlap inputs are not supported. GEMM's {@code c} must not alias {@code a} or {@code b}.</li>
 *   <li>NaN and infinities propagate as IEEE arithmetic does, with the exceptions each method
 *       states (comparisons: a NaN compares false; GEMM with {@code beta == 0} does not read
 *       {@code c}, as in BLAS).</li>
 *   <li>"row vector" means {@code 1 x cols}, "column vector" means {@code rows x 1}.</li>
 *   <li>Calls on one backend may come from one thread at a time; the backend parallelizes inside.</li>
 * </ul>
 *
 * <p>Backends implement this interface by extending {@link CheckedBackend}, which makes every one of
 * these checks once, in the same order and with the same messages, before the backend's unchecked
 * work runs. The interface stays so that callers, decorators and proxies need no backend class.
 */
public interface Backend extends AutoCloseable {
    /** The most rows {@link #gatherOrderedRows} can index: 2^24, beyond which floats skip integers. */
    int MAX_ORDERED_ROWS = 1 << 24;

    /** Short name used for selection: {@code "cpu"}, {@code "cuda"}. */
    String name();

    /** Facts for {@code ebm info}: kernel set, thread count, device, GEMM implementation... */
    Map<String, Object> describe();

    /** The random half of the SPI, drawing from the Philox stream. */
    Sampler sampler();

    // ---- allocation and data movement -------------------------------------------------------

    /** A new zero-filled {@code rows x cols} tensor. */
    Tensor allocate(int rows, int cols);

    /** A new {@code rows x cols} tensor holding {@code data[0 .. rows*cols)} (row-major). */
    Tensor fromArray(float[] data, int rows, int cols);

    /** {@code dst = src} (same shape). */
    void copy(Tensor src, Tensor dst);

    /** Every element of {@code x} set to {@code value}. */
    void fill(Tensor x, float value);

    /**
     * {@code dst[i, :] = src[rowIndices[offset + i], :]} for {@code i < dst.rows()}: minibatch
     * gathering from a data set held on the backend. {@code dst.cols() == src.cols()}; every index
     * must lie in {@code [0, src.rows())} and {@code offset + dst.rows() <= rowIndices.length}
     * ({@link IllegalArgumentException} naming the bad index otherwise, checked before any row is copied).
     */
    void gatherRows(Tensor src, int[] rowIndices, int offset, Tensor dst);

    /**
     * {@code dst[i, :] = src[order[0, offset + i], :]} for {@code i < dst.rows()}, the row indices read
     * from a {@code 1 x n} tensor on this backend that holds them as floats: an epoch's permutation is
     * uploaded once ({@link org.ebm4j.train.RowOrder}) and every minibatch is gathered without moving indices from the
     * host. Floats hold every integer up to 2^24 exactly, so {@code src.rows()} must be at most
     * {@value Backend#MAX_ORDERED_ROWS}; {@code offset + dst.rows() <= n}. The entries themselves are not
     * checked (that would read them back to the host): an entry that is not an integer in
     * {@code [0, src.rows())} gives a row of NaN, and nothing outside {@code src} is read.
     */
    void gatherOrderedRows(Tensor src, Tensor order, int offset, Tensor dst);

    // ---- linear algebra ---------------------------------------------------------------------

    /**
     * {@code c = alpha * op(a) * op(b) + beta * c}, where {@code op(x)} is {@code x} or its
     * transpose. Shapes: {@code op(a)} is {@code m x k}, {@code op(b)} is {@code k x n}, {@code c}
     * is {@code m x n}. With {@code beta == 0}, {@code c} is not read (NaN in it does not
     * propagate).
     */
    void gemm(boolean transA, boolean transB, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    // ---- elementwise and broadcast ----------------------------------------------------------

    /** {@code out[r, j] = x[r, j] + alpha * row[0, j]}. */
    void addRowVector(Tensor x, Tensor row, float alpha, Tensor out);

    /** {@code out = a + b}. */
    void add(Tensor a, Tensor b, Tensor out);

    /** {@code out = a - b}. */
    void sub(Tensor a, Tensor b, Tensor out);

    /** {@code out = a * b}, elementwise. */
    void mul(Tensor a, Tensor b, Tensor out);

    /** {@code out = alpha * x}. */
    void scale(float alpha, Tensor x, Tensor out);

    /** {@code y = y + alpha * x}. */
    void axpy(float alpha, Tensor x, Tensor y);

    /**
     * {@code out[r, j] = sigmoid(x[r, j] + bias[0, j])}; {@code bias} may be null (no bias).
     * {@code sigmoid(z) = 1 / (1 + exp(-z))}; NaN in gives NaN out.
     */
    void sigmoid(Tensor x, Tensor bias, Tensor out);

    /**
     * {@code out = x >= t ? atOrAbove : below}, elementwise. Sign for Hopfield units is
     * {@code threshold(x, 0, -1, +1)}; binarizing pixels is {@code threshold(x, 0.5, 0, 1)}.
     * A NaN element compares false and gives {@code below}.
     */
    void threshold(Tensor x, float t, float below, float atOrAbove, Tensor out);

    /**
     * Deterministic hidden units: with {@code z = x[r, j] + bias[0, j]} ({@code bias} may be null),
     * {@code value[r, j] = f(z)} and {@code derivative[r, j] = f'(z)} for the {@link Activation}
     * {@code f}, each within float accuracy of {@link Activation#value(double)} and
     * {@link Activation#derivative(double)}. Either output may be null when not wanted (not both);
     * outputs may alias {@code x} but not each other. NaN in gives NaN out.
     */
    void activation(Activation f, Tensor x, Tensor bias, Tensor value, Tensor derivative);

    // ---- reductions -------------------------------------------------------------------------

    /** {@code out[0, j] = alpha * sum_r x[r, j] + beta * out[0, j]}; with {@code beta == 0}, {@code out} is not read. */
    void columnSums(Tensor x, float alpha, float beta, Tensor out);

    /** {@code out[r, 0] = sum_j x[r, j]}. */
    void rowSums(Tensor x, Tensor out);

    /**
     * {@code out[r, 0] = sum_j softplus(scale * (x[r, j] + bias[0, j]))} with
     * {@code softplus(z) = log(1 + exp(z))} computed without overflow; {@code bias} may be null.
     * The hidden-unit term of an RBM's free energy ({@code scale} is the AIS inverse temperature).
     */
    void softplusRowSums(Tensor x, Tensor bias, float scale, Tensor out);

    /**
     * {@code out[r, 0] = sum_j w[0, j] * x[r, j]^2}; {@code weights} may be null (all ones).
     * Kinetic energies ({@code w} = inverse mass, then halved by the caller) and Gaussian energies.
     */
    void rowSquaredNorms(Tensor x, Tensor weights, Tensor out);

    /**
     * Softmax with cross-entropy, row by row, for classifiers trained by backpropagation. For each
     * row {@code r} of {@code logits} ({@code rows x k}), with {@code m = max_j logits[r, j]} (subtracted
     * so that no {@code exp} overflows) and {@code s = sum_j exp(logits[r, j] - m)}:
     * <ul>
     *   <li>{@code probs[r, j] = exp(logits[r, j] - m) / s} (the softmax);</li>
     *   <li>{@code gradOut[r, j] = probs[r, j] - targets[r, j]}: the gradient of the row's loss with
     *       respect to its logits (when the targets of the row sum to 1);</li>
     *   <li>{@code lossPerRow[r, 0] = -sum_j targets[r, j] * (logits[r, j] - m - log s)}, the
     *       cross-entropy {@code -sum_j t_j log p_j} computed from the log-softmax (no {@code log 0});
     *       terms whose target is exactly 0 are skipped, so a logit of {@code -infinity} with target 0
     *       adds nothing, and one with a positive target makes the loss {@code +infinity}.</li>
     * </ul>
     * {@code targets} ({@code rows x k}) holds one-hot rows or probabilities. {@code probs} and
     * {@code gradOut} have the shape of {@code logits}; {@code lossPerRow} is {@code rows x 1}.
     * {@code probs}, {@code gradOut} and {@code lossPerRow} may each be null (not computed).
     * {@code probs} and {@code gradOut} may alias {@code logits} or {@code targets} exactly but not
     * each other. A row whose logits contain NaN or {@code +infinity}, or are all {@code -infinity},
     * gives NaN in that row's probabilities, gradients and loss (other rows are unaffected).
     * The loss may be accumulated in float.
     */
    void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor gradOut, Tensor lossPerRow);

    /**
     * {@code out[r, 0] = argmax_j x[r, j]}: the column index of the largest element of each row,
     * as a float (exact for indices below 2^24). Ties go to the smallest index. NaN elements never
     * win (they compare false); a row with only NaN elements gives 0. {@code out} is {@code rows x 1}.
     */
    void argmaxRows(Tensor x, Tensor out);

    /** The sum of all elements, accumulated in double, returned to the host. */
    double sum(Tensor x);

    /** {@code sum(a * b)} over all elements (same shape), accumulated in double, returned to the host. */
    double dot(Tensor a, Tensor b);

    /**
     * Runs {@code step}, the operations of one training step on this backend, with the same result as
     * {@code step.run()}. A backend may record one step's device work and replay it for later steps
     * that differ only in values (the CUDA backend can, with CUDA graphs, when switched on); a step
     * that reads results back to the host in the middle simply runs as issued. The default runs it.
     */
    default void runStep(Runnable step) {
        step.run();
    }

    /**
     * {@code sums[slot] = sum(a)} ({@code b} null) or {@code sum(a * b)} ({@code b} of {@code a}'s shape),
     * accumulated in double as {@link #sum} and {@link #dot} are, rounded to float and left on the
     * backend: {@code sums} (any shape, slots counted row-major) collects one value per minibatch and
     * is read once per epoch, so a training loop does not wait for the device at every step.
     * {@code slot} lies in {@code [0, sums.size())}; {@code sums} may be {@code a} or {@code b}.
     */
    void sumInto(Tensor a, Tensor b, Tensor sums, int slot);

    /**
     * The momentum-SGD step of a parameter whose new velocity is already in {@code velocity}:
     * {@code velocity = velocity + decay * parameter} (left out when {@code decay == 0}), then
     * {@code parameter = parameter + velocity}, each element rounded to float as {@link #axpy} rounds
     * it, so the result equals {@code axpy(decay, parameter, velocity)} then
     * {@code axpy(1, velocity, parameter)} to the bit, in one pass. {@code velocity} and
     * {@code parameter} are different tensors of one shape.
     */
    void momentumStep(float decay, Tensor velocity, Tensor parameter);

    /**
     * A bias's momentum-SGD step from its statistics, in one pass: with {@code S_d} and {@code S_m}
     * the column sums of {@code data} and {@code model} (accumulated in double),
     * {@code velocity = (float) (dataScale * S_d + keep * velocity)}, then
     * {@code velocity = (float) (modelScale * S_m + velocity)}, then
     * {@code parameter = parameter + velocity} (in float). That is
     * {@code columnSums(data, dataScale, keep, velocity)}, {@code columnSums(model, modelScale, 1,
     * velocity)}, {@code axpy(1, velocity, parameter)}; with {@code keep == 0} the old velocity is not
     * read. Results equal that sequence to the bit where a backend accumulates each column sum in the
     * same order as its {@link #columnSums}, and otherwise within the double accumulation's error, which
     * rounding to float hides in all but rare ties (one float ulp at most). {@code data} and
     * {@code model} have the parameter's columns (their row counts may differ); {@code velocity} and
     * {@code parameter} are different {@code 1 x cols} tensors.
     */
    void biasMomentumStep(Tensor data, float dataScale, Tensor model, float modelScale, float keep, Tensor velocity,
                          Tensor parameter);

    /** Releases backend-wide resources (thread pools, device context). Tensors must be closed first. */
    @Override
    void close();
}
