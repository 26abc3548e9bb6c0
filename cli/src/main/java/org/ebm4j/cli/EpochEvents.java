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
