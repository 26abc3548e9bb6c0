package org.ebm4j.train;

/**
 * The range checks of the options records ({@code HmcOptions}, {@code EnergyOptions}, ...): each
 * returns the value when it is acceptable and otherwise throws an {@link IllegalArgumentException}
 * that names the setting, the range and the value found.
 */
public final class SettingChecks {
    private SettingChecks() {
    }

    /** {@code v >= min}. */
    public static int atLeast(String what, int v, int min) {
        if (v < min) {
            throw new IllegalArgumentException(what + " must be >= " + min + ", found " + v);
        }
        return v;
    }

    /** {@code 0 < v < infinity}; NaN fails. */
    public static double positiveFinite(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite and > 0, found " + v);
        }
        return v;
    }

    /** {@code 0 <= v < infinity}; NaN fails. */
    public static double nonNegativeFinite(String what, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, found " + v);
        }
        return v;
    }

    /** {@code v > 0} (infinity allowed: no limit); NaN fails. */
    public static double positive(String what, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(what + " must be > 0, found " + v);
        }
        return v;
    }

    /** {@code lo < v < hi} ({@code loOpen}) or {@code lo <= v < hi}, or with {@code hiClosed} up to {@code hi} inclusive. */
    public static double inRange(String what, double v, double lo, boolean loOpen, double hi, boolean hiClosed) {
        boolean ok = (loOpen ? v > lo : v >= lo) && (hiClosed ? v <= hi : v < hi);
        if (!ok) {
            throw new IllegalArgumentException(what + " must lie in " + (loOpen ? "(" : "[") + format(lo) + ", "
                    + format(hi) + (hiClosed ? "]" : ")") + ", found " + v);
        }
        return v;
    }

    /** {@code v} is given. */
    public static <T> T notNull(String what, T v) {
        if (v == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return v;
    }

    /**
     * The settings of {@link OptionTable.Fields#trainingSafety()}: an optimizer given, {@code patience}
     * and {@code max_rollbacks} at least 0.
     */
    public static void trainingSafety(Optimizer optimizer, int patience, int maxRollbacks) {
        notNull("optimizer", optimizer);
        atLeast("patience", patience, 0);
        atLeast("max_rollbacks", maxRollbacks, 0);
    }

    private static String format(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
