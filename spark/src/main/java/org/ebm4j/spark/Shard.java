package org.ebm4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.ebm4j.data.Binarization;

/**
 * One partition's training rows, preprocessed (binarized) once and cached on its executor for all
 * rounds: {@code rows x cols} floats, row-major.
 *
 * @param partition the partition index (the key of the partition's random draws)
 * @param rows      rows in the shard (may be 0 for an empty partition)
 * @param cols      values per row
 * @param values    {@code rows * cols} values
 */
record Shard(int partition, int rows, int cols, float[] values) implements Serializable {
    /** The rows of one partition, binarized as {@code binarization} says. */
    static Shard of(int partition, Iterator<float[]> rows, int cols, Binarization binarization) {
        List<float[]> list = new ArrayList<>();
        rows.forEachRemaining(list::add);
        float[] v = new float[list.size() * cols];
        for (int i = 0; i < list.size(); i++) {
            System.arraycopy(list.get(i), 0, v, i * cols, cols);
        }
        return new Shard(partition, list.size(), cols, binarization.applyOnHost(v));
    }

    /** Per-column sums in double (exact for binary data), for the visible means. */
    double[] columnSums() {
        double[] s = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                s[j] += values[r * cols + j];
            }
        }
        return s;
    }
}
