package org.ebm4j.testing;

/**
 * The batches of one epoch as the trainers split it, for tests that replay an epoch by hand: the
 * positions {@code [k b, k b + b)} of the epoch's permutation and a last, smaller batch with the rest.
 * It counts how often each row is handed out and fails unless every row was handed out exactly once,
 * so a test's replay cannot itself skip or repeat rows.
 */
public final class EpochBatches {

    private EpochBatches() {}

    /** What a test does with one batch: the rows {@code order[offset .. offset + count)}. */
    @FunctionalInterface
    public interface Batch {
        void accept(int offset, int count);
    }

    /**
     * Calls {@code batch} for each batch of {@code order} (a permutation of its length) in batches of
     * {@code size}, in turn.
     *
     * @throws AssertionError naming {@code what} and the row when a row is not handed out exactly once
     */
    public static void replay(int[] order, int size, String what, Batch batch) {
        int rows = order.length;
        int[] uses = new int[rows];
        for (int offset = 0; offset < rows; offset += size) {
            int count = Math.min(size, rows - offset);
            for (int i = 0; i < count; i++) {
                uses[order[offset + i]]++;
            }
            batch.accept(offset, count);
        }
        for (int r = 0; r < rows; r++) {
            if (uses[r] != 1) {
                throw new AssertionError(what + ": row " + r + " was used " + uses[r] + " times (expected once)");
            }
        }
    }
}
