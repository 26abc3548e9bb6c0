package org.ebm4j.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.ebm4j.rbm.RbmParameters;

/**
 * The row-weighted sum of the partitions' parameters and velocities after a round (in double, so
 * the sum of one partition divided by its rows gives back its floats exactly), with where each
 * partition ran (executor and backend) and the slowest partition's broadcast fetch and compute times.
 */
final class RoundSum implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The first partition the sum covers: sums are added in partition order. */
    int partition;
    long rows;
    double[] weights;
    double[] visibleBias;
    double[] hiddenBias;
    double[] velocityW;
    double[] velocityVisible;
    double[] velocityHidden;
    /** Partition to {@code "executor ID: BACKEND"}. */
    final Map<Integer, String> placements = new HashMap<>();
    /** The longest time a partition waited for the round's broadcast. */
    double fetchSeconds;
    /** The longest time a partition spent in its updates. */
    double computeSeconds;

    private RoundSum(int partition) {
        this.partition = partition;
    }

    /** The sum of partition {@code partition} without rows (arrays allocated by the first {@link #add}). */
    static RoundSum empty(int partition) {
        return new RoundSum(partition);
    }

    /** Partition {@code partition}'s result: {@code rows} times its parameters and velocities. */
    static RoundSum of(int partition, int rows, RbmParameters p, float[] velW, float[] velV, float[] velH,
                       String placement) {
        RoundSum s = new RoundSum(partition);
        s.rows = rows;
        s.weights = scaled(p.weights(), rows);
        s.visibleBias = scaled(p.visibleBias(), rows);
        s.hiddenBias = scaled(p.hiddenBias(), rows);
        s.velocityW = scaled(velW, rows);
        s.velocityVisible = scaled(velV, rows);
        s.velocityHidden = scaled(velH, rows);
        s.placements.put(partition, placement);
        return s;
    }

    /** Records this partition's broadcast fetch and compute times. */
    void timed(double fetch, double compute) {
        fetchSeconds = fetch;
        computeSeconds = compute;
    }

    private static double[] scaled(float[] a, int rows) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = (double) a[i] * rows;
        }
        return d;
    }

    /**
     * The sum of {@code parts} added in partition order, so that the floating-point result does not
     * depend on which task finished first.
     */
    static RoundSum inOrder(Iterable<RoundSum> parts) {
        java.util.List<RoundSum> sorted = new java.util.ArrayList<>();
        parts.forEach(sorted::add);
        sorted.sort(java.util.Comparator.comparingInt(s -> s.partition));
        RoundSum sum = new RoundSum(sorted.isEmpty() ? 0 : sorted.get(0).partition);
        for (RoundSum s : sorted) {
            sum.add(s);
        }
        return sum;
    }

    /** Adds {@code o} into this sum and returns this. */
    private RoundSum add(RoundSum o) {
        if (o.weights != null) {
            weights = plus(weights, o.weights);
            visibleBias = plus(visibleBias, o.visibleBias);
            hiddenBias = plus(hiddenBias, o.hiddenBias);
            velocityW = plus(velocityW, o.velocityW);
            velocityVisible = plus(velocityVisible, o.velocityVisible);
            velocityHidden = plus(velocityHidden, o.velocityHidden);
        }
        rows += o.rows;
        placements.putAll(o.placements);
        fetchSeconds = Math.max(fetchSeconds, o.fetchSeconds);
        computeSeconds = Math.max(computeSeconds, o.computeSeconds);
        return this;
    }

    private static double[] plus(double[] a, double[] b) {
        if (a == null) {
            return b.clone();
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    /** The row-weighted mean of {@code sum}, as floats. */
    static float[] mean(double[] sum, long rows) {
        float[] m = new float[sum.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) (sum[i] / rows);
        }
        return m;
    }
}
