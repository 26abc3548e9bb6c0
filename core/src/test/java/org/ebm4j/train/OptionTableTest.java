package org.ebm4j.train;

import static org.ebm4j.train.OptionCodec.INT;
import static org.ebm4j.train.OptionCodec.REAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table-driven builders: defaults, typed setters, completion on a copy, the map form, the misuse checks. */
class OptionTableTest {

    enum Shape {
        ROUND, SQUARE, TRIANGLE
    }

    record Toy(int size, double scale, Shape shape) implements OptionsRecord<Toy, Toy.Builder> {
        Toy {
            SettingChecks.atLeast("size", size, 1);
        }

        static final OptionTable<Toy, Builder> FIELDS = OptionTable.<Toy, Builder>of(Toy.class, "toy options")
                .add("size", 3)
                .add("scale", null)
                .add("shape", EnumIds.codec(Shape.class, "shape"), Shape.ROUND)
                .build(Builder::new);

        static final class Builder extends OptionsBuilder<Toy, Builder> {
            Builder() {
                super(FIELDS);
            }

            Builder size(int v) {
                return set("size", v);
            }

            Builder shape(Shape v) {
                return set("shape", v);
            }

            Builder misuse(String key, Object v) {
                return set(key, v);
            }

            /** The scale defaults to the size, as a derived default does. */
            @Override
            protected void complete() {
                if (get("scale") == null) {
                    set("scale", (double) (Integer) get("size"));
                }
            }
        }
    }

    @Test
    void buildsFromDefaultsAndSettersAndCompletesOnACopy() {
        Toy.Builder b = new Toy.Builder();
        assertEquals(new Toy(3, 3.0, Shape.ROUND), b.build());
        assertEquals(new Toy(5, 5.0, Shape.SQUARE), b.size(5).shape(Shape.SQUARE).build());
        // The completion ran on a copy: the builder still derives the scale from the size it holds now.
        assertEquals(new Toy(7, 7.0, Shape.SQUARE), b.size(7).build());
    }

    @Test
    void mapFormRoundTripsAndBuilderCopiesEveryValue() {
        Toy t = new Toy(4, 0.25, Shape.TRIANGLE);
        assertEquals(Map.of("size", "4", "scale", "0.25", "shape", "triangle"), t.toMap());
        assertEquals(t, Toy.FIELDS.fromMap(t.toMap()));
        assertEquals(t, t.toBuilder().build());
        assertNotSame(t.toBuilder(), t.toBuilder());
    }

    @Test
    void recordChecksRunThroughTheBuilderAndTheMapForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Toy.Builder().size(0).build());
        assertEquals("size must be >= 1, found 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Toy.FIELDS.fromMap(Map.of("size", "2", "scale", "1.0", "shape", "oval")));
        assertEquals("shape must be round, square or triangle, found 'oval'", e.getMessage());
    }

    @Test
    void aSetterWithAnUnknownKeyOrTheWrongTypeIsAProgrammingError() {
        Toy.Builder b = new Toy.Builder();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.misuse("colour", 1));
        assertTrue(e.getMessage().contains("no option 'colour'"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> b.misuse("size", 2.0));
        assertEquals("option 'size' takes values of type int, given a Double", e.getMessage());
    }

    @Test
    void aTableMustListEveryComponentWithDefaultsOfItsType() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OptionTable.<Toy, Toy.Builder>of(Toy.class, "toy options").add("size", 3)
                        .build(Toy.Builder::new));
        assertEquals("Toy has 3 components but its option table lists 1", e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> OptionTable.<Toy, Toy.Builder>of(Toy.class, "toy options").add("size", 3).add("scale", 1.0)
                        .add("shape", Shape.ROUND));
        assertEquals("option 'shape' of Toy needs a codec: its type is Shape", e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> OptionTable.<Toy, Toy.Builder>of(Toy.class, "toy options").add("size", REAL, 3.0)
                        .add("scale", REAL, 1.0).add("shape", EnumIds.codec(Shape.class, "shape"), Shape.ROUND)
                        .build(Toy.Builder::new));
        assertEquals("the default of option 'size' is a Double but component size is a int", e.getMessage());
    }

    @Test
    void enumIdsAreLowerCaseAndParseInAnyCase() {
        assertEquals("square", EnumIds.id(Shape.SQUARE));
        assertEquals(Shape.TRIANGLE, EnumIds.parse(Shape.class, "shape", " Triangle "));
        assertEquals("shape must be round, square or triangle, found 'null'",
                assertThrows(IllegalArgumentException.class, () -> EnumIds.parse(Shape.class, "shape", null))
                        .getMessage());
    }
}
