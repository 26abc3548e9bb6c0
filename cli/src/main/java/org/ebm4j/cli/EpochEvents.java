package org.ebm4j.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.train.EpochReport;
import org.ebm4j.train.TrainingListener;

/**
 * Prints each {@link EpochReport} of a training run as an {@code epoch} progress event: in JSON the
 * keys {@code event}, the command's {@link #context}, {@code epoch}, {@code epochs}, {@code lr},
 * {@code train_seconds}, then the command's {@link #details}; as text the line
 * {@code <prefix>epoch   3/20  lr 0.05  1.23 s<suffix>}.
 */
public abstract class EpochEvents implements TrainingListener {
    private final JsonOrText output;

    protected EpochEvents(JsonOrText output) {
        this.output = output;
    }

    @Override
    public void onReport(EpochReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "epoch");
        context(m);
        m.put("epoch", r.epoch());
        m.put("epochs", r.epochs());
        m.put("lr", r.learningRate());
        m.put("train_seconds", r.trainSeconds());
        details(r, m);
        String line = prefix() + String.format(Locale.ROOT, "epoch %3d/%d  lr %.4g  %6.2f s", r.epoch(), r.epochs(),
                r.learningRate(), r.trainSeconds()) + suffix(r);
        output.progress(m, text -> text.println(line));
    }

    /** Prints a {@code rollback} event: the epoch that diverged, why, and the rate factor from now on. */
    @Override
    public void onRollback(int epoch, int backTo, String reason, double rateFactor) {
        event("rollback", Map.of("back_to_epoch", backTo, "reason", reason, "lr_factor", rateFactor), epoch,
                String.format(Locale.ROOT, "epoch %d diverged (%s): back to epoch %d, learning rate x%.4g", epoch,
                        reason, backTo, rateFactor));
    }

    /** Prints an {@code early_stop} event: the epoch it stopped after and the best epoch the model keeps. */
    @Override
    public void onEarlyStop(int epoch, int bestEpoch, String metric, double best) {
        event("early_stop", Map.of("best_epoch", bestEpoch, "metric", metric, "best", best), epoch,
                String.format(Locale.ROOT, "stopped early after epoch %d: best %s %.6g at epoch %d (kept)", epoch,
                        metric, best, bestEpoch));
    }

    /** An event {@code name} with the context, the epoch and {@code entries} (in key order), or its text line. */
    private void event(String name, Map<String, Object> entries, int epoch, String line) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", name);
        context(m);
        m.put("epoch", epoch);
        m.putAll(new java.util.TreeMap<>(entries));
        output.progress(m, text -> text.println(prefix() + line));
    }

    /** Entries that say where in the run the epoch is (before its number); none unless overridden. */
    protected void context(Map<String, Object> event) {
    }

    /** Entries after the common ones: the command's measurements of the epoch. */
    protected abstract void details(EpochReport r, Map<String, Object> event);

    /** Text before {@code epoch} on the human line; none unless overridden. */
    protected String prefix() {
        return "";
    }

    /** Text after the epoch's seconds on the human line: the command's measurements. */
    protected abstract String suffix(EpochReport r);
}
