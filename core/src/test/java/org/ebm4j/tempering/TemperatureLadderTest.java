package org.ebm4j.tempering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ebm4j.train.OptionsMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link TemperatureLadder}'s values, its bounds at their edges, its text form and its equality. */
class TemperatureLadderTest {

    private static void refused(String expectedMessage, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertEquals(expectedMessage, x.getMessage());
    }

    /** {@code minBeta^(r / (M - 1))} with a minimum whose powers are exact in binary. */
    @Test
    void geometricLaddersSpreadThePowersOfTheMinimum() {
        assertArrayEquals(new double[] {1, 0.5, 0.25, 0.125}, TemperatureLadder.geometric(0.125).betas(4));
        assertArrayEquals(new double[] {1, 0.0625}, TemperatureLadder.geometric(0.0625).betas(2));
        assertArrayEquals(new double[] {1, 0.25, 0.0625, 0.015625, 0.00390625},
                TemperatureLadder.geometric(0.00390625).betas(5));
        assertFalse(TemperatureLadder.geometric(0.5).isExplicit());
    }

    @Test
    void theGeometricMinimumLiesStrictlyBetweenZeroAndOne() {
        double justAboveZero = Double.MIN_VALUE;
        double justBelowOne = Math.nextDown(1.0);
        assertEquals(justAboveZero, TemperatureLadder.geometric(justAboveZero).betas(2)[1]);
        assertEquals(justBelowOne, TemperatureLadder.geometric(justBelowOne).betas(2)[1]);
        refused("the lowest inverse temperature of a geometric ladder must lie in (0, 1), found 0.0",
                () -> TemperatureLadder.geometric(0));
        refused("the lowest inverse temperature of a geometric ladder must lie in (0, 1), found 1.0",
                () -> TemperatureLadder.geometric(1));
        refused("the lowest inverse temperature of a geometric ladder must lie in (0, 1), found -0.5",
                () -> TemperatureLadder.geometric(-0.5));
        refused("the lowest inverse temperature of a geometric ladder must lie in (0, 1), found NaN",
                () -> TemperatureLadder.geometric(Double.NaN));
        refused("parallel tempering needs at least 2 replicas, found 1",
                () -> TemperatureLadder.geometric(0.5).betas(1));
    }

    @Test
    void explicitLaddersAreKeptAsGivenAndCopied() {
        double[] given = {1, 0.5, 0.2};
        TemperatureLadder ladder = TemperatureLadder.of(given);
        given[1] = 0.9;
        assertTrue(ladder.isExplicit());
        double[] out = ladder.betas(3);
        assertArrayEquals(new double[] {1, 0.5, 0.2}, out);
        out[2] = 0.1;
        assertArrayEquals(new double[] {1, 0.5, 0.2}, ladder.betas(3));
        refused("the inverse temperatures 1.0,0.5,0.2 are 3 replicas but 4 are asked for", () -> ladder.betas(4));
        refused("the inverse temperatures 1.0,0.5,0.2 are 3 replicas but 2 are asked for", () -> ladder.betas(2));
    }

    /** The edges of each rule: two values are enough, one is not; equal neighbours or a zero are refused. */
    @Test
    void explicitLaddersRefuseEachBrokenRuleAtItsEdge() {
        assertArrayEquals(new double[] {1, Double.MIN_VALUE}, TemperatureLadder.of(1, Double.MIN_VALUE).betas(2));
        assertArrayEquals(new double[] {1, Math.nextDown(1.0)}, TemperatureLadder.of(1, Math.nextDown(1.0)).betas(2));
        refused("parallel tempering needs at least 2 inverse temperatures, found 1", () -> TemperatureLadder.of(1));
        refused("parallel tempering needs at least 2 inverse temperatures, found 0", () -> TemperatureLadder.of());
        refused("the first inverse temperature must be 1 (the model itself), found 0.9",
                () -> TemperatureLadder.of(0.9, 0.5));
        refused("the first inverse temperature must be 1 (the model itself), found 1.0000000000000002",
                () -> TemperatureLadder.of(Math.nextUp(1.0), 0.5));
        refused("inverse temperatures must decrease strictly and stay > 0, found 0.5 after 0.5",
                () -> TemperatureLadder.of(1, 0.5, 0.5));
        refused("inverse temperatures must decrease strictly and stay > 0, found 0.0 after 0.5",
                () -> TemperatureLadder.of(1, 0.5, 0));
        refused("inverse temperatures must decrease strictly and stay > 0, found -0.1 after 0.5",
                () -> TemperatureLadder.of(1, 0.5, -0.1));
        refused("inverse temperatures must decrease strictly and stay > 0, found NaN after 1.0",
                () -> TemperatureLadder.of(1, Double.NaN));
    }

    @Test
    void textFormsRoundTrip() {
        assertEquals("geometric:0.25", TemperatureLadder.geometric(0.25).toString());
        assertEquals("1.0,0.5,0.2", TemperatureLadder.of(1, 0.5, 0.2).toString());
        assertEquals(TemperatureLadder.geometric(0.25), TemperatureLadder.parse("  GEOMETRIC:0.25 "));
        assertEquals(TemperatureLadder.of(1, 0.5, 0.2), TemperatureLadder.parse(" 1 , 0.5,0.2"));
        refused("inverse temperatures must be geometric:<min> or a list like 1,0.8,0.5, found 'geometric:x'",
                () -> TemperatureLadder.parse("geometric:x"));
        refused("inverse temperatures must be geometric:<min> or a list like 1,0.8,0.5, found '1,,0.5'",
                () -> TemperatureLadder.parse("1,,0.5"));
        TemperatureLadder ladder = TemperatureLadder.of(1, 0.3);
        OptionsMap map = OptionsMap.of(Map.of("ladder", TemperatureLadder.CODEC.format(ladder)), "test options");
        assertEquals(ladder, TemperatureLadder.CODEC.read(map, "ladder"));
    }

    /** Equal ladders hash alike; ladders that differ in kind or in any value are not equal. */
    @Test
    void equalityFollowsTheValues() {
        TemperatureLadder g = TemperatureLadder.geometric(0.25);
        TemperatureLadder e = TemperatureLadder.of(1, 0.5, 0.25);
        assertEquals(g, TemperatureLadder.geometric(0.25));
        assertEquals(g.hashCode(), TemperatureLadder.geometric(0.25).hashCode());
        assertEquals(e, TemperatureLadder.of(1, 0.5, 0.25));
        assertEquals(e.hashCode(), TemperatureLadder.of(1, 0.5, 0.25).hashCode());
        assertEquals(g, g);
        // Same values, different kinds: a geometric ladder has no list, an explicit one no minimum.
        assertNotEquals(g, e);
        assertNotEquals(e, g);
        assertNotEquals(g, TemperatureLadder.geometric(0.5));
        assertNotEquals(e, TemperatureLadder.of(1, 0.5, 0.2));
        assertNotEquals(e, TemperatureLadder.of(1, 0.5));
        assertFalse(g.equals(null));
        assertFalse(g.equals("geometric:0.25"));
        // Not required by the contract, but a hash that ignored either field would collide here.
        assertNotEquals(g.hashCode(), TemperatureLadder.geometric(0.5).hashCode());
        assertNotEquals(e.hashCode(), TemperatureLadder.of(1, 0.5, 0.2).hashCode());
        assertNotEquals(g.hashCode(), e.hashCode());
    }
}
