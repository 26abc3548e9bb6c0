package org.ebm4j.segmentation;

import java.util.Arrays;

/**
 * A directed acyclic graph whose edges carry energies taken from a shared array of factors (a graph
 * in the sense of graph transformer networks): the energy of a path is the sum of its edges' factors,
 * and the graph stands for the set of paths from {@link #start()} to {@link #end()}.
 * <ul>
 *   <li>{@link #bestPath}: the lowest-energy path by min-sum dynamic programming;</li>
 *   <li>{@link #freeEnergy}: {@code -(1/beta) log sum_paths exp(-beta E(path))} by the forward
 *       algorithm, every addition done as a shifted log-sum-exp so no term overflows;</li>
 *   <li>{@link #addFactorPosteriors}: the derivative of the free energy with respect to each factor,
 *       the expected number of times a path uses it under {@code exp(-beta E)} (forward-backward).</li>
 * </ul>
 * Nodes are numbered so that every edge goes from a lower to a higher number (a topological order), which
 * the constructor checks; an edge's factor {@code -1} means energy 0 (an epsilon edge).
 */
public final class Lattice {
    private final int nodes;
    private final int[] from;
    private final int[] to;
    private final int[] factor;

    /** The lowest-energy path: its energy and its edges in order (empty when no path exists). */
    public record Path(double energy, int[] edges) {
    }

    /**
     * @param nodes the node count; the start is node 0 and the end node {@code nodes - 1}
     * @param from  each edge's source, non-decreasing
     * @param to    each edge's target, greater than its source
     * @param factor each edge's factor index, or {@code -1} for energy 0
     */
    public Lattice(int nodes, int[] from, int[] to, int[] factor) {
        if (nodes < 2) {
            throw new IllegalArgumentException("a lattice needs >= 2 nodes (a start and an end), found " + nodes);
        }
        if (from.length != to.length || from.length != factor.length) {
            throw new IllegalArgumentException("expected as many sources, targets and factors, found " + from.length
                    + ", " + to.length + " and " + factor.length);
        }
        for (int e = 0; e < from.length; e++) {
            if (from[e] < 0 || to[e] >= nodes || from[e] >= to[e] || (e > 0 && from[e] < from[e - 1])) {
                throw new IllegalArgumentException("edge " + e + " (" + from[e] + " -> " + to[e] + ") breaks the"
                        + " order: sources non-decreasing, each target above its source, all below " + nodes);
            }
        }
        this.nodes = nodes;
        this.from = from.clone();
        this.to = to.clone();
        this.factor = factor.clone();
    }

    /** The start node, 0. */
    public int start() {
        return 0;
    }

    /** The end node, the last. */
    public int end() {
        return nodes - 1;
    }

    /** The number of edges. */
    public int edges() {
        return from.length;
    }

    /** Edge {@code e}'s factor index ({@code -1}: energy 0). */
    public int factor(int e) {
        return factor[e];
    }

    /** Edge {@code e}'s source. */
    public int source(int e) {
        return from[e];
    }

    /** Edge {@code e}'s target. */
    public int target(int e) {
        return to[e];
    }

    private double weight(double[] factors, int e) {
        return factor[e] < 0 ? 0 : factors[factor[e]];
    }

    /** The lowest-energy path from start to end (ties go to the edge listed first). */
    public Path bestPath(double[] factors) {
        double[] cost = new double[nodes];
        int[] via = new int[nodes];
        Arrays.fill(cost, Double.POSITIVE_INFINITY);
        Arrays.fill(via, -1);
        cost[0] = 0;
        for (int e = 0; e < from.length; e++) {
            double c = cost[from[e]] + weight(factors, e);
            if (c < cost[to[e]]) {
                cost[to[e]] = c;
                via[to[e]] = e;
            }
        }
        int steps = 0;
        for (int v = end(); via[v] >= 0; v = from[via[v]]) {
            steps++;
        }
        int[] path = new int[steps];
        for (int v = end(); via[v] >= 0; v = from[via[v]]) {
            path[--steps] = via[v];
        }
        return new Path(cost[end()], path);
    }

    /** {@code -(1/beta) log sum_paths exp(-beta E(path))}; {@code +infinity} when no path exists. */
    public double freeEnergy(double[] factors, double beta) {
        return forward(factors, checkBeta(beta))[end()];
    }

    /**
     * Adds {@code dF/dfactor_j} to {@code grad[j]} for the free energy {@code F} at {@code beta}: the
     * posterior probability of each edge, summed over the edges that share a factor.
     *
     * @return the free energy
     */
    public double addFactorPosteriors(double[] factors, double beta, double scale, double[] grad) {
        checkBeta(beta);
        double[] alpha = forward(factors, beta);
        double f = alpha[end()];
        if (f == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("the lattice has no path from start to end");
        }
        double[] after = new double[nodes];
        Arrays.fill(after, Double.POSITIVE_INFINITY);
        after[end()] = 0;
        for (int e = from.length - 1; e >= 0; e--) {
            after[from[e]] = softMin(after[from[e]], weight(factors, e) + after[to[e]], beta);
        }
        for (int e = 0; e < from.length; e++) {
            if (factor[e] >= 0) {
                double through = alpha[from[e]] + factors[factor[e]] + after[to[e]];
                grad[factor[e]] += scale * Math.exp(-beta * (through - f));
            }
        }
        return f;
    }

    /** Adds {@code scale} to {@code grad[j]} for every use of factor {@code j} on {@code path}. */
    public void addPathIndicator(Path path, double scale, double[] grad) {
        for (int e : path.edges()) {
            if (factor[e] >= 0) {
                grad[factor[e]] += scale;
            }
        }
    }

    // alpha[v]: the soft minimum over the paths from the start to v.
    private double[] forward(double[] factors, double beta) {
        double[] alpha = new double[nodes];
        Arrays.fill(alpha, Double.POSITIVE_INFINITY);
        alpha[0] = 0;
        for (int e = 0; e < from.length; e++) {
            alpha[to[e]] = softMin(alpha[to[e]], alpha[from[e]] + weight(factors, e), beta);
        }
        return alpha;
    }

    // -(1/beta) log(exp(-beta a) + exp(-beta b)), shifted by the smaller; infinity stands for "no path".
    static double softMin(double a, double b, double beta) {
        double low = Math.min(a, b);
        if (low == Double.POSITIVE_INFINITY) {
            return low;
        }
        double high = Math.max(a, b);
        return low - Math.log1p(Math.exp(-beta * (high - low))) / beta;
    }

    private static double checkBeta(double beta) {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("inverse temperature beta must be finite and > 0, found " + beta);
        }
        return beta;
    }
}
