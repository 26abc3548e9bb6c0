package org.ebm4j.rbm;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The deterministic log pseudo-likelihood of binary data under a Bernoulli RBM, using every
 * visible bit (unlike scikit-learn's one random bit per example):
 * <pre>
 *   PL(v) = (1/nv) sum_i log p(v_i | v_{-i}) = (1/nv) sum_i log sigmoid(F(v with bit i flipped) - F(v))
 * </pre>
 * averaged over rows, in nats per visible unit.
 *
 * <p>Flipping bit {@code i} changes the hidden inputs {@code x = v W} by {@code s_i W_i}
 * ({@code s_i = 1 - 2 v_i}). For a chunk of {@code R} rows the backend builds all {@code R * nv}
 * flipped input rows at once: the rows of {@code x} repeated {@code nv} times plus rows gathered
 * from the stacked matrix {@code [W; -W]}, then one row reduction of softplus terms. A handful of
 * large operations per chunk instead of several small ones per bit.
 */
public final class PseudoLikelihood {
    /** Elements of the {@code (R * nv) x nh} workspaces per chunk. */
    private static final long CHUNK_ELEMENTS = 1L << 22;

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
        float[] host = data.toArray();
        for (int e = 0; e < host.length; e++) {
            if (host[e] != 0f && host[e] != 1f) {
                throw new IllegalArgumentException("pseudo-likelihood needs binary data, found " + host[e] + " at row "
                        + e / nv + ", column " + e % nv + " (binarize the data first)");
            }
        }
        int rows = (int) Math.max(1, Math.min(n, CHUNK_ELEMENTS / ((long) nv * nh)));
        float[] w = rbm.weights().toArray();
        float[] stacked = new float[2 * w.length];
        for (int q = 0; q < w.length; q++) {
            stacked[q] = w[q];
            stacked[w.length + q] = -w[q];
        }
        float[] vb = rbm.visibleBias().toArray();
        double total = 0;
        try (Tensor wpm = b.fromArray(stacked, 2 * nv, nh)) {
            Chunk full = new Chunk(b, rows, nv, nh);
            Chunk tail = n % rows == 0 ? null : new Chunk(b, n % rows, nv, nh);
            try {
                for (int start = 0; start < n; start += rows) {
                    Chunk c = n - start >= rows ? full : tail;
                    total += c.run(rbm, b, wpm, host, start, vb);
                }
            } finally {
                full.close();
                if (tail != null) {
                    tail.close();
                }
            }
        }
        return total / ((double) n * nv);
    }

    /** Workspaces and index arrays for chunks of {@code rows} examples. */
    private static final class Chunk implements AutoCloseable {
        final int rows;
        final int nv;
        final Tensor v;
        final Tensor x;
        final Tensor flipped;
        final Tensor delta;
        final Tensor base;
        final Tensor terms;
        final int[] repeat;
        final int[] pick;
        final float[] baseHost;
        final float[] termsHost;

        Chunk(Backend b, int rows, int nv, int nh) {
            this.rows = rows;
            this.nv = nv;
            v = b.allocate(rows, nv);
            x = b.allocate(rows, nh);
            flipped = b.allocate(rows * nv, nh);
            delta = b.allocate(rows * nv, nh);
            base = b.allocate(rows, 1);
            terms = b.allocate(rows * nv, 1);
            repeat = new int[rows * nv];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < nv; i++) {
                    repeat[r * nv + i] = r;
                }
            }
            pick = new int[rows * nv];
            baseHost = new float[rows];
            termsHost = new float[rows * nv];
        }

        double run(Rbm rbm, Backend b, Tensor wpm, float[] host, int start, float[] vb) {
            v.copyFrom(host, start * nv);
            rbm.hiddenInput(v, x);
            b.softplusRowSums(x, rbm.hiddenBias(), 1f, base);
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < nv; i++) {
                    // +W_i flips a 0 to 1, -W_i (row nv + i of [W; -W]) flips a 1 to 0.
                    pick[r * nv + i] = host[(start + r) * nv + i] != 0f ? nv + i : i;
                }
            }
            b.gatherRows(x, repeat, 0, flipped);
            b.gatherRows(wpm, pick, 0, delta);
            b.add(flipped, delta, flipped);
            b.softplusRowSums(flipped, rbm.hiddenBias(), 1f, terms);
            base.copyTo(baseHost, 0);
            terms.copyTo(termsHost, 0);
            double total = 0;
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < nv; i++) {
                    double s = 1.0 - 2.0 * host[(start + r) * nv + i];
                    // F(flipped) - F(v) = -s b_i - (softplus sum after - before)
                    double gap = -s * vb[i] - ((double) termsHost[r * nv + i] - baseHost[r]);
                    total -= softplus(-gap);
                }
            }
            return total;
        }

        @Override
        public void close() {
            v.close();
            x.close();
            flipped.close();
            delta.close();
            base.close();
            terms.close();
        }
    }

    private static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }
}
