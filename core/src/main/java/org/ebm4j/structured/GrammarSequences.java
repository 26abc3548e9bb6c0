package org.ebm4j.structured;

import java.util.ArrayList;
import java.util.List;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;

/**
 * Sequences of labelled rows (for example MNIST digits) whose labels follow a stated first-order grammar,
 * so that a chain factor graph has transition structure to learn: the first label is uniform over the
 * {@code K} labels; each next label is {@code (previous + 1) mod K} with probability {@code follow}, and
 * uniform over all {@code K} labels otherwise. Each position then takes a row of that label drawn uniformly
 * from {@code pool} (with replacement), so disjoint pools give disjoint training and test sequences. All
 * draws come from {@link StreamId#STRUCTURED_SEQUENCES} under {@code seed}: the same arguments give the
 * same sequences.
 */
public final class GrammarSequences {
    private GrammarSequences() {
    }

    /**
     * {@code count} sequences of {@code length} positions drawn from the grammar over {@code pool}'s rows.
     *
     * @param pool   labelled rows; every label in {@code [0, K)} must occur
     * @param labels {@code K}
     * @param follow the probability of the successor label, in [0, 1]
     * @throws IllegalArgumentException when the pool has no labels, a label is out of range or absent
     */
    public static Sequences draw(Dataset pool, int labels, int count, int length, double follow, long seed) {
        if (pool.labels() == null) {
            throw new IllegalArgumentException(pool.name() + " has no labels; grammar sequences need labelled rows");
        }
        if (labels < 2 || count < 1 || length < 1) {
            throw new IllegalArgumentException("grammar sequences need >= 2 labels, >= 1 sequence and length >= 1,"
                    + " found " + labels + ", " + count + " and " + length);
        }
        if (!(follow >= 0 && follow <= 1)) {
            throw new IllegalArgumentException("the successor probability must lie in [0, 1], found " + follow);
        }
        List<List<Integer>> byLabel = new ArrayList<>();
        for (int k = 0; k < labels; k++) {
            byLabel.add(new ArrayList<>());
        }
        int[] y = pool.labels();
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= labels) {
                throw new IllegalArgumentException(pool.name() + " row " + i + " has label " + y[i] + ", outside 0.."
                        + (labels - 1));
            }
            byLabel.get(y[i]).add(i);
        }
        for (int k = 0; k < labels; k++) {
            if (byLabel.get(k).isEmpty()) {
                throw new IllegalArgumentException(pool.name() + " has no row of label " + k);
            }
        }
        RandomStream rng = StreamId.STRUCTURED_SEQUENCES.open(seed);
        long draw = rng.nextDraw();
        int n = count * length;
        int d = pool.cols();
        float[] values = new float[n * d];
        int[] out = new int[n];
        float[] source = pool.values();
        long e = 0;
        for (int s = 0; s < count; s++) {
            int label = -1;
            for (int t = 0; t < length; t++) {
                double u = Philox.uniform(rng.seed(), rng.streamId(), draw, e++);
                if (t > 0 && u < follow) {
                    label = (label + 1) % labels;
                } else {
                    label = pick(Philox.uniform(rng.seed(), rng.streamId(), draw, e++), labels);
                }
                List<Integer> rows = byLabel.get(label);
                int row = rows.get(pick(Philox.uniform(rng.seed(), rng.streamId(), draw, e++), rows.size()));
                int at = s * length + t;
                out[at] = label;
                System.arraycopy(source, row * d, values, at * d, d);
            }
        }
        int[] lengths = new int[count];
        java.util.Arrays.fill(lengths, length);
        Dataset positions = new Dataset(pool.name() + " in " + count + " grammar sequences of " + length + " (follow "
                + follow + ", seed " + seed + ")", n, d, values, out, pool.imageHeight(), pool.imageWidth());
        return new Sequences(positions, lengths);
    }

    // floor(u * n) clamped, for a uniform u in [0, 1).
    private static int pick(double u, int n) {
        return Math.min(n - 1, (int) (u * n));
    }
}
