package org.ebm4j.rbm;

import org.ebm4j.eval.LogSumExp;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The exact log partition function {@code log Z} of an RBM by enumerating every state of its
 * smaller layer (at most {@value #MAX_UNITS} units), with the other layer summed out
 * analytically. States are enumerated in chunks on the backend (one GEMM and one row reduction
 * per chunk); the log-sum-exp runs on the host in double.
 *
 * <ul>
 *   <li>enumerating {@code h} (Bernoulli visibles): {@code log Z = logsumexp_h [c.h + sum_i softplus(b_i + (W h)_i)]};</li>
 *   <li>enumerating {@code h} (Gaussian visibles, always the hidden layer):
 *       {@code log Z = logsumexp_h [c.h + |b + W h|^2/2 - |b|^2/2] + (nv/2) log(2 pi)};</li>
 *   <li>enumerating {@code v} (Bernoulli visibles): {@code log Z = logsumexp_v [-F(v)]}.</li>
 * </ul>
 */
public final class ExactLogPartition {
    /** Largest layer that may be enumerated (2^25 states). */
    public static final int MAX_UNITS = 25;
    private static final int CHUNK = 4096;

    private ExactLogPartition() {
    }

    /** Whether {@link #compute} can handle {@code rbm}. */
    public static boolean feasible(Rbm rbm) {
        return enumeratedUnits(rbm) <= MAX_UNITS;
    }

    private static int enumeratedUnits(Rbm rbm) {
        return rbm.visibleType() == VisibleType.GAUSSIAN ? rbm.hidden() : Math.min(rbm.visible(), rbm.hidden());
    }

    /** {@code log Z}; throws when the enumerated layer has more than {@value #MAX_UNITS} units. */
    public static double compute(Rbm rbm) {
        int n = enumeratedUnits(rbm);
        if (n > MAX_UNITS) {
            throw new IllegalArgumentException("exact log Z enumerates the smaller layer, which has " + n + " units here; "
                    + "at most " + MAX_UNITS + " are feasible (" + (rbm.visibleType() == VisibleType.GAUSSIAN
                    ? "Gaussian visibles: the hidden layer is enumerated" : rbm.visible() + "x" + rbm.hidden())
                    + "); use AIS instead");
        }
        boolean overHidden = rbm.visibleType() == VisibleType.GAUSSIAN || rbm.hidden() <= rbm.visible();
        Backend b = rbm.backend();
        long states = 1L << n;
        int chunk = (int) Math.min(states, CHUNK);
        int other = overHidden ? rbm.visible() : rbm.hidden();
        float[] hostStates = new float[chunk * n];
        float[] hostTerms = new float[chunk];
        LogSumExp acc = new LogSumExp();
        try (Tensor s = b.allocate(chunk, n); Tensor x = b.allocate(chunk, other); Tensor terms = b.allocate(chunk, 1)) {
            for (long start = 0; start < states; start += chunk) {
                for (int r = 0; r < chunk; r++) {
                    long state = start + r;
                    for (int j = 0; j < n; j++) {
                        hostStates[r * n + j] = (state >>> j & 1L) != 0 ? 1f : 0f;
                    }
                }
                s.copyFrom(hostStates);
                if (overHidden) {
                    b.gemm(false, true, 1f, s, rbm.weights(), 0f, x);
                    if (rbm.visibleType() == VisibleType.BERNOULLI) {
                        b.softplusRowSums(x, rbm.visibleBias(), 1f, terms);
                    } else {
                        b.addRowVector(x, rbm.visibleBias(), 1f, x);
                        b.rowSquaredNorms(x, null, terms);
                        b.scale(0.5f, terms, terms);
                    }
                    b.gemm(false, true, 1f, s, rbm.hiddenBias(), 1f, terms);
                } else {
                    b.gemm(false, false, 1f, s, rbm.weights(), 0f, x);
                    b.softplusRowSums(x, rbm.hiddenBias(), 1f, terms);
                    b.gemm(false, true, 1f, s, rbm.visibleBias(), 1f, terms);
                }
                terms.copyTo(hostTerms, 0);
                for (int r = 0; r < chunk; r++) {
                    acc.add(hostTerms[r]);
                }
            }
            double logZ = acc.value();
            if (rbm.visibleType() == VisibleType.GAUSSIAN) {
                logZ += -0.5 * b.dot(rbm.visibleBias(), rbm.visibleBias()) + 0.5 * rbm.visible() * Math.log(2 * Math.PI);
            }
            return logZ;
        }
    }
}
