package org.ebm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnitRuleTest {

    @Test
    void thresholdRule() {
        UnitRule r = UnitRule.threshold(-1f, 1f);
        assertFalse(r.isStochastic());
        assertEquals(-1f, r.low());
        assertEquals(1f, r.high());
        assertEquals(Float.POSITIVE_INFINITY, r.inverseTemperature());
        assertEquals(1f, r.probabilityHigh(0.1f));
        assertEquals(0f, r.probabilityHigh(-0.1f));
        assertEquals("threshold(-1.0, 1.0)", r.toString());
    }

    @Test
    void stochasticRuleIsTheSigmoidOfTheEnergyGapOverT() {
        UnitRule r = UnitRule.stochastic(-1f, 1f, 2f);
        assertTrue(r.isStochastic());
        assertEquals(0.5f, r.inverseTemperature());
        assertEquals(0.5f, r.probabilityHigh(0f));
        for (float h : new float[] {-30f, -3f, -0.4f, 0.25f, 1f, 5f, 40f}) {
            double want = 1 / (1 + Math.exp(-(1.0 - -1.0) * h / 2.0));
            assertEquals(want, r.probabilityHigh(h), 4 * 0x1p-24 * want + 1e-30, "h = " + h);
            assertEquals(1.0, r.probabilityHigh(h) + r.probabilityHigh(-h), 4 * 0x1p-24, "symmetric in h");
        }
        assertTrue(Float.isNaN(r.probabilityHigh(Float.NaN)), "a NaN field gives a NaN probability (so: low)");
        assertEquals(0f, UnitRule.stochastic(0f, 1f, 1f).probabilityHigh(-1000f));
        assertEquals(1f, UnitRule.stochastic(0f, 1f, 1f).probabilityHigh(1000f));
        assertTrue(r.toString().contains("T=2.0"), r.toString());
    }

    @Test
    void rejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> UnitRule.threshold(1f, -1f));
        assertThrows(IllegalArgumentException.class, () -> UnitRule.threshold(1f, 1f));
        assertThrows(IllegalArgumentException.class, () -> UnitRule.threshold(Float.NaN, 1f));
        assertThrows(IllegalArgumentException.class, () -> UnitRule.threshold(0f, Float.POSITIVE_INFINITY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnitRule.stochastic(0f, 1f, 0f));
        assertTrue(e.getMessage().contains("found 0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UnitRule.stochastic(0f, 1f, -1f));
        assertThrows(IllegalArgumentException.class, () -> UnitRule.stochastic(0f, 1f, Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> UnitRule.stochastic(0f, 1f, Float.POSITIVE_INFINITY));
        // 1 / T overflows to infinity for a subnormal temperature
        assertThrows(IllegalArgumentException.class, () -> UnitRule.stochastic(0f, 1f, Float.MIN_VALUE));
        assertThrows(IllegalArgumentException.class, () -> UnitRule.stochastic(2f, 1f, 1f));
        // An inverse temperature of 0 (infinite temperature: every unit a fair coin) is a stochastic rule.
        assertEquals(0f, new UnitRule(true, 0f, 1f, 0f).inverseTemperature());
        e = assertThrows(IllegalArgumentException.class, () -> new UnitRule(true, 0f, 1f, -Float.MIN_VALUE));
        assertEquals("inverse temperature must be finite and >= 0, found -1.4E-45", e.getMessage());
    }
}
