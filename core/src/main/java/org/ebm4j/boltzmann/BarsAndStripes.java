package org.ebm4j.boltzmann;

import org.ebm4j.data.Dataset;

/**
 * The bars-and-stripes data set (MacKay 2003; the classic small Boltzmann machine benchmark): on a
 * {@code side x side} grid, every image whose rows are each all on or all off (stripes) or whose
 * columns are each all on or all off (bars). The all-off and all-on images are both, so there are
 * {@code 2^(side+1) - 2} distinct images (30 for 4x4). Pixel {@code (r, c)} is element
 * {@code r * side + c}.
 */
public final class BarsAndStripes {
    /** The data set's name, as the CLI's {@code --data} takes it. */
    public static final String NAME = "bars-and-stripes";

    private BarsAndStripes() {
    }

    /** The number of distinct images for a grid side. */
    public static int count(int side) {
        checkSide(side);
        return (1 << (side + 1)) - 2;
    }

    /** Every distinct image once, row-major ({@code count(side) x side^2}), in {@code units} values. */
    public static float[] patterns(int side, UnitValues units) {
        checkSide(side);
        int d = side * side;
        float[] out = new float[count(side) * d];
        int row = 0;
        for (int mask = 0; mask < (1 << side); mask++) {
            for (int p = 0; p < d; p++) {
                out[row * d + p] = units.value(((mask >>> (p / side)) & 1) != 0);
            }
            row++;
        }
        for (int mask = 1; mask < (1 << side) - 1; mask++) {
            for (int p = 0; p < d; p++) {
                out[row * d + p] = units.value(((mask >>> (p % side)) & 1) != 0);
            }
            row++;
        }
        return out;
    }

    /**
     * {@link #patterns} as a data set of {@code side x side} images named {@code bars-and-stripes SxS}, the
     * name a model's provenance records as its data source (see {@link #sideOf}).
     */
    public static Dataset dataset(int side, UnitValues units) {
        return new Dataset(name(side), count(side), side * side, patterns(side, units), null, side, side);
    }

    /** The name of the {@code side x side} data set: {@code bars-and-stripes SxS}. */
    public static String name(int side) {
        checkSide(side);
        return NAME + " " + side + "x" + side;
    }

    /** The grid side of a data set named by {@link #dataset}, or 0 for any other name. */
    public static int sideOf(String dataName) {
        if (dataName != null && dataName.matches(NAME + " [1-5]x[1-5]")
                && dataName.charAt(NAME.length() + 1) == dataName.charAt(NAME.length() + 3)) {
            return dataName.charAt(NAME.length() + 1) - '0';
        }
        return 0;
    }

    /** Whether {@code side^2} values at {@code image[offset..]} form a bars or a stripes image. */
    public static boolean isValid(float[] image, int offset, int side, UnitValues units) {
        checkSide(side);
        boolean stripes = true;
        boolean bars = true;
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                float x = image[offset + r * side + c];
                if (!units.accepts(x)) {
                    return false;
                }
                if (x != image[offset + r * side]) {
                    stripes = false;
                }
                if (x != image[offset + c]) {
                    bars = false;
                }
            }
        }
        return stripes || bars;
    }

    /** The fraction of the {@code rows} images in {@code images} (row-major) that are valid. */
    public static double validFraction(float[] images, int side, UnitValues units) {
        int d = side * side;
        if (images.length == 0 || images.length % d != 0) {
            throw new IllegalArgumentException("images must hold a positive multiple of " + d + " values but hold "
                    + images.length);
        }
        int rows = images.length / d;
        int valid = 0;
        for (int r = 0; r < rows; r++) {
            if (isValid(images, r * d, side, units)) {
                valid++;
            }
        }
        return (double) valid / rows;
    }

    private static void checkSide(int side) {
        if (side < 1 || side > 5) {
            throw new IllegalArgumentException("bars-and-stripes side must lie in [1, 5] but was " + side);
        }
    }
}
