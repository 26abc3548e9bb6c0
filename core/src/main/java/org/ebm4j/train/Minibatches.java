package org.ebm4j.train;

import java.util.function.IntFunction;

/**
 * How an epoch splits {@code rows} rows into minibatches of {@code size} rows, the last one
 * holding the remainder where {@code size} does not divide {@code rows}: the split every trainer
 * allocates its batch workspaces for (one of {@code size} rows, one of the remainder).
 *
 * @param rows the rows of the data ({@code >= 1})
 * @param size the rows of a full batch ({@code 1 <= size <= rows})
 */
public record Minibatches(int rows, int size) {

    public Minibatches {
        if (rows < 1 || size < 1 || size > rows) {
            throw new IllegalArgumentException("minibatches need 1 <= size <= rows, found size " + size + " for "
                    + rows + " rows");
        }
    }

    /** Batches of {@code batchSize} rows, or a single one where the data have fewer rows. */
    public static Minibatches of(int rows, int batchSize) {
        return new Minibatches(rows, Math.min(batchSize, rows));
    }

    /** The rows of the last, partial batch; 0 where {@code size} divides {@code rows}. */
    public int remainder() {
        return rows % size;
    }

    /** The batches of one epoch, the partial one included. */
    public int count() {
        return rows / size + (remainder() == 0 ? 0 : 1);
    }

    /** {@code workspace} made for the partial batch's rows, or null where there is none. */
    public <T> T tail(IntFunction<T> workspace) {
        return remainder() == 0 ? null : workspace.apply(remainder());
    }
}
