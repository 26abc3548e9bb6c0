package org.ebm4j.structured;

import org.ebm4j.data.Dataset;

/**
 * Labelled sequences for a chain factor graph: the positions of every sequence, one after another, as
 * the rows of {@code positions} (a label per row), and the length of each sequence.
 *
 * @param positions {@code sum(lengths) x d} inputs with one label per row
 * @param lengths   the sequences' lengths, each {@code >= 1}
 */
public record Sequences(Dataset positions, int[] lengths) {
    public Sequences {
        if (positions == null || lengths == null) {
            throw new IllegalArgumentException("sequences need their positions and lengths");
        }
        long total = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 1) {
                throw new IllegalArgumentException("sequence " + i + " has length " + lengths[i] + "; expected >= 1");
            }
            total += lengths[i];
        }
        if (total != positions.rows()) {
            throw new IllegalArgumentException("the lengths add up to " + total + " positions but " + positions.name()
                    + " has " + positions.rows() + " rows");
        }
        lengths = lengths.clone();
    }

    /** The number of sequences. */
    public int count() {
        return lengths.length;
    }

    /** The first row of each sequence, and the total at the end ({@code count() + 1} entries). */
    public int[] offsets() {
        int[] o = new int[lengths.length + 1];
        for (int i = 0; i < lengths.length; i++) {
            o[i + 1] = o[i] + lengths[i];
        }
        return o;
    }

    /** The labels of sequence {@code s}. */
    public int[] labels(int s) {
        int[] o = offsets();
        return java.util.Arrays.copyOfRange(positions.labels(), o[s], o[s + 1]);
    }

    /** Sequences {@code from} (inclusive) to {@code to} (exclusive), their positions a slice of {@link #positions}. */
    public Sequences slice(int from, int to) {
        if (from < 0 || to > count() || from > to) {
            throw new IllegalArgumentException("sequences " + from + ".." + to + " are outside 0.." + count());
        }
        int[] o = offsets();
        return new Sequences(positions.slice(o[from], o[to]), java.util.Arrays.copyOfRange(lengths, from, to));
    }
}
