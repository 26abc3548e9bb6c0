package org.ebm4j.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.function.Executable;

/**
 * Assertions on bad input: the call must throw {@link IllegalArgumentException} and its message
 * must say what was expected and what was found.
 */
public final class Rejections {
    private Rejections() {
    }

    /**
     * Asserts that {@code call} throws an IllegalArgumentException whose message contains every
     * one of {@code fragments}.
     *
     * @return the exception, for further checks
     */
    public static IllegalArgumentException assertRejected(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    /** The message of the IllegalArgumentException that {@code call} must throw. */
    public static String message(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    /**
     * Asserts the key checks every options map reader makes: without {@code key} the map is refused
     * naming the missing key, and with the extra key {@code unknown} it is refused naming that.
     *
     * @param valid a complete map, e.g. the defaults' {@code toMap()}
     * @param fromMap the options' map reader
     * @param what how the messages name the options, e.g. {@code "HMC options"}
     */
    public static void assertKeysChecked(Map<String, String> valid, Function<Map<String, String>, ?> fromMap,
                                         String what, String key, String unknown) {
        Map<String, String> missing = new LinkedHashMap<>(valid);
        missing.remove(key);
        String e = message(() -> fromMap.apply(missing));
        assertTrue(e.startsWith(what + " lack '" + key + "'"), e);
        Map<String, String> extra = new LinkedHashMap<>(valid);
        extra.put(unknown, valid.get(key));
        String u = message(() -> fromMap.apply(extra));
        assertTrue(u.startsWith(what + " have unknown keys [" + unknown + "]"), u);
    }

    /**
     * The rejections of an options builder: {@link #of} applies one change to a fresh builder and
     * returns the message with which building it fails.
     *
     * @param <B> the builder type
     */
    public static final class OfBuilder<B> {
        private final Supplier<B> fresh;
        private final Function<B, ?> build;

        /**
         * @param fresh a builder with the defaults
         * @param build builds (and so validates) the options
         */
        public OfBuilder(Supplier<B> fresh, Function<B, ?> build) {
            this.fresh = fresh;
            this.build = build;
        }

        /** The message of the IllegalArgumentException that building after {@code change} throws. */
        public String of(UnaryOperator<B> change) {
            return message(() -> build.apply(change.apply(fresh.get())));
        }
    }
}
