package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The declared ranges of options: which values each accepts, how it refuses, and the table's one check. */
class RangeTest {

    /** A record whose table declares a whole-number, a decimal and a list range; the constructor checks them. */
    record Shop(int shelves, double discount, List<Integer> boxes, String name)
            implements OptionsRecord<Shop, Shop.Builder> {
        Shop {
            FIELDS.check(shelves, discount, boxes, name);
        }

        static final OptionTable<Shop, Builder> FIELDS = OptionTable.<Shop, Builder>of(Shop.class, "shop options")
                .add("shelves", 2, Range.atLeast(1).boundedByMemory())
                .add("discount", 0.0, Range.closedOpen(0, 1))
                .add("boxes", OptionCodec.list(Integer::valueOf), List.of(1), Range.between(1, 9))
                .add("name", "x")
                .build(Builder::new);

        static final class Builder extends OptionsBuilder<Shop, Builder> {
            Builder() {
                super(FIELDS);
            }
        }
    }

    private static String refusal(Runnable make) {
        SettingException e = assertThrows(SettingException.class, make::run);
        return e.getMessage();
    }

    @Test
    void eachRangeAcceptsItsValuesAndNoOthers() {
        Range whole = Range.atLeast(1);
        assertTrue(whole.contains(1) && whole.contains(Integer.MAX_VALUE));
        assertFalse(whole.contains(0) || whole.contains(1.5) || whole.contains(Double.NaN)
                || whole.contains(Double.POSITIVE_INFINITY));
        Range between = Range.between(2, 5);
        assertTrue(between.contains(2) && between.contains(5));
        assertFalse(between.contains(1) || between.contains(6));
        assertTrue(Range.positiveFinite().contains(Double.MIN_VALUE));
        assertFalse(Range.positiveFinite().contains(0) || Range.positiveFinite().contains(Double.POSITIVE_INFINITY));
        assertTrue(Range.nonNegativeFinite().contains(0) && Range.nonNegativeFinite().contains(-0.0));
        assertTrue(Range.positive().contains(Double.POSITIVE_INFINITY));
        assertFalse(Range.finite().contains(Double.NEGATIVE_INFINITY) || Range.finite().contains(Double.NaN));
        assertTrue(Range.openClosed(0.5, 1).contains(1) && !Range.openClosed(0.5, 1).contains(0.5));
        assertTrue(Range.closed(0, 1).contains(0) && Range.closed(0, 1).contains(1));
        assertTrue(Range.open(0, 1).orNaN().contains(Double.NaN) && !Range.open(0, 1).orNaN().contains(1));
        assertThrows(IllegalArgumentException.class, () -> Range.between(3, 2));
        assertThrows(IllegalArgumentException.class, () -> Range.open(1, 1));
        // One point is a range only with both ends included.
        assertTrue(Range.between(3, 3).contains(3));
        assertThrows(IllegalArgumentException.class, () -> new Range(3, true, 3, false, false, false, false));
        assertThrows(IllegalArgumentException.class, () -> new Range(3, false, 3, true, false, false, false));
        Range closedOpen = Range.closedOpen(0, 1);
        assertTrue(closedOpen.contains(0) && !closedOpen.contains(1));
        Range bounded = Range.atLeast(1).boundedByMemory();
        assertEquals(new Range(1, false, Double.POSITIVE_INFINITY, true, true, false, true), bounded);
        assertEquals(7, Range.atLeast(1).check("k", 7), "an accepted whole number is returned");
        assertEquals(2.5, SettingChecks.nonNegativeFinite("k", 2.5), "an accepted value is returned");
    }

    @Test
    void refusalsSayWhatWasExpectedAndWhatWasFound() {
        assertEquals("must be >= 1, found 0", Range.atLeast(1).refusal(0));
        assertEquals("must lie in [2, 5], found 7", Range.between(2, 5).refusal(7));
        assertEquals("must be finite and > 0, found NaN", Range.positiveFinite().refusal(Double.NaN));
        assertEquals("must be finite and >= 0, found -1.0", Range.nonNegativeFinite().refusal(-1));
        assertEquals("must be > 0, found 0.0", Range.positive().refusal(0));
        assertEquals("must be finite, found Infinity", Range.finite().refusal(Double.POSITIVE_INFINITY));
        assertEquals("must lie in (0.5, 1], found 0.5", Range.openClosed(0.5, 1).refusal(0.5));
        assertEquals("must lie in (0, 1) (or NaN for none), found 1.0", Range.open(0, 1).orNaN().refusal(1));
        assertEquals("[1, inf)", Range.atLeast(1).toString());
        // Whole ends below 10^15 print as integers; from 10^15 on, as doubles.
        assertTrue(Range.atLeast(999_999_999_999_999L).refusal(0).contains(">= 999999999999999,"));
        assertTrue(Range.atLeast(1_000_000_000_000_000L).refusal(0).contains(">= 1.0E15,"));
    }

    @Test
    void theTableChecksEveryDeclaredRangeAndEveryValueGivenNamingTheKey() {
        Shop ok = new Shop(1, 0.5, List.of(1, 9), "a");
        assertEquals(ok, Shop.FIELDS.fromMap(ok.toMap()));
        assertEquals("shelves: must be >= 1, found 0", refusal(() -> new Shop(0, 0, List.of(1), "a")));
        assertEquals("discount: must lie in [0, 1), found 1.0", refusal(() -> new Shop(1, 1, List.of(1), "a")));
        assertEquals("boxes: entry 2 of [1, 10] must lie in [1, 9], found 10",
                refusal(() -> new Shop(1, 0, List.of(1, 10), "a")));
        assertEquals("name: must be given, found none", refusal(() -> new Shop(1, 0, List.of(1), null)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shop.FIELDS.fromMap(Map.of(
                "shelves", "-3", "discount", "0.0", "boxes", "1", "name", "a")));
        assertEquals("shop options: 'shelves' must be >= 1, found -3", e.getMessage(),
                "the map form is checked by the same table, its refusal the file's fault, not a setting given");
        assertFalse(e instanceof SettingException);
        assertThrows(IllegalStateException.class, () -> Shop.FIELDS.check(1, 0.0));
    }

    @Test
    void frontEndsReadTheDeclaredRangesByKey() {
        Map<String, Range> ranges = OptionTable.forRecord(Shop.class).ranges();
        assertEquals(List.of("shelves", "discount", "boxes"), List.copyOf(ranges.keySet()));
        assertTrue(ranges.get("shelves").memoryBound() && ranges.get("shelves").whole());
        assertFalse(ranges.get("discount").whole());
        assertTrue(OptionTable.forRecord(org.ebm4j.hmc.HmcOptions.class).ranges().containsKey("chains"),
                "a record's table is made when the front end asks for it");
    }

    /**
     * The initial weights' spread has one bound, [0, 10], in every family that takes one: each record refuses
     * the first value above it naming its key and accepts the end itself, so a library caller meets the
     * same limit as the command line's {@code --init-std}.
     */
    @Test
    void everyFamilyBoundsTheInitialWeightsSpreadAlike() {
        double above = Math.nextUp(10.0);
        List<Map.Entry<String, java.util.function.DoubleFunction<Object>>> all = List.of(
                Map.entry("init_std", v -> org.ebm4j.rbm.RbmOptions.builder().initWeightStd(v).build()),
                Map.entry("init_std", v -> org.ebm4j.dbn.DbnOptions.builder().initWeightStd(v).build()),
                Map.entry("init_std", v -> org.ebm4j.dbm.DbmOptions.builder().initWeightStd(v).build()),
                Map.entry("init_stddev", v -> org.ebm4j.boltzmann.BoltzmannOptions.builder().initStddev(v).build()));
        for (Map.Entry<String, java.util.function.DoubleFunction<Object>> e : all) {
            e.getValue().apply(10.0);
            SettingException refused = assertThrows(SettingException.class, () -> e.getValue().apply(above));
            assertEquals(e.getKey(), refused.setting());
            assertEquals("must lie in [0, 10], found " + above, refused.detail());
        }
        for (Class<? extends Record> record : List.of(org.ebm4j.rbm.RbmOptions.class, org.ebm4j.dbn.DbnOptions.class,
                org.ebm4j.dbm.DbmOptions.class)) {
            assertEquals(Range.closed(0, 10), OptionTable.forRecord(record).ranges().get("init_std"), record.getName());
        }
    }
}
