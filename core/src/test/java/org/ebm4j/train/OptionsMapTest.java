package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link OptionsMap} reads an options record's map form back, and what its two wordings say. */
class OptionsMapTest {

    private static String refusal(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void plainWordingNamesTheOptionsTheKeyAndTheValue() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("steps", "x");
        m.put("flag", "yes");
        m.put("extra", "1");
        OptionsMap map = OptionsMap.of(m, "HMC options");
        assertEquals("HMC options lack 'seed' (found keys [extra, flag, steps])", refusal(() -> map.string("seed")));
        assertEquals("HMC options: 'steps' must be an integer, found 'x'", refusal(() -> map.integer("steps")));
        assertEquals("HMC options: 'flag' must be true or false, found 'yes'", refusal(() -> map.bool("flag")));
        assertEquals("HMC options have unknown keys [extra] (known: [flag, steps])", refusal(map::finish));
    }

    @Test
    void modelWordingRefusesUnknownKeysAtOnceAndQuotesTheParser() {
        assertEquals("unknown RBM option(s) [x]; known: [k]",
                refusal(() -> OptionsMap.ofModel(Map.of("k", "1", "x", "2"), "RBM", List.of("k"))));
        OptionsMap map = OptionsMap.ofModel(Map.of("k", "two", "b", "maybe", "o", " rmsprop "), "RBM",
                List.of("k", "b", "o", "lr"));
        assertEquals("RBM options lack 'lr'", refusal(() -> map.real("lr")));
        // The parser's own message follows (the JDK's wording, not pinned here), not the expected form.
        String k = refusal(() -> map.integer("k"));
        assertTrue(k.startsWith("RBM option 'k' has a malformed value 'two': ") && k.contains("\"two\"")
                && !k.contains("expected"), k);
        assertEquals("RBM option 'b' has a malformed value 'maybe': expected true or false", refusal(() -> map.bool("b")));
        String parser = refusal(() -> map.value("o", Optimizer::parse));
        assertEquals("RBM option 'o' has a malformed value ' rmsprop ': optimizer must be sgd or adam, found 'rmsprop'",
                parser);
    }

    /** Values are read trimmed and as {@link String#valueOf} writes them; a list is comma-separated. */
    @Test
    void valuesAndListsReadBack() {
        OptionCodec<List<Integer>> ints = OptionCodec.list(Integer::parseInt);
        assertEquals("3,-1,40", ints.format(List.of(3, -1, 40)));
        assertEquals("", ints.format(List.of()));
        OptionsMap map = OptionsMap.of(Map.of("sizes", "3, -1,40", "n", " 7 ", "big", "-9000000000", "r", "0.25",
                "b", " false"), "test options");
        assertEquals(List.of(3, -1, 40), ints.read(map, "sizes"));
        assertEquals(7, OptionCodec.INT.read(map, "n"));
        assertEquals(-9_000_000_000L, OptionCodec.LONG.read(map, "big"));
        assertEquals(0.25, OptionCodec.REAL.read(map, "r"));
        assertEquals(false, OptionCodec.BOOL.read(map, "b"));
        map.finish();
        assertEquals(true, map.has("n"));
        assertEquals(false, map.has("m"));
    }
}
