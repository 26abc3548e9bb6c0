package org.ebm4j.train;

import java.util.function.IntConsumer;
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

    /** The update of one minibatch of an epoch. */
    @FunctionalInterface
    public interface Step<T> {
        /**
         * @param workspace the workspace for the batch's rows ({@code full} or {@code tail})
         * @param batch     the batch's 0-based index in the epoch
         * @param offset    its first row in the epoch's order
         */
        void run(T workspace, int batch, int offset);
    }

    /**
     * Runs one epoch's updates in order: {@code step} on each full batch with {@code full}, then on the
     * partial one, if any, with {@code tail}; after each, {@code done} gets the number of batches done.
     *
     * @param tail the workspace {@link #tail} made (null where there is no partial batch)
     */
    public <T> void forEach(T full, T tail, Step<T> step, IntConsumer done) {
        int fullBatches = rows / size;
        for (int i = 0; i < fullBatches; i++) {
            step.run(full, i, i * size);
            done.accept(i + 1);
        }
        if (tail != null) {
            step.run(tail, fullBatches, fullBatches * size);
            done.accept(fullBatches + 1);
        }
    }
}
