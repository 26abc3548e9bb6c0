package org.ebm4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Records the phases and reports of a multi-phase run (DBN, DBM) and throws {@link Stop} after a
 * chosen epoch's report in a chosen phase, as a killed process would after that epoch's
 * checkpoint. A family's listener calls {@link #enterPhase} from its own phase callback.
 */
public class PhaseRecorder implements TrainingListener {
    /** The phases entered, in order, as {@code <phase id><layer>}. */
    public final List<String> phases = new ArrayList<>();
    /** Every report, in order. */
    public final List<EpochReport> reports = new ArrayList<>();
    private final String stopPhase;
    private final int stopEpoch;
    private String phase;

    /** Stops after epoch {@code stopEpoch} of phase {@code stopPhase}; {@code ("", 0)} never stops. */
    public PhaseRecorder(String stopPhase, int stopEpoch) {
        this.stopPhase = stopPhase;
        this.stopEpoch = stopEpoch;
    }

    /** Records the phase {@code id} (a phase id and a layer) as the current one. */
    protected final void enterPhase(String id) {
        phase = id;
        phases.add(id);
    }

    @Override
    public void onReport(EpochReport r) {
        reports.add(r);
        if (stopPhase.equals(phase) && r.epoch() == stopEpoch) {
            throw new Stop();
        }
    }

    /** What {@link PhaseRecorder} throws to end a run. */
    public static final class Stop extends RuntimeException {
    }
}
