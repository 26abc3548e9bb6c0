package org.ebm4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;

/**
 * Prints each {@link EpochReport} of a training run as an {@code epoch} progress row
 * ({@link JsonOrText#progressRow}): the command's {@link #context}, {@code epoch}, {@code epochs},
 * {@code lr}, {@code train_seconds}, then the command's {@link #details}.
 */
public abstract class EpochEvents implements TrainingListener {
    private final JsonOrText output;

    protected EpochEvents(JsonOrText output) {
        this.output = output;
    }

    @Override
    public void onReport(EpochReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        context(m);
        m.put("epoch", r.epoch());
        m.put("epochs", r.epochs());
        m.put("lr", r.learningRate());
        m.put("train_seconds", r.trainSeconds());
        details(r, m);
        output.progressRow("epoch", m);
    }

    /** Prints a {@code rollback} event: the epoch that diverged, why, and the rate factor from now on. */
    @Override
    public void onRollback(int epoch, int backTo, String reason, double rateFactor) {
        event("rollback", Map.of("back_to_epoch", backTo, "reason", reason, "lr_factor", rateFactor), epoch);
    }

    /** Prints an {@code early_stop} event: the epoch it stopped after and the best epoch the model keeps. */
    @Override
    public void onEarlyStop(int epoch, int bestEpoch, String metric, double best) {
        event("early_stop", Map.of("best_epoch", bestEpoch, "metric", metric, "best", best), epoch);
    }

    /** An event {@code name} with the context, the epoch and {@code entries} (in key order). */
    private void event(String name, Map<String, Object> entries, int epoch) {
        Map<String, Object> m = new LinkedHashMap<>();
        context(m);
        m.put("epoch", epoch);
        m.putAll(new java.util.TreeMap<>(entries));
        output.progress(name, m);
    }

    /** Entries that say where in the run the epoch is (before its number); none unless overridden. */
    protected void context(Map<String, Object> event) {
    }

    /** Entries after the common ones: the command's measurements of the epoch. */
    protected abstract void details(EpochReport r, Map<String, Object> event);

    /**
     * Only the {@code rollback} and {@code early_stop} events, for a command that prints its epochs in
     * its own way.
     */
    public static EpochEvents safetyEvents(JsonOrText output) {
        return new EpochEvents(output) {
            @Override
            public void onReport(EpochReport r) {
            }

            @Override
            protected void details(EpochReport r, Map<String, Object> event) {
            }
        };
    }

    /** Epoch rows whose details are the report's {@code metrics}, in order ({@code NaN} where one is absent). */
    public static EpochEvents reporting(JsonOrText output, String... metrics) {
        return new EpochEvents(output) {
            @Override
            protected void details(EpochReport r, Map<String, Object> event) {
                for (String name : metrics) {
                    event.put(name, r.metrics().getOrDefault(name, Double.NaN));
                }
            }
        };
    }
}
