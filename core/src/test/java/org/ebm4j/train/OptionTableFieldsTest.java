package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Declaring a table's fields ({@link OptionTable.Fields}) at test time: the options records build theirs
 * in static initializers, which run once per JVM, so these tests build tables of their own records.
 */
class OptionTableFieldsTest {

    /** A record with the shared safety settings after one option of its own. */
    record Guarded(int size, Optimizer optimizer, int patience, int maxRollbacks) {
    }

    /** A record of one option. */
    record Single(int size) {
    }

    /**
     * A file written before the safety settings existed lacks their keys and reads back with momentum
     * SGD, no early stopping and 3 rollbacks; the model wording names an unknown key.
     */
    @Test
    void theSafetySettingsTakeTheirDefaultsInOlderFiles() {
        OptionTable<Guarded, Object> table = OptionTable.<Guarded, Object>ofModel(Guarded.class, "GUARD")
                .add("size", 2).trainingSafety().build(Object::new);
        assertEquals(new Guarded(5, Optimizer.SGD, 0, 3), table.fromMap(Map.of("size", "5")));
        assertEquals(new Guarded(5, Optimizer.ADAM, 2, 1), table.fromMap(Map.of("size", "5", "optimizer", "adam",
                "patience", "2", "max_rollbacks", "1")));
        IllegalArgumentException lacking = assertThrows(IllegalArgumentException.class,
                () -> table.fromMap(Map.of("patience", "2")));
        assertEquals("GUARD options lack 'size'", lacking.getMessage(), "only the safety keys may be absent");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> table.fromMap(Map.of("size", "5", "speed", "1")));
        assertEquals("unknown GUARD option(s) [speed]; known: [size, optimizer, patience, max_rollbacks]",
                unknown.getMessage());
    }

    @Test
    void misdeclaredFieldsAreRefusedWhereTheyAreDeclared() {
        IllegalStateException noDefault = assertThrows(IllegalStateException.class,
                () -> OptionTable.<Single, Object>of(Single.class, "single").add("size", null).absentInOlderFiles());
        assertEquals("option 'size' has no default for files that lack it", noDefault.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> OptionTable.<Single, Object>of(Single.class, "single").add("size", 1).add("size", OptionCodec.INT, 2));
        assertEquals("option 'size' is in the table twice", twice.getMessage());
        IllegalStateException past = assertThrows(IllegalStateException.class,
                () -> OptionTable.<Single, Object>of(Single.class, "single").add("size", 1).add("more", 2));
        assertEquals("option 'more' of Single needs a codec: the record has no component left for it",
                past.getMessage());
        OptionTable<Single, Object> single = OptionTable.<Single, Object>of(Single.class, "single").add("size", 1)
                .build(Object::new);
        assertEquals(new Single(4), single.fromMap(Map.of("size", "4")));
    }
}
