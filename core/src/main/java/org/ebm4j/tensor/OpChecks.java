package org.ebm4j.tensor;

import org.ebm4j.random.RandomStream;

/**
 * The shape, alias and value checks of every {@link Backend} and {@link Sampler} operation, one
 * method per operation, called by the facades {@link CheckedBackend} and {@link CheckedSampler}
 * after they have checked each tensor with {@link Shapes#checkUsable}; the tensors passed in are
 * therefore open and owned, and an optional one is null only when it was not given.
 */
final class OpChecks {
    private OpChecks() {
    }

    /** A row vector that may be null (not given): when given it must be {@code 1 x x.cols()}. */
    private static void optionalRowVector(String op, String name, Tensor row, String xName, Tensor x) {
        if (row != null) {
            Shapes.checkRowVector(op, name, row, xName, x);
        }
    }

    /** For the elementwise {@code op} ({@code add}, {@code sub}, {@code mul}): {@code a}, {@code b} and {@code out} have one shape. */
    static void elementwise(String op, Tensor a, Tensor b, Tensor out) {
        Shapes.checkSameShape(op, "a", a, "b", b);
        Shapes.checkSameShape(op, "a", a, "out", out);
    }

    /**
     * A row vector broadcast over {@code x} ({@code addRowVector}, {@code sigmoid}, {@code sampleGaussian}):
     * {@code row}, when given, is {@code 1 x x.cols()}, and {@code out} has the shape of {@code x}.
     */
    static void rowBroadcast(String op, String xName, Tensor x, String rowName, Tensor row, Tensor out) {
        optionalRowVector(op, rowName, row, xName, x);
        Shapes.checkSameShape(op, xName, x, "out", out);
    }

    /**
     * A reduction of each row ({@code rowSums}, {@code argmaxRows}, {@code softplusRowSums},
     * {@code rowSquaredNorms}): the optional {@code row} is {@code 1 x x.cols()} and {@code out} is
     * {@code x.rows() x 1}.
     */
    static void rowReduction(String op, Tensor x, String rowName, Tensor row, Tensor out) {
        optionalRowVector(op, rowName, row, "x", x);
        Shapes.checkColumnVector(op, "out", out, "x", x);
    }

    /**
     * {@code src} and {@code dst} have the same number of columns and are different tensors, and
     * {@code rowIndices[offset .. offset + dst.rows())} exist and lie in {@code [0, src.rows())}.
     */
    static void gatherRows(Tensor src, int[] rowIndices, int offset, Tensor dst) {
        String op = "gatherRows";
        if (src.cols() != dst.cols()) {
            throw new IllegalArgumentException(op + ": src is " + src.shape() + " but dst is " + dst.shape()
                    + "; they must have the same number of columns");
        }
        if (src == dst) {
            throw new IllegalArgumentException(op + ": dst must not be src (" + src.shape() + ")");
        }
        if (rowIndices == null) {
            throw new IllegalArgumentException(op + ": rowIndices is null");
        }
        if (offset < 0 || (long) offset + dst.rows() > rowIndices.length) {
            throw new IllegalArgumentException(op + ": needs " + dst.rows() + " indices from offset " + offset
                    + " (dst is " + dst.shape() + ") but rowIndices has length " + rowIndices.length);
        }
        for (int i = 0; i < dst.rows(); i++) {
            int r = rowIndices[offset + i];
            if (r < 0 || r >= src.rows()) {
                throw new IllegalArgumentException(op + ": rowIndices[" + (offset + i) + "] = " + r
                        + " is outside [0, " + src.rows() + ") for src " + src.shape());
            }
        }
    }

    /** The GEMM shapes of {@link Shapes#checkGemm}, and {@code c} is neither {@code a} nor {@code b}. */
    static void product(String op, boolean transA, Tensor a, boolean transB, Tensor b, String cName, Tensor c) {
        Shapes.checkGemm(op, transA, a, transB, b, c);
        if (c == a || c == b) {
            throw new IllegalArgumentException(op + ": " + cName + " (" + c.shape() + ") must not be the same tensor as "
                    + (c == a ? "a" : "b"));
        }
    }

    /**
     * The request of {@code activation}, checked before its tensors: a function is given and at least
     * one of {@code value} and {@code derivative} is asked for.
     */
    static void activationRequest(Activation f, Tensor value, Tensor derivative) {
        String op = "activation";
        if (f == null) {
            throw new IllegalArgumentException(op + ": activation function is null");
        }
        if (value == null && derivative == null) {
            throw new IllegalArgumentException(op + ": value and derivative are both null; ask for at least one");
        }
    }

    /**
     * {@code bias} (optional) is {@code 1 x x.cols()}; {@code value} and {@code derivative} (optional)
     * have the shape of {@code x} and are different tensors.
     */
    static void activation(Tensor x, Tensor bias, Tensor value, Tensor derivative) {
        String op = "activation";
        optionalRowVector(op, "bias", bias, "x", x);
        if (value != null) {
            Shapes.checkSameShape(op, "x", x, "value", value);
        }
        if (derivative != null) {
            Shapes.checkSameShape(op, "x", x, "derivative", derivative);
        }
        if (value != null && value == derivative) {
            throw new IllegalArgumentException(op + ": value and derivative must be different tensors");
        }
    }

    /**
     * {@code targets} and the optional {@code probs} and {@code gradOut} have the shape of
     * {@code logits}; the optional {@code lossPerRow} is {@code logits.rows() x 1}.
     */
    static void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor probs, Tensor gradOut,
                                           Tensor lossPerRow) {
        String op = "softmaxCrossEntropy";
        Shapes.checkSameShape(op, "logits", logits, "targets", targets);
        if (probs != null) {
            Shapes.checkSameShape(op, "logits", logits, "probs", probs);
        }
        if (gradOut != null) {
            Shapes.checkSameShape(op, "logits", logits, "gradOut", gradOut);
        }
        if (lossPerRow != null) {
            Shapes.checkColumnVector(op, "lossPerRow", lossPerRow, "logits", logits);
        }
    }

    /** The random stream of {@code op} is not null (every random operation). */
    static void randomStream(String op, RandomStream rng) {
        if (rng == null) {
            throw new IllegalArgumentException(op + ": the random stream is null");
        }
    }

    /**
     * {@code bias} (optional) is {@code 1 x x.cols()}; the optional {@code probs} and {@code samples}
     * have the shape of {@code x} and are different tensors; {@code rng} is not null.
     */
    static void sampleSigmoidBernoulli(Tensor x, Tensor bias, Tensor probs, Tensor samples, RandomStream rng) {
        String op = "sampleSigmoidBernoulli";
        optionalRowVector(op, "bias", bias, "x", x);
        if (probs != null) {
            Shapes.checkSameShape(op, "x", x, "probs", probs);
            if (probs == samples) {
                throw new IllegalArgumentException(op + ": probs and samples must be different tensors (both "
                        + probs.shape() + ")");
            }
        }
        Shapes.checkSameShape(op, "x", x, "samples", samples);
        randomStream(op, rng);
    }

    /** An output of the fused product ({@code out}, may be null) is none of the tensors it reads or {@code pre}. */
    private static void notAnInput(String op, String name, Tensor out, Tensor a, Tensor b, Tensor bias, Tensor pre) {
        String same = out == null ? null : out == a ? "a" : out == b ? "b" : out == bias ? "bias" : out == pre ? "pre" : null;
        if (same != null) {
            throw new IllegalArgumentException(op + ": " + name + " (" + out.shape() + ") must not be the same tensor as "
                    + same);
        }
    }

    /**
     * The rest of the fused product's checks once {@code pre = a op(b)} is checked as {@link #product}:
     * {@code bias} (optional) is {@code 1 x pre.cols()}, {@code probs} (optional) and {@code samples}
     * have the shape of {@code pre}, and they are different tensors, neither an input nor {@code pre}.
     */
    static void sampleSigmoidBernoulliProduct(Tensor a, Tensor b, Tensor bias, Tensor pre, Tensor probs,
                                              Tensor samples, RandomStream rng) {
        String op = "sampleSigmoidBernoulliProduct";
        optionalRowVector(op, "bias", bias, "pre", pre);
        if (probs != null) {
            Shapes.checkSameShape(op, "pre", pre, "probs", probs);
        }
        Shapes.checkSameShape(op, "pre", pre, "samples", samples);
        notAnInput(op, "probs", probs, a, b, bias, pre);
        notAnInput(op, "samples", samples, a, b, bias, pre);
        if (samples == probs) {
            throw new IllegalArgumentException(op + ": samples (" + samples.shape()
                    + ") must not be the same tensor as probs");
        }
        randomStream(op, rng);
    }

    /**
     * {@code field} and the optional {@code clamp} have the shape of {@code state} ({@code chains x n}),
     * {@code weights} is {@code n x n}, {@code field} is not {@code state}, {@code unit} lies in
     * {@code [0, n)}, {@code rule} is not null, and {@code rng} is not null when the rule is stochastic.
     */
    static void updateUnit(Tensor state, Tensor field, Tensor weights, int unit, UnitRule rule, Tensor clamp,
                                  RandomStream rng) {
        String op = "updateUnit";
        Shapes.checkSameShape(op, "state", state, "field", field);
        int n = state.cols();
        Shapes.checkShape(op, "weights", weights, n, n);
        if (clamp != null) {
            Shapes.checkSameShape(op, "state", state, "clamp", clamp);
        }
        if (state == field) {
            throw new IllegalArgumentException(op + ": state and field must be different tensors (both "
                    + state.shape() + ")");
        }
        if (unit < 0 || unit >= n) {
            throw new IllegalArgumentException(op + ": unit " + unit + " is outside [0, " + n + ") for state "
                    + state.shape());
        }
        if (rule == null) {
            throw new IllegalArgumentException(op + ": rule is null");
        }
        if (rule.isStochastic()) {
            randomStream(op, rng);
        }
    }

    /**
     * {@code p} and {@code grad} have the shape of {@code q}, the optional {@code invMass} is
     * {@code 1 x q.cols()}, and {@code q} and {@code p} are different tensors.
     */
    static void leapfrog(Tensor q, Tensor p, Tensor grad, Tensor invMass) {
        String op = "leapfrog";
        Shapes.checkSameShape(op, "q", q, "p", p);
        Shapes.checkSameShape(op, "q", q, "grad", grad);
        optionalRowVector(op, "invMass", invMass, "q", q);
        if (q == p) {
            throw new IllegalArgumentException(op + ": q and p must be different tensors (both " + q.shape() + ")");
        }
    }

    /**
     * {@code proposal} has the shape of {@code current}, the three energies/flags are
     * {@code current.rows() x 1}, and {@code rng} is not null.
     */
    static void metropolisSelect(Tensor current, Tensor currentEnergy, Tensor proposal, Tensor proposalEnergy,
                                        Tensor accepted, RandomStream rng) {
        String op = "metropolisSelect";
        Shapes.checkSameShape(op, "current", current, "proposal", proposal);
        Shapes.checkColumnVector(op, "currentEnergy", currentEnergy, "current", current);
        Shapes.checkColumnVector(op, "proposalEnergy", proposalEnergy, "current", current);
        Shapes.checkColumnVector(op, "accepted", accepted, "current", current);
        randomStream(op, rng);
    }
    /**
     * {@code src} and {@code dst} have the same columns and are different tensors; {@code order} is a
     * row vector other than {@code dst} holding {@code offset + dst.rows()} entries or more; and
     * {@code src} has at most {@value Backend#MAX_ORDERED_ROWS} rows, so that every index is exact in float.
     */
    static void gatherOrderedRows(Tensor src, Tensor order, int offset, Tensor dst) {
        String op = "gatherOrderedRows";
        if (src.cols() != dst.cols()) {
            throw new IllegalArgumentException(op + ": src is " + src.shape() + " but dst is " + dst.shape()
                    + "; they must have the same number of columns");
        }
        if (src == dst || order == dst) {
            throw new IllegalArgumentException(op + ": dst (" + dst.shape() + ") must be neither src nor order");
        }
        if (order.rows() != 1) {
            throw new IllegalArgumentException(op + ": order must be one row of indices (1xn) but is " + order.shape()
                    + " (dst " + dst.shape() + ")");
        }
        if (offset < 0 || (long) offset + dst.rows() > order.cols()) {
            throw new IllegalArgumentException(op + ": needs " + dst.rows() + " indices from offset " + offset
                    + " (dst is " + dst.shape() + ") but order is " + order.shape());
        }
        if (src.rows() > Backend.MAX_ORDERED_ROWS) {
            throw new IllegalArgumentException(op + ": src is " + src.shape() + ", more than the " + Backend.MAX_ORDERED_ROWS
                    + " rows a float index reaches exactly; gather with int indices (gatherRows)");
        }
    }

    /** {@code slot} is an element of {@code sums}. */
    static void sumIntoSlot(Tensor sums, int slot) {
        if (slot < 0 || slot >= sums.size()) {
            throw new IllegalArgumentException("sumInto: slot " + slot + " is outside [0, " + sums.size()
                    + ") for sums " + sums.shape());
        }
    }

    /** {@code a} and {@code b}, which {@code op} reads and writes, are different tensors. */
    static void distinct(String op, String nameA, Tensor a, String nameB, Tensor b) {
        if (a == b) {
            throw new IllegalArgumentException(op + ": " + nameA + " and " + nameB + " must be different tensors ("
                    + a.shape() + ")");
        }
    }

    /**
     * {@code data} and {@code model} have the same columns; {@code velocity} and {@code parameter} are
     * different row vectors of that width.
     */
    static void biasMomentumStep(Tensor data, Tensor model, Tensor velocity, Tensor parameter) {
        String op = "biasMomentumStep";
        if (data.cols() != model.cols()) {
            throw new IllegalArgumentException(op + ": data is " + data.shape() + " but model is " + model.shape()
                    + "; they must have the same number of columns");
        }
        Shapes.checkRowVector(op, "velocity", velocity, "data", data);
        Shapes.checkRowVector(op, "parameter", parameter, "data", data);
        distinct(op, "velocity", velocity, "parameter", parameter);
    }
}
