package org.ebm4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Range checks on flag values, failing with a usage error (exit 2) that names the flag. */
public final class FlagChecks {
    private FlagChecks() {
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
        if (v < 0) {
            throw error(spec, flag + " must be >= 0 but was " + v);
        }
        return v;
    }

    public static double positive(CommandSpec spec, String flag, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw error(spec, flag + " must be a finite number > 0 but was " + v);
        }
        return v;
    }

    /** {@code lo <= v < hi}. */
    public static double inRange(CommandSpec spec, String flag, double v, double lo, double hi) {
        if (!(v >= lo && v < hi)) {
            throw error(spec, flag + " must be in [" + lo + ", " + hi + ") but was " + v);
        }
        return v;
    }

    /** Runs {@code parse}, turning an {@link IllegalArgumentException} into a usage error naming {@code flag}. */
    public static <T> T parse(CommandSpec spec, String flag, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw error(spec, flag + ": " + e.getMessage());
        }
    }
}
