package org.ebm4j.tensor.spi;

import java.util.Locale;

/**
 * The one reading of a backend's on/off system properties ({@code -Debm.cpu.warmup=false},
 * {@code -Debm.cuda.graphs=false} and the like), so that every switch takes the same values: unset or
 * blank leaves the default, {@code true} and {@code false} (any case, surrounding spaces ignored) set
 * it, and anything else is refused by name rather than read as one or the other.
 */
public final class Switches {
    private Switches() {
    }

    /**
     * The value of {@code -D<property>}, or {@code defaultValue} when it is unset or blank.
     *
     * @throws IllegalArgumentException if it is set to anything but {@code true} or {@code false}
     */
    public static boolean flag(String property, boolean defaultValue) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException("-D" + property + " must be true or false (unset: " + defaultValue
                        + "), found '" + v + "'");
        }
    }
}
