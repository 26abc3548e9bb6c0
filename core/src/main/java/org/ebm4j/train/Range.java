package org.ebm4j.train;

/**
 * The values a numeric option accepts: an interval of whole numbers or of decimals, each end open or
 * closed, declared once next to the option's key and default in its record's {@link OptionTable}
 * ({@code .add("chains", 4, Range.atLeast(1))}), which checks it whenever the record is made. Front
 * ends read the same declaration ({@link OptionTable#ranges()}), so a command line and its tests need
 * not write the range again. Immutable.
 *
 * <p>The refusals read {@code must be >= 1, found 0}, {@code must be finite and > 0, found NaN} or
 * {@code must lie in [0, 1), found 1.5}: what was expected, then what was found.
 *
 * @param lo           the lower end ({@link Double#NEGATIVE_INFINITY} for none)
 * @param loOpen       whether the lower end itself is refused
 * @param hi           the upper end ({@link Double#POSITIVE_INFINITY} for none)
 * @param hiOpen       whether the upper end itself is refused
 * @param whole        whether only whole numbers are accepted
 * @param nanMeansNone whether NaN is accepted, as the value that means "none"
 * @param memoryBound  whether the run's memory estimate bounds it from above ({@link #boundedByMemory()})
 */
public record Range(double lo, boolean loOpen, double hi, boolean hiOpen, boolean whole, boolean nanMeansNone,
                    boolean memoryBound) {

    /** @throws IllegalArgumentException where no value would be accepted */
    public Range {
        if (!(lo < hi) && !(lo == hi && !loOpen && !hiOpen)) {
            throw new IllegalArgumentException("empty range from " + lo + " to " + hi);
        }
    }

    /** Whole numbers {@code >= min}. */
    public static Range atLeast(long min) {
        return new Range(min, false, Double.POSITIVE_INFINITY, true, true, false, false);
    }

    /** Whole numbers from {@code min} to {@code max}, both included. */
    public static Range between(long min, long max) {
        return new Range(min, false, max, false, true, false, false);
    }

    /** Finite decimals {@code > 0}. */
    public static Range positiveFinite() {
        return decimals(0, true, Double.POSITIVE_INFINITY, true);
    }

    /** Finite decimals {@code >= 0}. */
    public static Range nonNegativeFinite() {
        return decimals(0, false, Double.POSITIVE_INFINITY, true);
    }

    /** Decimals {@code > 0}, infinity included (where it means "no limit"). */
    public static Range positive() {
        return decimals(0, true, Double.POSITIVE_INFINITY, false);
    }

    /** Finite decimals, any sign. */
    public static Range finite() {
        return decimals(Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true);
    }

    /** Decimals {@code lo < v < hi}. */
    public static Range open(double lo, double hi) {
        return decimals(lo, true, hi, true);
    }

    /** Decimals {@code lo <= v < hi}. */
    public static Range closedOpen(double lo, double hi) {
        return decimals(lo, false, hi, true);
    }

    /** Decimals {@code lo < v <= hi}. */
    public static Range openClosed(double lo, double hi) {
        return decimals(lo, true, hi, false);
    }

    /** Decimals {@code lo <= v <= hi}. */
    public static Range closed(double lo, double hi) {
        return decimals(lo, false, hi, false);
    }

    /**
     * Decimals between {@code lo} and {@code hi}, each end open (excluded) or closed.
     *
     * @throws IllegalArgumentException where no value would be accepted
     */
    public static Range decimals(double lo, boolean loOpen, double hi, boolean hiOpen) {
        return new Range(lo, loOpen, hi, hiOpen, false, false, false);
    }

    /** This range, with NaN accepted too, as the value that means "none" (a sparsity target left unset). */
    public Range orNaN() {
        return new Range(lo, loOpen, hi, hiOpen, whole, true, memoryBound);
    }

    /**
     * This range, marked as a size whose largest values the run's memory estimate refuses before any work
     * (the record's {@code requireMemory} names this option's key): its upper end here is the type's, its
     * real one the heap.
     */
    public Range boundedByMemory() {
        return new Range(lo, loOpen, hi, hiOpen, whole, nanMeansNone, true);
    }

    /** Whether {@code v} is accepted. */
    public boolean contains(double v) {
        if (Double.isNaN(v)) {
            return nanMeansNone;
        }
        if (whole && v != Math.rint(v)) {
            return false;
        }
        return (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
    }

    /**
     * Returns {@code v} when it is accepted, else throws the refusal naming {@code key}.
     *
     * @throws SettingException {@code KEY: must be ..., found V}
     */
    public double check(String key, double v) {
        if (!contains(v)) {
            throw new SettingException(key, refusal(v));
        }
        return v;
    }

    /** {@code v} as a whole number, when it is accepted; else the refusal naming {@code key}. */
    public int check(String key, int v) {
        check(key, (double) v);
        return v;
    }

    /** What the range expects and what was found: {@code must be >= 1, found 0}. */
    public String refusal(double v) {
        return "must " + expected() + ", found " + (whole && v == Math.rint(v) ? Long.toString((long) v)
                : Double.toString(v));
    }

    private String expected() {
        boolean noTop = hi == Double.POSITIVE_INFINITY;
        String none = nanMeansNone ? " (or NaN for none)" : "";
        if (lo == Double.NEGATIVE_INFINITY && noTop) {
            return "be finite" + none;
        }
        if (noTop && whole) {
            return "be >= " + format(lo) + none;
        }
        if (noTop) {
            return (hiOpen ? "be finite and " : "be ") + (loOpen ? "> " : ">= ") + format(lo) + none;
        }
        return "lie in " + this + none;
    }

    private static String format(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }

    /** The interval in the usual notation: {@code [0, 1)}, {@code [1, inf)}. */
    @Override
    public String toString() {
        return (loOpen ? "(" : "[") + (lo == Double.NEGATIVE_INFINITY ? "-inf" : format(lo)) + ", "
                + (hi == Double.POSITIVE_INFINITY ? "inf" : format(hi)) + (hiOpen ? ")" : "]");
    }
}
