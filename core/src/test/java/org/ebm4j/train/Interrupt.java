package org.ebm4j.train;

/**
 * Stops a training run after the report of one epoch, as a killed process would after that
 * epoch's checkpoint: resumption tests use it to interrupt at a fixed point.
 *
 * @param at the epoch (1-based) whose report throws an {@link IllegalStateException}
 */
public record Interrupt(int at) implements TrainingListener {

    @Override
    public void onReport(EpochReport report) {
        if (report.epoch() == at) {
            throw new IllegalStateException("interrupted after epoch " + at);
        }
    }
}
