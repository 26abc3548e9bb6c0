package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingListenerTest {

    @Test
    void forReportsHandsOverEachReportAndNothingElse() {
        List<EpochReport> seen = new ArrayList<>();
        TrainingListener l = TrainingListener.forReports(seen::add);
        EpochReport first = new EpochReport(1, 2, 0.1, 2, 50, Map.of("recon", 1.5));
        EpochReport second = new EpochReport(2, 2, 0.1, 2, 50, Map.of("recon", 1.25));
        l.onStart(1, 2, 3);
        l.onBatch(1, 1, 3);
        l.onEpochEnd(1, 0.1, 2);
        l.onReport(first);
        l.onPastReport(1, Map.of("recon", 9.0));
        l.onReport(second);
        l.onEnd();
        assertEquals(2, seen.size());
        assertSame(first, seen.get(0));
        assertSame(second, seen.get(1));
    }

    @Test
    void forReportsRefusesNoAction() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> TrainingListener.forReports(null));
        assertEquals("action", e.getMessage());
    }
}
