package org.ebm4j.tensor.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.testing.SystemProperties;
import org.junit.jupiter.api.Test;

class SwitchesTest {
    private static final String KEY = "ebm.test.switch";

    private static boolean read(String value, boolean defaultValue) {
        return SystemProperties.restored(KEY, () -> {
            SystemProperties.set(KEY, value);
            return Switches.flag(KEY, defaultValue);
        });
    }

    @Test
    void unsetOrBlankLeavesTheDefault() {
        assertTrue(read(null, true));
        assertFalse(read(null, false));
        assertTrue(read("", true));
        assertFalse(read("  ", false));
    }

    @Test
    void trueAndFalseInAnyCaseSetIt() {
        assertFalse(read("false", true));
        assertFalse(read(" FALSE ", true));
        assertTrue(read("true", false));
        assertTrue(read("True", false));
    }

    @Test
    void anythingElseIsRefusedByName() {
        for (String bad : new String[] {"yes", "0", "1", "off", "flase"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(bad, true), bad);
            assertEquals("-D" + KEY + " must be true or false (unset: true), found '" + bad + "'", e.getMessage());
        }
    }
}
