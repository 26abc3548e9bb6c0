package org.ebm4j.segmentation;

/**
 * An image of a string of digits written side by side: {@code height x width} pixels, row-major, the
 * digits it shows, and where the true boundaries are.
 *
 * @param pixels {@code height width} values in [0, 1], row-major (not copied)
 * @param height rows
 * @param width  columns
 * @param digits the digit sequence {@code y}, each in [0, 9]
 * @param cuts   the true segmentation as {@code digits.length + 1} column positions, from 0 to
 *               {@code width}: digit {@code s} lies between {@code cuts[s]} and {@code cuts[s + 1]}
 *               (a boundary sits in the middle of the gap or overlap between two neighbours)
 */
public record DigitString(float[] pixels, int height, int width, int[] digits, int[] cuts) {
    public DigitString {
        if (height < 1 || width < 1 || pixels.length != height * width) {
            throw new IllegalArgumentException("a digit string needs height x width pixels (" + height + " x " + width
                    + "), found " + pixels.length);
        }
        if (digits.length < 1 || cuts.length != digits.length + 1 || cuts[0] != 0 || cuts[digits.length] != width) {
            throw new IllegalArgumentException("expected " + (digits.length + 1) + " cuts from 0 to " + width
                    + " for " + digits.length + " digits, found " + java.util.Arrays.toString(cuts));
        }
    }

    /** The digits as text, {@code "317"}. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (int d : digits) {
            b.append(d);
        }
        return b.toString();
    }
}
