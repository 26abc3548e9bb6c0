package org.ebm4j.conditional;

/**
 * The margin {@code m(y, y-)} a loss demands between the energy of the correct answer {@code y} and
 * an incorrect one {@code y-}; it may grow with the distance between the two, so that a far-off
 * answer must sit higher than a near miss.
 */
@FunctionalInterface
public interface AnswerMargin {
    /** No answer-dependent margin (a loss's own constant margin still applies). */
    AnswerMargin NONE = (y, other) -> 0;

    /** {@code m(y, other) >= 0}. */
    double margin(int y, int other);

    /** {@code scale |y - other|}: for ordered answers (digits read as numbers, ratings). */
    static AnswerMargin distance(double scale) {
        if (!(scale >= 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("margin scale must be finite and >= 0, found " + scale);
        }
        return (y, other) -> scale * Math.abs(y - other);
    }
}
