package org.ebm4j.train;

/**
 * Hears how far a long computation that is no epoch loop has come (AIS, exact {@code log Z}): it is
 * called now and then, from the computing thread, with the units of work done out of the total, so a
 * caller can show progress and an ETA. It must return quickly and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress. */
    ProgressListener NONE = (done, total) -> { };

    /** {@code done} of {@code total} units of work are finished ({@code 0 <= done <= total}). */
    void onProgress(long done, long total);
}
