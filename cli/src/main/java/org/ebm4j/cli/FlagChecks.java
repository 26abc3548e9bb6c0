package org.ebm4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.ebm4j.train.MemoryEstimate;
import org.ebm4j.train.SettingException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Validation of option values after parsing: each failure is a {@link CommandLine.ParameterException}
 * (usage error, exit 2) whose message names the flag, what it needs and what it got. Use the static
 * methods with the command's spec, or an instance bound to it.
 */
public final class FlagChecks {
    private final CommandSpec spec;

    public FlagChecks(CommandSpec spec) {
        this.spec = spec;
    }

    /** {@code values} as a flag of several values (one per layer, say) takes them: comma-separated. */
    public static String commaSeparated(List<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * {@code v}'s comma-separated whole numbers (layer sizes, say), blanks around each ignored; one that is
     * not an integer, an empty one included, is a usage error naming the flag, the value and the whole list.
     * Their ranges are the options record's, checked when it is built.
     */
    public static int[] commaSeparatedInts(CommandSpec spec, String flag, String v) {
        String[] parts = v.split(",", -1);
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            try {
                values[i] = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw error(spec, flag + ": '" + p + "' is not an integer (expected comma-separated integers, found '"
                        + v + "')");
            }
        }
        return values;
    }

    public static CommandLine.ParameterException error(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    public static int positive(CommandSpec spec, String flag, int v) {
        if (v <= 0) {
            throw error(spec, flag + " must be a positive integer but was " + v);
        }
        return v;
    }

    public static int nonNegative(CommandSpec spec, String flag, int v) {
        return atLeast(spec, flag, v, 0);
    }

    public static int atLeast(CommandSpec spec, String flag, int v, int min) {
        if (v < min) {
            throw error(spec, flag + " must be >= " + min + " but was " + v);
        }
        return v;
    }

    public static double positive(CommandSpec spec, String flag, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw error(spec, flag + " must be a finite number > 0 but was " + v);
        }
        return v;
    }

    /** {@code min <= value <= max} (or {@code < max} when {@code maxExclusive}). */
    public static double inRange(CommandSpec spec, String flag, double v, double min, double max, boolean maxExclusive) {
        boolean ok = v >= min && (maxExclusive ? v < max : v <= max);
        if (!ok) {
            throw error(spec, flag + " must lie in [" + min + ", " + max + (maxExclusive ? ")" : "]") + " but was " + v);
        }
        return v;
    }

    /**
     * {@code dir} as an output directory a run can fill, checked before any work: an existing
     * directory that is writable, or a path whose nearest existing ancestor is a writable directory
     * (nothing is created here, so a run that fails its checks writes nothing).
     */
    public static Path outputDirectory(CommandSpec spec, String flag, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw error(spec, flag + " " + dir + " is an existing file, expected a directory");
        }
        requireWritable(spec, flag, dir, Files.isDirectory(dir) ? dir : nearestExisting(dir));
        return dir;
    }

    /**
     * {@code file} as an output file: not a directory, in a directory a run can write (see
     * {@link #outputDirectory}); null (the flag was not given) passes.
     */
    public static Path outputFile(CommandSpec spec, String flag, Path file) {
        if (file == null) {
            return null;
        }
        if (Files.isDirectory(file)) {
            throw error(spec, flag + " " + file + " is a directory, expected a file");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            requireWritable(spec, flag, file, nearestExisting(parent));
        }
        return file;
    }

    private static Path nearestExisting(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }

    private static void requireWritable(CommandSpec spec, String flag, Path dir, Path existing) {
        if (existing == null) {
            return;
        }
        if (!Files.isDirectory(existing)) {
            throw error(spec, flag + " " + dir + " lies under " + existing + ", which is a file, not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw error(spec, flag + " " + dir + ": " + existing + " is not writable");
        }
    }

    /**
     * Refuses, before any work, a run whose estimated allocation does not fit in the heap this JVM
     * may grow to ({@link Runtime#maxMemory}), naming the flag that sizes it and the estimate.
     *
     * @param bytes the estimate: the arrays the run allocates at once for what {@code flag} sizes
     * @param what  what the bytes are for, e.g. "the weights, their gradient and momentum"
     */
    public static void fitsInMemory(CommandSpec spec, String flag, long bytes, String what) {
        try {
            MemoryEstimate.require(flag, bytes, what);
        } catch (SettingException e) {
            throw error(spec, flag + ": " + e.detail());
        }
    }

    /** {@code a * b * c} floats in bytes, saturating instead of overflowing. */
    public static long floatBytes(long a, long b, long c) {
        return MemoryEstimate.floats(a, b, c);
    }

    /** Runs {@code parse}, turning an {@link IllegalArgumentException} into a usage error naming {@code flag}. */
    public static <T> T parse(CommandSpec spec, String flag, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw error(spec, flag + ": " + e.getMessage());
        }
    }

    /**
     * Builds an options record from flags: a value the record refuses becomes a usage error naming the
     * flag that gave it ({@link SettingFlags#usageError(CommandSpec, IllegalArgumentException)}).
     */
    public static <T> T options(CommandSpec spec, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw settingError(spec, e);
        }
    }

    /** An options record's refusal {@code e} as the usage error of the flag that gave the value. */
    public static CommandLine.ParameterException settingError(CommandSpec spec, IllegalArgumentException e) {
        return SettingFlags.usageError(spec, e);
    }

    // ---- the same checks bound to one command's spec ----

    public CommandLine.ParameterException fail(String message) {
        return error(spec, message);
    }

    public int atLeast(String flag, int value, int min) {
        return atLeast(spec, flag, value, min);
    }

    public int inRange(String flag, int value, int min, int max) {
        if (value < min || value > max) {
            throw fail(flag + " must lie in [" + min + ", " + max + "] but was " + value);
        }
        return value;
    }

    /** A positive {@code value} that divides {@code total} (a count of {@code what}, e.g. "visible units"). */
    public int divisorOf(String flag, int value, int total, String what) {
        atLeast(flag, value, 1);
        if (total % value != 0) {
            throw fail(flag + " " + value + " does not divide the " + total + " " + what);
        }
        return value;
    }

    public double positive(String flag, double value) {
        return positive(spec, flag, value);
    }

    public double inRange(String flag, double value, double min, double max, boolean maxExclusive) {
        return inRange(spec, flag, value, min, max, maxExclusive);
    }

    public <T> T parse(String flag, Supplier<T> parser) {
        return parse(spec, flag, parser);
    }
}
