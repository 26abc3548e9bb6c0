package org.ebm4j.train;

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
    private final String what;
    private final Set<String> read = new TreeSet<>();

    private OptionsMap(Map<String, String> map, String what) {
        this.map = new LinkedHashMap<>(Objects.requireNonNull(map, "map"));
        this.what = what;
    }

    /** A reader of {@code map}; {@code what} names the options in errors (for example {@code "HMC options"}). */
    public static OptionsMap of(Map<String, String> map, String what) {
        return new OptionsMap(map, what);
    }

    /** The value of {@code key}, which must be present. */
    public String string(String key) {
        String v = map.get(key);
        if (v == null) {
            throw new IllegalArgumentException(what + " lack '" + key + "' (found keys " + new TreeSet<>(map.keySet())
                    + ")");
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
        String v = string(key).trim();
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw malformed(key, v, "true or false");
    }

    /** Refuses keys that were not read. */
    public void finish() {
        Set<String> unknown = new TreeSet<>(map.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(what + " have unknown keys " + unknown + " (known: " + read + ")");
        }
    }

    private <T> T parse(String key, Function<String, T> parser, String expected) {
        String v = string(key);
        try {
            return parser.apply(v.trim());
        } catch (NumberFormatException e) {
            throw malformed(key, v, expected);
        }
    }

    private IllegalArgumentException malformed(String key, String value, String expected) {
        return new IllegalArgumentException(what + ": '" + key + "' must be " + expected + ", found '" + value + "'");
    }
}
