package org.ebm4j.hopfield;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The storage-capacity measurement: store {@code P} random patterns of {@code n} units, cue the
 * network with each pattern with exactly {@code round(flipFraction * n)} of its bits flipped, recall
 * (asynchronously or synchronously), and count the cues recalled exactly and the mean overlap
 * {@code m = (1/n) sum_i xi_i s_i} between each recalled state and its pattern. Repeated over
 * independent networks ({@code trials}). Patterns come from the backend's Philox sampler, so a seed
 * gives the same patterns on every backend.
 */
public final class CapacityExperiment {

    /** Recall dynamics to measure with. */
    public enum Dynamics { ASYNCHRONOUS, SYNCHRONOUS }

    /**
     * One measured load.
     *
     * @param exactFraction fraction of cues recalled with every bit right
     * @param meanOverlap   mean of {@code m} over all cues, in [-1, 1]
     * @param overlapStdErr standard error of that mean
     * @param meanIterations mean number of sweeps (or steps) the recalls ran, over trials
     * @param settledFraction fraction of cues that reached a fixed point (or, synchronously, a 2-cycle)
     */
    public record Row(LearningRule rule, Dynamics dynamics, int units, int patterns, double load, int trials,
                      int cues, double exactFraction, double meanOverlap, double overlapStdErr,
                      double meanIterations, double settledFraction, double seconds) {
    }

    private final Backend backend;
    private final int units;
    private final double flipFraction;
    private final int maxIterations;
    private final Dynamics dynamics;

    public CapacityExperiment(Backend backend, int units, double flipFraction, int maxIterations, Dynamics dynamics) {
        if (backend == null) {
            throw new IllegalArgumentException("backend is null");
        }
        if (units < 2) {
            throw new IllegalArgumentException("units must be >= 2 but was " + units);
        }
        if (!(flipFraction >= 0 && flipFraction <= 0.5)) {
            throw new IllegalArgumentException("flip fraction must lie in [0, 0.5] but was " + flipFraction);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("the sweep limit must be >= 1 but was " + maxIterations);
        }
        this.backend = backend;
        this.units = units;
        this.flipFraction = flipFraction;
        this.maxIterations = maxIterations;
        this.dynamics = dynamics == null ? Dynamics.ASYNCHRONOUS : dynamics;
    }

    /** Measures {@code patterns} stored patterns with {@code rule}, over {@code trials} networks. */
    public Row measure(LearningRule rule, int patterns, int trials, RandomStream rng) {
        if (patterns < 1) {
            throw new IllegalArgumentException("patterns must be >= 1 but was " + patterns);
        }
        if (trials < 1) {
            throw new IllegalArgumentException("trials must be >= 1 but was " + trials);
        }
        long t0 = System.nanoTime();
        int n = units;
        int flips = (int) Math.round(flipFraction * n);
        long exact = 0;
        double sumM = 0;
        double sumM2 = 0;
        long iterations = 0;
        long settled = 0;
        for (int t = 0; t < trials; t++) {
            try (HopfieldNetwork net = new HopfieldNetwork(backend, n);
                 Tensor stored = backend.allocate(patterns, n);
                 Tensor states = backend.allocate(patterns, n)) {
                backend.sampler().fillUniform(stored, rng);
                backend.threshold(stored, 0.5f, -1f, 1f, stored);
                net.store(stored, rule);
                float[] xi = stored.toArray();
                float[] cues = xi.clone();
                for (int r = 0; r < patterns; r++) {
                    int[] perm = rng.permutation(n);
                    for (int k = 0; k < flips; k++) {
                        cues[r * n + perm[k]] = -cues[r * n + perm[k]];
                    }
                }
                states.copyFrom(cues);
                RecallResult res = dynamics == Dynamics.ASYNCHRONOUS
                        ? new AsynchronousRecall(net, maxIterations).run(states, null, rng)
                        : new SynchronousRecall(net, maxIterations).run(states, null);
                iterations += res.iterations();
                settled += patterns - res.count(RecallStatus.UNSETTLED);
                float[] out = states.toArray();
                for (int r = 0; r < patterns; r++) {
                    long dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += out[r * n + i] == xi[r * n + i] ? 1 : -1;
                    }
                    double m = (double) dot / n;
                    sumM += m;
                    sumM2 += m * m;
                    if (dot == n) {
                        exact++;
                    }
                }
            }
        }
        int cues = patterns * trials;
        double mean = sumM / cues;
        double var = cues > 1 ? Math.max(0, (sumM2 - cues * mean * mean) / (cues - 1)) : 0;
        return new Row(rule, dynamics, n, patterns, (double) patterns / n, trials, cues, (double) exact / cues, mean,
                Math.sqrt(var / cues), (double) iterations / trials, (double) settled / cues,
                (System.nanoTime() - t0) / 1e9);
    }
}
