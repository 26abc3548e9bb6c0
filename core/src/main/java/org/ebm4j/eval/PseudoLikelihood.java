package org.ebm4j.eval;

import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The deterministic log pseudo-likelihood of binary data under a Bernoulli RBM, using every
 * visible bit (unlike scikit-learn's one random bit per example):
 * <pre>
 *   PL(v) = (1/nv) sum_i log p(v_i | v_{-i}) = (1/nv) sum_i log sigmoid(F(v with bit i flipped) - F(v))
 * </pre>
 * averaged over rows, in nats per visible unit. Flipping bit {@code i} changes the hidden inputs by
 * {@code s_i W_i} ({@code s_i = 1 - 2 v_i}), so each bit costs one rank-1 update and one
 * row reduction of a {@code batch x nh} matrix on the backend.
 */
public final class PseudoLikelihood {
    private static final int BATCH = 500;

    private PseudoLikelihood() {
    }

    /** Mean per-visible log pseudo-likelihood of the rows of {@code data} (binary values). */
    public static double mean(Rbm rbm, Tensor data) {
        if (rbm.visibleType() != VisibleType.BERNOULLI) {
            throw new IllegalArgumentException("pseudo-likelihood is defined here for Bernoulli visibles only; "
                    + "use the free-energy gap for Gaussian visibles");
        }
        FreeEnergies.checkShape(rbm, data);
        Backend b = rbm.backend();
        int nv = rbm.visible();
        int nh = rbm.hidden();
        int n = data.rows();
        float[] hostData = data.toArray();
        int[] identity = new int[Math.max(nv, 1)];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        double total = 0;
        for (int start = 0; start < n; start += BATCH) {
            int rows = Math.min(BATCH, n - start);
            total += chunk(rbm, b, hostData, start, rows, nv, nh, identity);
        }
        return total / ((double) n * nv);
    }

    private static double chunk(Rbm rbm, Backend b, float[] host, int start, int rows, int nv, int nh, int[] identity) {
        float[] vt = new float[nv * rows];
        float[] vb = rbm.visibleBias().toArray();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < nv; i++) {
                float x = host[(start + r) * nv + i];
                if (x != 0f && x != 1f) {
                    throw new IllegalArgumentException("pseudo-likelihood needs binary data, found " + x + " at row "
                            + (start + r) + ", column " + i + " (binarize the data first)");
                }
                vt[i * rows + r] = x;
            }
        }
        float[] base = new float[rows];
        float[] flipped = new float[rows];
        double total = 0;
        try (Tensor v = b.allocate(rows, nv);
             Tensor vT = b.fromArray(vt, nv, rows);
             Tensor x = b.allocate(rows, nh);
             Tensor y = b.allocate(rows, nh);
             Tensor sign = b.allocate(1, rows);
             Tensor ones = b.allocate(1, rows);
             Tensor wRow = b.allocate(1, nh);
             Tensor col = b.allocate(rows, 1)) {
            v.copyFrom(host, start * nv);
            b.fill(ones, 1f);
            rbm.hiddenInput(v, x);
            b.softplusRowSums(x, rbm.hiddenBias(), 1f, col);
            col.copyTo(base, 0);
            for (int i = 0; i < nv; i++) {
                b.gatherRows(vT, identity, i, sign);
                b.scale(-2f, sign, sign);
                b.addRowVector(sign, ones, 1f, sign);
                b.gatherRows(rbm.weights(), identity, i, wRow);
                b.copy(x, y);
                b.gemm(true, false, 1f, sign, wRow, 1f, y);
                b.softplusRowSums(y, rbm.hiddenBias(), 1f, col);
                col.copyTo(flipped, 0);
                for (int r = 0; r < rows; r++) {
                    double s = 1.0 - 2.0 * vt[i * rows + r];
                    // F(flipped) - F(v) = -s b_i - (softplus sum after - before)
                    double gap = -s * vb[i] - ((double) flipped[r] - base[r]);
                    total += -softplus(-gap);
                }
            }
        }
        return total;
    }

    private static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
}
