package org.ebm4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import org.ebm4j.data.Dataset;

/**
 * Where a model came from, recorded by the library in every model file it writes (after Tribuo's
 * model provenance): the training options, the data source with its size and checksum, the seed
 * and the final positions of the random streams, the backend, the ebm4j version and the JVM.
 * Everything is a string under {@code provenance.*} keys, so a file stays readable by tools that
 * know nothing of ebm4j. Nothing time-dependent is recorded: the same run writes the same file.
 *
 * @param entries the keys without their {@code provenance.} prefix, in insertion order
 */
public record Provenance(Map<String, String> entries) {
    /** The prefix of every provenance key in a model file. */
    public static final String PREFIX = "provenance.";

    public Provenance {
        entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** A builder that starts with the ebm4j version and the running JVM. */
    public static Builder builder() {
        return new Builder();
    }

    /** The value of {@code key} (without the prefix), or null. */
    public String get(String key) {
        return entries.get(key);
    }

    /** The entries with their {@code provenance.} prefix, for a model file's metadata. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        entries.forEach((k, v) -> m.put(PREFIX + k, v));
        return m;
    }

    /** The provenance stored in a model file's metadata (empty for files written before it existed). */
    public static Provenance fromMetadata(Map<String, String> metadata) {
        return new Provenance(withPrefix(metadata, PREFIX, new LinkedHashMap<>(), v -> v));
    }

    /** The options this model was trained with ({@code option.*} keys, without the prefix), sorted by name. */
    public Map<String, String> options() {
        return withPrefix(entries, "option.", new TreeMap<>(), v -> v);
    }

    /**
     * The positions of the random streams when training ended ({@code draw.*} keys, without the prefix, as
     * {@link Builder#draws} writes them), in the order of the entries, so a resumed run continues its streams.
     *
     * @throws NumberFormatException where a position is not a whole number
     */
    public Map<String, Long> draws() {
        return withPrefix(entries, "draw.", new LinkedHashMap<>(), Long::parseLong);
    }

    /** The entries of {@code from} whose keys start with {@code prefix}, added to {@code into} without it. */
    private static <V, M extends Map<String, V>> M withPrefix(Map<String, String> from, String prefix, M into,
                                                              Function<String, V> value) {
        from.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                into.put(k.substring(prefix.length()), value.apply(v));
            }
        });
        return into;
    }

    /**
     * Checks that {@code d} is the data this provenance records under {@code prefix} (its
     * {@code source}, {@code rows}, {@code cols} and {@code sha256} entries, as {@link Builder#data}
     * writes them for {@code "data."}) and returns its SHA-256, so a resumed run hashes its data once.
     *
     * @param what       what the data are, for the message ("data", "test data")
     * @param checkpoint the file this provenance was read from, for the message
     * @throws IllegalArgumentException naming both data sets, their shapes and checksums, when they differ
     */
    public String requireSameData(String what, String prefix, Dataset d, String checkpoint) {
        String sha = d.sha256();
        String rows = Integer.toString(d.rows());
        String cols = Integer.toString(d.cols());
        if (!sha.equals(get(prefix + "sha256")) || !rows.equals(get(prefix + "rows")) || !cols.equals(get(prefix + "cols"))) {
            throw new IllegalArgumentException(what + " " + d.name() + " (" + rows + "x" + cols + ", sha256 " + sha
                    + ") is not the " + what + " " + checkpoint + " was trained on (" + get(prefix + "source") + ", "
                    + get(prefix + "rows") + "x" + get(prefix + "cols") + ", sha256 " + get(prefix + "sha256") + ")");
        }
        return sha;
    }

    /** The ebm4j version of this build ("unknown" when run from classes without the version resource). */
    public static String libraryVersion() {
        return Version.VALUE;
    }

    /** The running JVM, as recorded. */
    public static String jvm() {
        return System.getProperty("java.vm.vendor", "?") + " " + System.getProperty("java.vm.name", "?") + " "
                + Runtime.version();
    }

    /**
     * These entries followed by the positions of the random streams when training ended, under
     * {@code draw.NAME} (as {@link Builder#draws} writes them): the provenance of a finished run.
     */
    public Provenance withDraws(Map<String, Long> draws) {
        Map<String, String> m = new LinkedHashMap<>(entries);
        draws.forEach((k, v) -> m.put("draw." + k, Long.toString(v)));
        return new Provenance(m);
    }

    /** Collects provenance entries; the order of calls is the order in the file. */
    public static final class Builder {
        private final Map<String, String> m = new LinkedHashMap<>();

        private Builder() {
            m.put("ebm4j_version", libraryVersion());
            m.put("jvm", jvm());
            m.put("os", System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", "?"));
        }

        /** What the model is, for example {@code "rbm"}. */
        public Builder model(String kind) {
            return put("model", kind);
        }

        /** The training options, each under {@code option.NAME}. */
        public Builder options(Map<String, String> options) {
            options.forEach((k, v) -> put("option." + k, v));
            return this;
        }

        /** The data trained on: where it came from, its shape and a checksum of its values. */
        public Builder data(String source, int rows, int cols, String sha256) {
            put("data.source", source);
            put("data.rows", Integer.toString(rows));
            put("data.cols", Integer.toString(cols));
            return put("data.sha256", sha256);
        }

        /** The seed of every random stream of the run. */
        public Builder seed(long seed) {
            return put("seed", Long.toString(seed));
        }

        /** The backend as it describes itself (name, kernels, threads...). */
        public Builder backend(String name, Map<String, ?> description) {
            put("backend", name);
            return put("backend.description", String.valueOf(new TreeMap<>(description)));
        }

        /** The positions of the random streams when training ended, under {@code draw.NAME}. */
        public Builder draws(Map<String, Long> draws) {
            draws.forEach((k, v) -> put("draw." + k, Long.toString(v)));
            return this;
        }

        /** Any other entry. */
        public Builder put(String key, String value) {
            m.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
            return this;
        }

        public Provenance build() {
            return new Provenance(m);
        }
    }

    private static final class Version {
        static final String VALUE = read();

        private static String read() {
            try (InputStream in = Provenance.class.getResourceAsStream("/org/ebm4j/ebm4j.properties")) {
                if (in == null) {
                    return "unknown";
                }
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "unknown");
                return v.startsWith("${") ? "unknown" : v;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the ebm4j version resource", e);
            }
        }
    }
}
