package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ebm4j.dbm.DbmPhase;
import org.ebm4j.dbm.DbmTrainingListener;
import org.ebm4j.dbn.DbnPhase;
import org.ebm4j.dbn.DbnTrainingListener;

/**
 * Records the phases and reports of a multi-phase run (DBN, DBM) and throws {@link Stop} after a
 * chosen epoch's report in a chosen phase, as a killed process would after that epoch's
 * checkpoint. It hears the phases of both multi-phase families, so their tests share one recorder.
 */
public final class PhaseRecorder implements DbmTrainingListener, DbnTrainingListener {
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

    @Override
    public void onPhase(DbmPhase p, int layer) {
        enterPhase(p.id() + layer);
    }

    @Override
    public void onPhase(DbnPhase p, int layer) {
        enterPhase(p.id() + layer);
    }

    /** Records the phase {@code id} (a phase id and a layer) as the current one. */
    private void enterPhase(String id) {
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

    /**
     * Stops a checkpointing run after epoch {@code epoch} of {@code phase} and resumes it from its checkpoint;
     * checks that it resumed in that phase and that the two parts together trained {@code epochs} epochs,
     * none twice. The caller compares the returned resumed model with an uninterrupted run.
     *
     * @param stopped runs the training with checkpoints, handing its events to the listener given
     * @param resume resumes from the checkpoint, handing its events to the listener given
     */
    public static <M> M stopAndResume(String phase, int epoch, int epochs, Run<?> stopped, Run<M> resume)
            throws IOException {
        PhaseRecorder first = new PhaseRecorder(phase, epoch);
        assertThrows(Stop.class, () -> stopped.run(first));
        PhaseRecorder rec = new PhaseRecorder("", 0);
        M resumed = resume.run(rec);
        assertEquals(phase, rec.phases.get(0), "resumes in the phase it stopped in");
        assertEquals(epochs, first.reports.size() + rec.reports.size(), "no epoch trained twice");
        return resumed;
    }

    /** A training call (fit or resume) that reports to {@code listener}. */
    @FunctionalInterface
    public interface Run<M> {
        M run(PhaseRecorder listener) throws IOException;
    }

    /** What {@link PhaseRecorder} throws to end a run. */
    public static final class Stop extends RuntimeException {
    }
}
