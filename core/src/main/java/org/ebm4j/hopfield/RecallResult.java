package org.ebm4j.hopfield;

import java.util.Arrays;

/**
 * How a batch recall ended: the number of sweeps (asynchronous) or steps (synchronous) run for the
 * whole batch, and per chain its {@link RecallStatus} and the sweep or step at which it settled
 * ({@code settledAt[r]}, 1-based: the first sweep that changed nothing, or the step that closed the
 * 2-cycle; 0 when unsettled). The recalled states themselves are in the tensor the recall was given.
 */
public record RecallResult(int iterations, RecallStatus[] status, int[] settledAt) {

    public RecallResult {
        if (status.length != settledAt.length) {
            throw new IllegalArgumentException("status and settledAt must have one entry per chain");
        }
    }

    public int chains() {
        return status.length;
    }

    /** How many chains ended with {@code s}. */
    public int count(RecallStatus s) {
        int c = 0;
        for (RecallStatus x : status) {
            if (x == s) {
                c++;
            }
        }
        return c;
    }

    /** Whether every chain reached a fixed point or a 2-cycle. */
    public boolean allSettled() {
        return count(RecallStatus.UNSETTLED) == 0;
    }

    @Override
    public String toString() {
        return "RecallResult[iterations=" + iterations + ", fixed=" + count(RecallStatus.FIXED_POINT) + ", twoCycles="
                + count(RecallStatus.TWO_CYCLE) + ", unsettled=" + count(RecallStatus.UNSETTLED) + " of " + chains() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecallResult r && r.iterations == iterations && Arrays.equals(r.status, status)
                && Arrays.equals(r.settledAt, settledAt);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * iterations + Arrays.hashCode(status)) + Arrays.hashCode(settledAt);
    }
}
