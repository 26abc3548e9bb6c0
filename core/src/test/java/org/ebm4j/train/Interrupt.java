package org.ebm4j.train;

/**
 * Stops a training run after the report of one epoch, as a killed process would after that
 * epoch's checkpoint: resumption tests use it to interrupt at a fixed point.
 */
public final class Interrupt implements TrainingListener {
    private final int at;

    /** Throws an {@link IllegalStateException} from the report of epoch {@code at} (1-based). */
    public Interrupt(int at) {
        this.at = at;
    }

    @Override
    public void onReport(EpochReport report) {
        if (report.epoch() == at) {
            throw new IllegalStateException("interrupted after epoch " + at);
        }
    }
}
