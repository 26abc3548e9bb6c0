package org.ebm4j.segmentation;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.ImageGrid;
import org.ebm4j.random.Philox;
import org.ebm4j.random.StreamId;

/**
 * Images of digit strings composed from single-digit images (MNIST), so that anyone can regenerate the
 * same strings from the same digits and seed. The recipe, for string {@code i} of a set:
 * <ol>
 *   <li>every draw is a 32-bit Philox word of stream {@link StreamId#SEGMENTATION_DATA} under the seed,
 *       at counter {@code (j / 4, i, 0, stream)} for the {@code j}-th draw of the string, word
 *       {@code j mod 4}; an integer in {@code [0, n)} is {@code (word * n) >>> 32};</li>
 *   <li>the length {@code L} is {@code minDigits + draw(maxDigits - minDigits + 1)};</li>
 *   <li>for each of the {@code L} digits: the source row {@code draw(rows)}; its image is cropped to its
 *       ink, the columns holding a pixel above {@value #INK}; then for each of the {@code L - 1} joins
 *       a gap {@code minGap + draw(maxGap - minGap + 1)} columns (negative: the digits overlap), an
 *       overlap cut to leave at least one column of the narrower digit uncovered;</li>
 *   <li>digit {@code s} starts at column {@code x_s}, {@code x_0 = 0},
 *       {@code x_{s+1} = x_s + w_s + gap_s}; a pixel is the maximum of the digits covering it (ink on
 *       ink); the width is where the last digit ends;</li>
 *   <li>the true boundary between digits {@code s} and {@code s+1} is the middle of their gap or overlap,
 *       {@code floor((x_s + w_s + x_{s+1}) / 2)}.</li>
 * </ol>
 * The draws of string {@code i} depend only on {@code (seed, i)}, so a set of 100 strings is the first
 * 100 of a set of 1000.
 */
public final class DigitStrings {
    /** A column holds ink when one of its pixels is above this. */
    public static final float INK = 0.1f;

    /**
     * How the strings are composed.
     *
     * @param minDigits the shortest string
     * @param maxDigits the longest string
     * @param minGap    the smallest gap between neighbours, in columns (negative: overlap)
     * @param maxGap    the largest gap
     */
    public record Recipe(int minDigits, int maxDigits, int minGap, int maxGap) {
        public Recipe {
            if (minDigits < 1 || maxDigits < minDigits) {
                throw new IllegalArgumentException("string lengths must satisfy 1 <= min <= max, found " + minDigits
                        + ".." + maxDigits);
            }
            if (maxGap < minGap) {
                throw new IllegalArgumentException("the largest gap must be >= the smallest (" + minGap + "), found "
                        + maxGap);
            }
        }

        /** Two to four digits, from 4 columns of overlap to 6 columns of gap. */
        public static Recipe standard() {
            return new Recipe(2, 4, -4, 6);
        }
    }

    private DigitStrings() {
    }

    /**
     * {@code count} strings composed from the labelled digit images of {@code digits} by the recipe above.
     *
     * @throws IllegalArgumentException when the digits are not labelled images, or an overlap could swallow a
     *         whole digit (a digit narrower than {@code -minGap})
     */
    public static List<DigitString> generate(Dataset digits, int count, Recipe recipe, long seed) {
        if (!digits.isImages() || digits.labels() == null) {
            throw new IllegalArgumentException(digits.name() + ": digit strings are composed from labelled images;"
                    + " found " + (digits.isImages() ? "no labels" : "rows that are not images"));
        }
        if (count < 1) {
            throw new IllegalArgumentException("expected >= 1 strings, found " + count);
        }
        List<DigitString> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(compose(digits, recipe, new Draws(seed, i)));
        }
        return out;
    }

    private static DigitString compose(Dataset digits, Recipe recipe, Draws draws) {
        int h = digits.imageHeight();
        int w = digits.imageWidth();
        int len = recipe.minDigits() + draws.below(recipe.maxDigits() - recipe.minDigits() + 1);
        int[] rows = new int[len];
        int[] labels = new int[len];
        int[][] ink = new int[len][];
        for (int s = 0; s < len; s++) {
            rows[s] = draws.below(digits.rows());
            labels[s] = digits.labels()[rows[s]];
            ink[s] = inkColumns(digits.values(), rows[s] * h * w, h, w);
        }
        int[] x = new int[len];
        int[] cuts = new int[len + 1];
        for (int s = 1; s < len; s++) {
            int gap = recipe.minGap() + draws.below(recipe.maxGap() - recipe.minGap() + 1);
            int prevWidth = ink[s - 1][1] - ink[s - 1][0];
            if (-gap >= Math.min(prevWidth, ink[s][1] - ink[s][0])) {
                gap = 1 - Math.min(prevWidth, ink[s][1] - ink[s][0]); // a one-stroke "1" is never hidden behind its neighbour
            }
            x[s] = x[s - 1] + prevWidth + gap;
            cuts[s] = Math.floorDiv(x[s - 1] + prevWidth + x[s], 2);
        }
        int width = x[len - 1] + ink[len - 1][1] - ink[len - 1][0];
        cuts[len] = width;
        float[] pixels = new float[h * width];
        for (int s = 0; s < len; s++) {
            int base = rows[s] * h * w;
            for (int r = 0; r < h; r++) {
                for (int c = ink[s][0]; c < ink[s][1]; c++) {
                    int at = r * width + x[s] + c - ink[s][0];
                    pixels[at] = Math.max(pixels[at], digits.values()[base + r * w + c]);
                }
            }
        }
        return new DigitString(pixels, h, width, labels, cuts);
    }

    /**
     * A picture of strings, one per row, each with the cuts of its reading drawn as dashed grey columns
     * ({@code cuts.get(i)} for string {@code i}, in columns, as {@link SegmentationGraph.Reading#cuts()}), the
     * rows padded to the widest string and enlarged {@code scale} times.
     */
    public static BufferedImage picture(List<DigitString> strings, List<int[]> cuts, int scale) {
        if (strings.isEmpty() || strings.size() != cuts.size()) {
            throw new IllegalArgumentException("expected one reading per string and >= 1 string, found "
                    + strings.size() + " strings and " + cuts.size() + " readings");
        }
        int h = strings.get(0).height();
        int w = strings.stream().mapToInt(DigitString::width).max().orElseThrow();
        float[] tiles = new float[strings.size() * h * w];
        for (int i = 0; i < strings.size(); i++) {
            DigitString s = strings.get(i);
            if (s.height() != h) {
                throw new IllegalArgumentException("strings of one picture share a height; string " + i + " has "
                        + s.height() + " rows, the first " + h);
            }
            float[] p = s.pixels().clone();
            int[] c = cuts.get(i);
            for (int k = 1; k < c.length - 1; k++) {
                for (int r = 0; r < h; r += 2) {
                    p[r * s.width() + Math.min(c[k], s.width() - 1)] = 0.5f;
                }
            }
            for (int r = 0; r < h; r++) {
                System.arraycopy(p, r * s.width(), tiles, (i * h + r) * w, s.width());
            }
        }
        return new ImageGrid(h, w, 1, scale).rows(tiles, strings.size());
    }

    // [first, end) of the columns holding ink; the whole image when it has none.
    private static int[] inkColumns(float[] v, int base, int h, int w) {
        int first = w;
        int end = 0;
        for (int c = 0; c < w; c++) {
            for (int r = 0; r < h; r++) {
                if (v[base + r * w + c] > INK) {
                    first = Math.min(first, c);
                    end = c + 1;
                    break;
                }
            }
        }
        return first < end ? new int[] {first, end} : new int[] {0, w};
    }

    // The draws of one string: Philox words at counter (j / 4, string, 0, stream).
    private static final class Draws {
        private final long seed;
        private final int string;
        private final int[] words = new int[4];
        private int j;

        Draws(long seed, int string) {
            this.seed = seed;
            this.string = string;
        }

        int below(int n) {
            if ((j & 3) == 0) {
                Philox.block(j >>> 2, string, 0, StreamId.SEGMENTATION_DATA.id(), (int) seed, (int) (seed >>> 32),
                        words, 0);
            }
            long word = words[j++ & 3] & 0xFFFFFFFFL;
            return (int) ((word * n) >>> 32);
        }
    }
}
