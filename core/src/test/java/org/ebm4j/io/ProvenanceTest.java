package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    @Test
    void drawPositionsAndOptionsReadBackWhatTheBuilderWrote() {
        Map<String, Long> draws = new LinkedHashMap<>();
        draws.put("layer2.sampling", 41L);
        draws.put("layer1.sampling", 7L);
        draws.put("finetune.shuffle", 3L);
        Provenance p = Provenance.builder().model("toy").options(Map.of("seed", "5", "lr", "0.1")).seed(5)
                .draws(draws).build();
        Provenance back = Provenance.fromMetadata(p.toMetadata());
        assertEquals(draws, back.draws());
        assertEquals(List.of("layer2.sampling", "layer1.sampling", "finetune.shuffle"), List.copyOf(back.draws().keySet()),
                "a resumed run meets its streams in the order they were written");
        assertEquals(Map.of("seed", "5", "lr", "0.1"), back.options());
        assertEquals(List.of("lr", "seed"), List.copyOf(back.options().keySet()), "options sorted by name");
    }

    @Test
    void aDrawPositionThatIsNotAWholeNumberIsAnError() {
        Provenance p = Provenance.builder().model("toy").put("draw.sampling", "x").build();
        assertThrows(NumberFormatException.class, p::draws);
    }
}
