package org.ebm4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Validation of option values after parsing: each failure is a {@link ParameterException} (usage
 * error, exit 2) whose message names the flag, what it needs and what it got.
 */
final class FlagChecks {
    private final CommandSpec spec;

    FlagChecks(CommandSpec spec) {
        this.spec = spec;
    }

    ParameterException fail(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    int atLeast(String flag, int value, int min) {
        if (value < min) {
            throw fail(flag + " must be >= " + min + " but was " + value);
        }
        return value;
    }

    int inRange(String flag, int value, int min, int max) {
        if (value < min || value > max) {
            throw fail(flag + " must lie in [" + min + ", " + max + "] but was " + value);
        }
        return value;
    }

    double positive(String flag, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw fail(flag + " must be a finite number > 0 but was " + value);
        }
        return value;
    }

    double nonNegative(String flag, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw fail(flag + " must be a finite number >= 0 but was " + value);
        }
        return value;
    }

    /** {@code min <= value <= max} (or {@code < max} when {@code maxExclusive}). */
    double inRange(String flag, double value, double min, double max, boolean maxExclusive) {
        boolean ok = value >= min && (maxExclusive ? value < max : value <= max);
        if (!ok) {
            throw fail(flag + " must lie in [" + min + ", " + max + (maxExclusive ? ")" : "]") + " but was " + value);
        }
        return value;
    }

    /** Runs a parser, turning its {@link IllegalArgumentException} into a usage error naming {@code flag}. */
    <T> T parse(String flag, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw fail(flag + ": " + e.getMessage());
        }
    }
}
