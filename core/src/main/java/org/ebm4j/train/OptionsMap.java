package org.ebm4j.train;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads an options record back from its {@code toMap()} form (the {@code option.*} entries of a
 * model's provenance, or a user's properties): typed values by key, the record's default for an
 * absent key, and errors that name the key, the expected form and the value found.
 * {@link #finish} refuses keys that no option has, so a misspelt key is not silently ignored.
 * Values are locale-independent: {@link Double#toString}, {@link Long#toString}, {@code true}/{@code false}.
 */
public final class OptionsMap {
    private final String what;
    private final Map<String, String> entries;
    private final Set<String> read = new TreeSet<>();

    /**
     * @param what    the options' name for messages, for example {@code "Boltzmann machine options"}
     * @param entries the map to read (copied)
     */
    public OptionsMap(String what, Map<String, String> entries) {
        this.what = Objects.requireNonNull(what, "what");
        this.entries = new LinkedHashMap<>(Objects.requireNonNull(entries, "entries"));
    }

    /** The value of {@code key} parsed by {@code parser} (whose exception messages say what was expected), or {@code otherwise}. */
    public <T> T get(String key, T otherwise, Function<String, T> parser) {
        read.add(key);
        String v = entries.get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            return parser.apply(v.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + key + "=" + v + " is malformed: " + e.getMessage(), e);
        }
    }

    public String string(String key, String otherwise) {
        return get(key, otherwise, s -> s);
    }

    public int integer(String key, int otherwise) {
        return get(key, otherwise, s -> parse(s, "an integer", Integer::parseInt));
    }

    public long longInteger(String key, long otherwise) {
        return get(key, otherwise, s -> parse(s, "an integer", Long::parseLong));
    }

    public double real(String key, double otherwise) {
        return get(key, otherwise, s -> parse(s, "a number", Double::parseDouble));
    }

    /** {@code true} or {@code false} (any case); nothing else. */
    public boolean bool(String key, boolean otherwise) {
        return get(key, otherwise, s -> {
            if (s.equalsIgnoreCase("true")) {
                return true;
            }
            if (s.equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException("expected true or false");
        });
    }

    /** Refuses the keys no getter asked for, listing the known ones. */
    public void finish() {
        Collection<String> unknown = new TreeSet<>(entries.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(what + " have no option named " + unknown + "; known options are " + read);
        }
    }

    private static <T> T parse(String s, String expected, Function<String, T> parser) {
        try {
            return parser.apply(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected " + expected);
        }
    }
}
