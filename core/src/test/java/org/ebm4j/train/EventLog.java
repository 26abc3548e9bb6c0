package org.ebm4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * A listener that writes down the training loop's calls in order, one line per call:
 * {@code "start 1/2 x3"} (first epoch / epochs, batches per epoch), {@code "1.2/3"} (epoch.batch /
 * batches), {@code "end 1 lr 0.5"} (the rate as the float the update uses) and {@code "done"}.
 */
public final class EventLog implements TrainingListener {
    private final List<String> events = new ArrayList<>();

    /** The calls so far; the test may clear it. */
    public List<String> events() {
        return events;
    }

    @Override
    public void onStart(int firstEpoch, int epochs, int batchesPerEpoch) {
        events.add("start " + firstEpoch + "/" + epochs + " x" + batchesPerEpoch);
    }

    @Override
    public void onBatch(int epoch, int batch, int batches) {
        events.add(epoch + "." + batch + "/" + batches);
    }

    @Override
    public void onEpochEnd(int epoch, double learningRate, double seconds) {
        events.add("end " + epoch + " lr " + (float) learningRate);
    }

    @Override
    public void onEnd() {
        events.add("done");
    }
}
