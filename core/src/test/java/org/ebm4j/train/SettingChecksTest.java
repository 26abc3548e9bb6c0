package org.ebm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SettingChecksTest {

    private static void rejects(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void acceptedValuesComeBackUnchanged() {
        assertEquals(1, SettingChecks.atLeast("draws", 1, 1));
        assertEquals(1e-300, SettingChecks.positiveFinite("step size", 1e-300));
        assertEquals(0.0, SettingChecks.nonNegativeFinite("t0", 0.0));
        assertEquals(Double.POSITIVE_INFINITY, SettingChecks.positive("threshold", Double.POSITIVE_INFINITY));
        assertEquals(1.0, SettingChecks.inRange("kappa", 1.0, 0.5, true, 1, true));
        assertEquals(0.0, SettingChecks.inRange("momentum", 0.0, 0, false, 1, false));
        assertEquals("x", SettingChecks.notNull("loss", "x"));
    }

    @Test
    void rejectedValuesNameTheSettingTheRangeAndTheValue() {
        rejects("draws must be >= 1, found 0", () -> SettingChecks.atLeast("draws", 0, 1));
        rejects("step size must be finite and > 0, found 0.0", () -> SettingChecks.positiveFinite("step size", 0));
        rejects("step size must be finite and > 0, found Infinity",
                () -> SettingChecks.positiveFinite("step size", Double.POSITIVE_INFINITY));
        rejects("step size must be finite and > 0, found NaN", () -> SettingChecks.positiveFinite("step size", Double.NaN));
        rejects("t0 must be finite and >= 0, found -1.0", () -> SettingChecks.nonNegativeFinite("t0", -1));
        rejects("t0 must be finite and >= 0, found NaN", () -> SettingChecks.nonNegativeFinite("t0", Double.NaN));
        rejects("threshold must be > 0, found NaN", () -> SettingChecks.positive("threshold", Double.NaN));
        rejects("kappa must lie in (0.5, 1], found 0.5", () -> SettingChecks.inRange("kappa", 0.5, 0.5, true, 1, true));
        rejects("momentum must lie in [0, 1), found 1.0", () -> SettingChecks.inRange("momentum", 1, 0, false, 1, false));
        rejects("target acceptance must lie in (0, 1), found NaN",
                () -> SettingChecks.inRange("target acceptance", Double.NaN, 0, true, 1, false));
        rejects("loss must not be null", () -> SettingChecks.notNull("loss", null));
    }
}
