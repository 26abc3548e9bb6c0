package org.ebm4j.hopfield;

import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.MemoryEstimate;

/**
 * The storage-capacity measurement: store {@code P} random patterns of {@code n} units, cue the
 * network with each pattern with exactly {@code round(flipFraction * n)} of its bits flipped, recall
 * (as {@link RecallOptions} say), and count the cues recalled exactly and the mean overlap
 * {@code m = (1/n) sum_i xi_i s_i} between each recalled state and its pattern. Repeated over
 * independent networks ({@code trials}).
 *
 * <p>Random streams, under the recall options' seed: the patterns of a measurement of {@code P}
 * patterns come from {@link StreamId#HOPFIELD_PATTERNS} stream {@code P} (drawn by the backend's
 * Philox sampler, so every backend stores the same patterns), its cue flips from draw block
 * {@code P} of {@link StreamId#HOPFIELD_CUES} and its unit orders from draw block {@code P} of
 * {@link StreamId#HOPFIELD_RECALL}. A measurement is thus a function of the seed and {@code P} alone:
 * every rule meets the same patterns and cues, and a load gives the same row whatever other loads
 * are measured with it.
 */
public final class CapacityExperiment {

    /**
     * One measured load.
     *
     * @param exactFraction fraction of cues recalled with every bit right
     * @param meanOverlap   mean of {@code m} over all cues, in [-1, 1]
     * @param overlapStdErr standard error of that mean
     * @param meanIterations mean number of sweeps (or steps) the recalls ran, over trials
     * @param settledFraction fraction of cues that reached a fixed point (or, synchronously, a 2-cycle)
     */
    public record Row(LearningRule rule, RecallOptions.Dynamics dynamics, int units, int patterns, double load, int trials,
                      int cues, double exactFraction, double meanOverlap, double overlapStdErr,
                      double meanIterations, double settledFraction, double seconds) {
    }

    private final Backend backend;
    private final int units;
    private final double flipFraction;
    private final RecallOptions recall;

    /** @param recall how to recall, and the seed of every stream of the experiment */
    public CapacityExperiment(Backend backend, int units, double flipFraction, RecallOptions recall) {
        if (backend == null) {
            throw new IllegalArgumentException("backend is null");
        }
        if (units < 2) {
            throw new IllegalArgumentException("units must be >= 2 but was " + units);
        }
        if (!(flipFraction >= 0 && flipFraction <= 0.5)) {
            throw new IllegalArgumentException("flip fraction must lie in [0, 0.5] but was " + flipFraction);
        }
        this.backend = backend;
        this.units = units;
        this.flipFraction = flipFraction;
        this.recall = Objects.requireNonNull(recall, "recall options");
    }

    /**
     * Refuses, before any work, measuring up to {@code maxPatterns} patterns of {@code units} units when
     * the arrays cannot fit in this JVM's heap ({@link MemoryEstimate#require}): the network's
     * {@code n x n} weights with the learning rule's workspace (3 matrices, setting {@code units}), then
     * the stored patterns and the recalled states beside them (setting {@code loads}, which sets the
     * pattern counts).
     */
    public static void requireMemory(long units, long maxPatterns) {
        long weights = MemoryEstimate.floats(3, units, units);
        MemoryEstimate.require("units", weights, "the " + units + "x" + units + " weights with the learning rule's "
                + "workspace");
        MemoryEstimate.require("loads", MemoryEstimate.sum(weights, MemoryEstimate.floats(2, maxPatterns, units)),
                "the weights with " + maxPatterns + " stored and recalled patterns");
    }

    /** Measures {@code patterns} stored patterns with {@code rule}, over {@code trials} networks. */
    public Row measure(LearningRule rule, int patterns, int trials) {
        if (patterns < 1 || patterns >= StreamId.HOPFIELD_PATTERNS.count()) {
            throw new IllegalArgumentException("patterns must lie in [1, " + (StreamId.HOPFIELD_PATTERNS.count() - 1)
                    + "] but was " + patterns);
        }
        if (trials < 1) {
            throw new IllegalArgumentException("trials must be >= 1 but was " + trials);
        }
        requireMemory(units, patterns);
        long t0 = System.nanoTime();
        long seed = recall.seed();
        RandomStream patternStream = StreamId.HOPFIELD_PATTERNS.open(seed, patterns);
        RandomStream cueStream = StreamId.HOPFIELD_CUES.openBlock(seed, patterns);
        RandomStream recallStream = StreamId.HOPFIELD_RECALL.openBlock(seed, patterns);
        int n = units;
        long exact = 0;
        double sumM = 0;
        double sumM2 = 0;
        long iterations = 0;
        long settled = 0;
        for (int t = 0; t < trials; t++) {
            try (HopfieldNetwork net = new HopfieldNetwork(backend, n);
                 Tensor stored = backend.allocate(patterns, n);
                 Tensor states = backend.allocate(patterns, n)) {
                backend.sampler().fillUniform(stored, patternStream);
                backend.threshold(stored, 0.5f, -1f, 1f, stored);
                net.store(stored, rule);
                float[] xi = stored.toArray();
                states.copyFrom(CueCorruption.flip(xi, n, flipFraction, cueStream));
                RecallResult res = net.recall(states, null, recall, recallStream);
                iterations += res.iterations();
                settled += patterns - res.count(RecallStatus.UNSETTLED);
                float[] out = states.toArray();
                for (int r = 0; r < patterns; r++) {
                    double m = PatternOverlaps.overlap(out, r, xi, r, n);
                    sumM += m;
                    sumM2 += m * m;
                    if (m == 1.0) {
                        exact++;
                    }
                }
            }
        }
        int cues = patterns * trials;
        double mean = sumM / cues;
        double var = cues > 1 ? Math.max(0, (sumM2 - cues * mean * mean) / (cues - 1)) : 0;
        return new Row(rule, recall.dynamics(), n, patterns, (double) patterns / n, trials, cues, (double) exact / cues,
                mean, Math.sqrt(var / cues), (double) iterations / trials, (double) settled / cues,
                (System.nanoTime() - t0) / 1e9);
    }
}
