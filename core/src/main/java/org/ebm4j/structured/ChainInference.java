package org.ebm4j.structured;

/**
 * Inference on an energy-based factor graph over a chain of {@code T} discrete variables with
 * {@code K} values each: the energy is a sum of unary and pairwise factors,
 * <pre>
 *   E(y) = sum_t U[t][y_t] + sum_{t >= 1} P[y_{t-1}][y_t]
 * </pre>
 * with {@code U} laid out {@code t K + k} and {@code P} laid out {@code a K + b}. Min-sum dynamic
 * programming on the trellis (Viterbi) gives {@code argmin_y E(y)} in {@code O(T K^2)}; the forward
 * algorithm gives the free energy {@code -(1/beta) log sum_y exp(-beta E(y))} with every sum shifted by
 * its minimum, and forward-backward the marginals that NLL training needs. Plain double precision on
 * the host: the dense work (the unary factors) is done by the network on the backend.
 */
public final class ChainInference {
    private ChainInference() {
    }

    /** The node and edge marginals of the Gibbs distribution at {@code beta}, and its free energy. */
    public record Marginals(double freeEnergy, double[] node, double[] edge) {
    }

    /** {@code E(y)}. */
    public static double energy(double[] unary, double[] pair, int[] y, int k) {
        int t = check(unary, pair, k);
        if (y.length != t) {
            throw new IllegalArgumentException("expected " + t + " labels, found " + y.length);
        }
        double e = 0;
        for (int i = 0; i < t; i++) {
            if (y[i] < 0 || y[i] >= k) {
                throw new IllegalArgumentException("label " + y[i] + " at position " + i + " is outside 0.." + (k - 1));
            }
            e += unary[i * k + y[i]];
            if (i > 0) {
                e += pair[y[i - 1] * k + y[i]];
            }
        }
        return e;
    }

    /** {@code argmin_y E(y)} by min-sum (ties go to the lower label). */
    public static int[] viterbi(double[] unary, double[] pair, int k) {
        int t = check(unary, pair, k);
        double[] cost = new double[t * k];
        int[] back = new int[t * k];
        System.arraycopy(unary, 0, cost, 0, k);
        for (int i = 1; i < t; i++) {
            for (int b = 0; b < k; b++) {
                int best = 0;
                double low = cost[(i - 1) * k] + pair[b];
                for (int a = 1; a < k; a++) {
                    double v = cost[(i - 1) * k + a] + pair[a * k + b];
                    if (v < low) {
                        low = v;
                        best = a;
                    }
                }
                cost[i * k + b] = low + unary[i * k + b];
                back[i * k + b] = best;
            }
        }
        int[] y = new int[t];
        int best = 0;
        for (int b = 1; b < k; b++) {
            if (cost[(t - 1) * k + b] < cost[(t - 1) * k + best]) {
                best = b;
            }
        }
        y[t - 1] = best;
        for (int i = t - 1; i > 0; i--) {
            y[i - 1] = back[i * k + y[i]];
        }
        return y;
    }

    /**
     * The most offending sequence under a Hamming margin: {@code argmin_y (E(y) - m H(y, truth))}, by
     * Viterbi on unary factors lowered by {@code m} wherever the label differs from the truth.
     */
    public static int[] lossAugmentedViterbi(double[] unary, double[] pair, int k, int[] truth, double m) {
        return viterbi(hammingAugmented(unary, k, truth, m), pair, k);
    }

    static double[] hammingAugmented(double[] unary, int k, int[] truth, double m) {
        double[] u = unary.clone();
        for (int i = 0; i < truth.length; i++) {
            for (int b = 0; b < k; b++) {
                if (b != truth[i]) {
                    u[i * k + b] -= m;
                }
            }
        }
        return u;
    }

    /** The number of positions where {@code a} and {@code b} differ. */
    public static int hamming(int[] a, int[] b) {
        int d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] != b[i] ? 1 : 0;
        }
        return d;
    }

    /** The free energy {@code -(1/beta) log sum_y exp(-beta E(y))} by the forward algorithm. */
    public static double freeEnergy(double[] unary, double[] pair, int k, double beta) {
        int t = check(unary, pair, k);
        checkBeta(beta);
        return forward(unary, pair, t, k, beta)[t * k];
    }

    // alpha[i K + b] = -(1/beta) log sum over prefixes ending in b of exp(-beta E(prefix)); alpha[T K] the total.
    private static double[] forward(double[] unary, double[] pair, int t, int k, double beta) {
        double[] alpha = new double[t * k + 1];
        System.arraycopy(unary, 0, alpha, 0, k);
        double[] terms = new double[k];
        for (int i = 1; i < t; i++) {
            for (int b = 0; b < k; b++) {
                for (int a = 0; a < k; a++) {
                    terms[a] = alpha[(i - 1) * k + a] + pair[a * k + b];
                }
                alpha[i * k + b] = softMin(terms, k, beta) + unary[i * k + b];
            }
        }
        System.arraycopy(alpha, (t - 1) * k, terms, 0, k);
        alpha[t * k] = softMin(terms, k, beta);
        return alpha;
    }

    /**
     * Free energy and marginals at {@code beta}: {@code node[t K + k] = p(y_t = k)} and
     * {@code edge[a K + b] = sum_t p(y_{t-1} = a, y_t = b)}, which are the derivatives of the free energy
     * with respect to {@code U} and {@code P}.
     */
    public static Marginals marginals(double[] unary, double[] pair, int k, double beta) {
        int t = check(unary, pair, k);
        checkBeta(beta);
        double[] alpha = forward(unary, pair, t, k, beta);
        double f = alpha[t * k];
        // betaMsg[i K + a]: the soft-min over suffixes after position i that start from label a at i.
        double[] after = new double[t * k];
        double[] terms = new double[k];
        for (int i = t - 2; i >= 0; i--) {
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    terms[b] = pair[a * k + b] + unary[(i + 1) * k + b] + after[(i + 1) * k + b];
                }
                after[i * k + a] = softMin(terms, k, beta);
            }
        }
        double[] node = new double[t * k];
        for (int i = 0; i < t * k; i++) {
            node[i] = Math.exp(-beta * (alpha[i] + after[i] - f));
        }
        double[] edge = new double[k * k];
        for (int i = 1; i < t; i++) {
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    double e = alpha[(i - 1) * k + a] + pair[a * k + b] + unary[i * k + b] + after[i * k + b];
                    edge[a * k + b] += Math.exp(-beta * (e - f));
                }
            }
        }
        return new Marginals(f, node, edge);
    }

    // -(1/beta) log sum_j exp(-beta v_j), shifted by the minimum so nothing overflows.
    static double softMin(double[] v, int n, double beta) {
        double low = v[0];
        for (int j = 1; j < n; j++) {
            low = Math.min(low, v[j]);
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += Math.exp(-beta * (v[j] - low));
        }
        return low - Math.log(s) / beta;
    }

    private static int check(double[] unary, double[] pair, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("a chain needs >= 1 labels, found " + k);
        }
        if (pair.length != k * k) {
            throw new IllegalArgumentException("pairwise factors must be " + k + " x " + k + " = " + k * k
                    + " values, found " + pair.length);
        }
        if (unary.length == 0 || unary.length % k != 0) {
            throw new IllegalArgumentException("unary factors must be T x " + k + " values with T >= 1, found "
                    + unary.length);
        }
        return unary.length / k;
    }

    private static void checkBeta(double beta) {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("inverse temperature beta must be finite and > 0, found " + beta);
        }
    }
}
