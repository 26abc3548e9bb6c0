package org.ebm4j.cli.conditional;

import java.util.Map;
import org.ebm4j.cli.EpochEvents;
import org.ebm4j.cli.JsonOrText;
import org.ebm4j.train.EpochReport;

/** The {@code epoch} events of trainers that report a mean loss and a training error ({@code conditional}, {@code segment}). */
public final class LossErrorEvents extends EpochEvents {
    /** Events written to {@code output}. */
    public LossErrorEvents(JsonOrText output) {
        super(output);
    }

    @Override
    protected void details(EpochReport r, Map<String, Object> event) {
        event.put("loss", r.metrics().getOrDefault("loss", Double.NaN));
        event.put("train_error", r.metrics().getOrDefault("train_error", Double.NaN));
    }
}
