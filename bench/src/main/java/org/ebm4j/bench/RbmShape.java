package org.ebm4j.bench;

/**
 * The GEMM shapes of one RBM training step with 784 visible units, 500 hidden units and minibatches
 * of 100 (or 1000 for inference-sized batches): {@code op(A)} is {@code m x k}, {@code op(B)} is
 * {@code k x n}. The transposed cases are stored untransposed, as the training code holds them.
 */
public enum RbmShape {
    /** Hidden activations of a minibatch: {@code V (100x784) . W (784x500)}. */
    NN_100x784x500(false, false, 100, 784, 500, "100x784 . 784x500"),
    /** The same for a batch of 1000. */
    NN_1000x784x500(false, false, 1000, 784, 500, "1000x784 . 784x500"),
    /** The weight gradient {@code V^T . H}: A stored 100x784, used as 784x100. */
    TN_784x100x500(true, false, 784, 100, 500, "784x100 . 100x500 (A^T)"),
    /** Visible reconstruction {@code H . W^T}: B stored 784x500, used as 500x784. */
    NT_100x500x784(false, true, 100, 500, 784, "100x500 . 500x784 (B^T)");

    public final boolean transA;
    public final boolean transB;
    public final int m;
    public final int k;
    public final int n;
    public final String label;

    RbmShape(boolean transA, boolean transB, int m, int k, int n, String label) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.k = k;
        this.n = n;
        this.label = label;
    }

    /** Floating-point operations of one product (a multiply and an add per term). */
    public double flops() {
        return 2.0 * m * n * k;
    }

    /** Row stride of A as stored ({@code k x m} when transposed). */
    public int lda() {
        return transA ? m : k;
    }

    /** Row stride of B as stored ({@code n x k} when transposed). */
    public int ldb() {
        return transB ? k : n;
    }
}
