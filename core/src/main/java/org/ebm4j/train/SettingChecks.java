package org.ebm4j.train;

/**
 * Range checks of values that are not options of a record (a row count, a recall's sweep cap, a
 * loss's parameter): each returns the value when it is acceptable and otherwise throws an
 * {@link IllegalArgumentException} that names the value, the range and the value found, in the words
 * of {@link Range#refusal}. An options record declares its ranges in its {@link OptionTable} instead,
 * which refuses with a {@link SettingException} naming the option's key.
 */
public final class SettingChecks {
    private SettingChecks() {
    }

    /** {@code v >= min}. */
    public static int atLeast(String what, int v, int min) {
        require(what, v, Range.atLeast(min));
        return v;
    }

    /** {@code 0 < v < infinity}; NaN fails. */
    public static double positiveFinite(String what, double v) {
        return require(what, v, Range.positiveFinite());
    }

    /** {@code 0 <= v < infinity}; NaN fails. */
    public static double nonNegativeFinite(String what, double v) {
        return require(what, v, Range.nonNegativeFinite());
    }

    /** {@code v > 0} (infinity allowed: no limit); NaN fails. */
    public static double positive(String what, double v) {
        return require(what, v, Range.positive());
    }

    /** {@code lo < v < hi} ({@code loOpen}) or {@code lo <= v < hi}, or with {@code hiClosed} up to {@code hi} inclusive. */
    public static double inRange(String what, double v, double lo, boolean loOpen, double hi, boolean hiClosed) {
        return require(what, v, Range.decimals(lo, loOpen, hi, !hiClosed));
    }

    /** {@code v} is given. */
    public static <T> T notNull(String what, T v) {
        if (v == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return v;
    }

    private static double require(String what, double v, Range range) {
        if (!range.contains(v)) {
            throw new IllegalArgumentException(what + " " + range.refusal(v));
        }
        return v;
    }
}
