package org.ebm4j.train;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads an options record back from its {@code toMap()} form (provenance {@code option.*} entries,
 * a checkpoint being resumed): every value is parsed with a message naming the options, the key
 * and the value found, and {@link #finish()} refuses keys nobody asked for, so a misspelt or foreign
 * key is an error rather than a silently ignored setting. Values are locale-independent
 * ({@link Integer#toString}, {@link Double#toString}, {@code true}/{@code false}).
 */
public final class OptionsMap {
    private final Map<String, String> map;
    private final Wording wording;
    private final Set<String> read = new TreeSet<>();

    private OptionsMap(Map<String, String> map, Wording wording) {
        this.map = new LinkedHashMap<>(Objects.requireNonNull(map, "map"));
        this.wording = wording;
    }

    /** A reader of {@code map}; {@code what} names the options in errors (for example {@code "HMC options"}). */
    public static OptionsMap of(Map<String, String> map, String what) {
        return new OptionsMap(map, new Plain(what));
    }

    /**
     * A reader of {@code map} with the wording the RBM and DBN options have always had in their errors
     * ({@code "unknown RBM option(s) [x]; known: [...]"}, {@code "RBM options lack 'k'"},
     * {@code "RBM option 'k' has a malformed value 'two': ..."}); keys outside {@code known} are refused
     * at once, before any value is read.
     *
     * @param model the model's name in errors, for example {@code "RBM"}
     */
    public static OptionsMap ofModel(Map<String, String> map, String model, Collection<String> known) {
        OptionsMap m = new OptionsMap(map, new OfModel(model));
        Set<String> unknown = new TreeSet<>(m.map.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(m.wording.unknown(unknown, known));
        }
        return m;
    }

    /** Whether the map holds {@code key} at all. */
    public boolean has(String key) {
        return map.containsKey(key);
    }

    /** The value of {@code key}, which must be present. */
    public String string(String key) {
        String v = map.get(key);
        if (v == null) {
            throw new IllegalArgumentException(wording.lack(key, map.keySet()));
        }
        read.add(key);
        return v;
    }

    public int integer(String key) {
        return parse(key, Integer::parseInt, "an integer");
    }

    public long longInteger(String key) {
        return parse(key, Long::parseLong, "an integer");
    }

    public double real(String key) {
        return parse(key, Double::parseDouble, "a number");
    }

    public boolean bool(String key) {
        String v = string(key);
        switch (v.trim()) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException(wording.malformed(key, v, "true or false", null));
        }
    }

    /**
     * The value of {@code key} as {@code parser} reads it (an enum's or a schedule's own parser, whose
     * error says what it expects).
     */
    public <T> T value(String key, Function<String, T> parser) {
        return wording.parse(key, string(key), parser);
    }

    /** Refuses keys that were not read. */
    public void finish() {
        Set<String> unknown = new TreeSet<>(map.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(wording.unknown(unknown, read));
        }
    }

    private <T> T parse(String key, Function<String, T> parser, String expected) {
        String v = string(key);
        try {
            return parser.apply(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(wording.malformed(key, v, expected, e));
        }
    }

    /** The messages of one family of options records. */
    private interface Wording {
        String lack(String key, Set<String> found);

        /** {@code cause} is the parser's exception, or null where the value was checked by hand. */
        String malformed(String key, String value, String expected, RuntimeException cause);

        String unknown(Set<String> unknown, Collection<String> known);

        <T> T parse(String key, String value, Function<String, T> parser);
    }

    /** {@code "HMC options lack 'k'"}, {@code "HMC options: 'k' must be an integer, found 'x'"}. */
    private record Plain(String what) implements Wording {
        @Override
        public String lack(String key, Set<String> found) {
            return what + " lack '" + key + "' (found keys " + new TreeSet<>(found) + ")";
        }

        @Override
        public String malformed(String key, String value, String expected, RuntimeException cause) {
            return what + ": '" + key + "' must be " + expected + ", found '" + value + "'";
        }

        @Override
        public String unknown(Set<String> unknown, Collection<String> known) {
            return what + " have unknown keys " + unknown + " (known: " + known + ")";
        }

        /** The parser's own error stands as it is. */
        @Override
        public <T> T parse(String key, String value, Function<String, T> parser) {
            return parser.apply(value);
        }
    }

    /** {@code "RBM options lack 'k'"}, {@code "RBM option 'k' has a malformed value 'x': why"}. */
    private record OfModel(String model) implements Wording {
        @Override
        public String lack(String key, Set<String> found) {
            return model + " options lack '" + key + "'";
        }

        @Override
        public String malformed(String key, String value, String expected, RuntimeException cause) {
            return model + " option '" + key + "' has a malformed value '" + value + "': "
                    + (cause == null ? "expected " + expected : cause.getMessage());
        }

        @Override
        public String unknown(Set<String> unknown, Collection<String> known) {
            return "unknown " + model + " option(s) " + unknown + "; known: " + known;
        }

        /** The value is trimmed, and the parser's error is quoted after the key and the value. */
        @Override
        public <T> T parse(String key, String value, Function<String, T> parser) {
            try {
                return parser.apply(value.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(malformed(key, value, null, e));
            }
        }
    }
}
