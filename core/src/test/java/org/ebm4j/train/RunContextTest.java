package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.Provenance;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/** What a run of several phases carries: its provenance and the listeners of one kind it tells. */
class RunContextTest {

    /** A phase listener: a listener of its own type, as a family's phase listener is. */
    private static final class Phases implements TrainingListener {
        final List<String> heard = new ArrayList<>();
    }

    @Test
    void theProvenanceNamesTheDataTheBackendTheOptionsAndTheDraws() {
        try (Backend backend = new ReferenceBackend()) {
            Map<String, Long> draws = new LinkedHashMap<>();
            draws.put("rbm_sampling", 12L);
            RunContext run = RunContext.of(backend, Dataset.of("bits", 2, 3, new float[6]), "abc123",
                    Checkpointing.none(), List.of(), draws);
            draws.put("later", 1L);
            assertEquals(Map.of("rbm_sampling", 12L), run.draws(), "the run's positions are its own copy");
            Provenance p = run.provenance("rbm", Map.of("hidden", "4"), 99L);
            assertEquals("rbm", p.get("model"));
            assertEquals("4", p.options().get("hidden"));
            assertEquals("bits", p.get("data.source"));
            assertEquals("2", p.get("data.rows"));
            assertEquals("3", p.get("data.cols"));
            assertEquals("abc123", p.get("data.sha256"));
            assertEquals("99", p.get("seed"));
            assertEquals(backend.name(), p.get("backend"));
            assertEquals(Map.of("rbm_sampling", 12L), p.draws());
        }
    }

    @Test
    void onlyTheListenersOfTheTypeAreTold() {
        Phases a = new Phases();
        Phases b = new Phases();
        EventLog other = new EventLog();
        try (Backend backend = new ReferenceBackend()) {
            RunContext run = RunContext.of(backend, Dataset.of("d", 1, 1, new float[1]), "s", Checkpointing.none(),
                    List.of(a, other, b), Map.of());
            run.tell(Phases.class, l -> l.heard.add("phase 2"));
        }
        assertEquals(List.of("phase 2"), a.heard);
        assertEquals(List.of("phase 2"), b.heard);
        assertEquals(List.of(), other.events());
    }
}
