package org.ebm4j.testing;

import java.util.function.Supplier;

/**
 * Runs test code that sets a system property and puts the property back as it was afterwards (cleared
 * where it was unset), so a test that fails half-way does not leak the setting into the tests after it.
 */
public final class SystemProperties {
    private SystemProperties() {
    }

    /** Runs {@code action}, which may set or clear property {@code key}, and restores the property. */
    public static void restoring(String key, Runnable action) {
        restored(key, () -> {
            action.run();
            return null;
        });
    }

    /**
     * Runs {@code body}, which may set or clear property {@code key}, restores the property and returns
     * what {@code body} returned.
     */
    public static <T> T restored(String key, Supplier<T> body) {
        String saved = System.getProperty(key);
        try {
            return body.get();
        } finally {
            set(key, saved);
        }
    }

    /** Sets property {@code key} to {@code value}, or clears it where {@code value} is null. */
    public static void set(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
