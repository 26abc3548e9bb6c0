package org.ebm4j.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.ImageGrid;
import org.ebm4j.random.Philox;
import org.ebm4j.random.StreamId;
import org.junit.jupiter.api.Test;

class DigitStringsTest {
    private static final int H = 4;
    private static final int W = 7;

    /**
     * Seven 4x7 "digits" with distinct pixel values, each with its ink somewhere else: columns 2-4, 0-6, 3
     * alone (a one-stroke digit), 5-6, none at all (the whole image counts), 1-2 with a faint column 3
     * below the ink threshold, and 0 with a second stroke at column 6 (the ink span is 0-6).
     */
    static Dataset digits() {
        int[][] ink = {{2, 3, 4}, {0, 1, 2, 3, 4, 5, 6}, {3}, {5, 6}, {}, {1, 2}, {0, 6}};
        float[] v = new float[ink.length * H * W];
        for (int d = 0; d < ink.length; d++) {
            for (int c : ink[d]) {
                for (int r = 0; r < H; r++) {
                    v[d * H * W + r * W + c] = 0.2f + 0.1f * ((d + r + c) % 8);
                }
            }
        }
        v[5 * H * W + 2 * W + 3] = DigitStrings.INK; // at the threshold: not ink
        int[] labels = {3, 1, 7, 0, 9, 4, 5};
        return new Dataset("toy digits", ink.length, H * W, v, labels, H, W);
    }

    /** The draws of the documented recipe: word j of string i is word j mod 4 of Philox block (j / 4, i, 0, stream). */
    private static final class Words {
        private final long seed;
        private final int string;
        private int j;

        Words(long seed, int string) {
            this.seed = seed;
            this.string = string;
        }

        int below(int n) {
            int[] block = new int[4];
            Philox.block(j / 4, string, 0, StreamId.SEGMENTATION_DATA.id(), (int) seed, (int) (seed >>> 32), block, 0);
            long word = Integer.toUnsignedLong(block[j % 4]);
            j++;
            return (int) (word * n / (1L << 32));
        }
    }

    private static int[] inkSpan(Dataset d, int row) {
        int first = -1;
        int last = -1;
        for (int c = 0; c < W; c++) {
            boolean ink = false;
            for (int r = 0; r < H; r++) {
                ink |= d.values()[row * H * W + r * W + c] > DigitStrings.INK;
            }
            if (ink) {
                first = first < 0 ? c : first;
                last = c;
            }
        }
        return first < 0 ? new int[] {0, W} : new int[] {first, last + 1};
    }

    /** The recipe of the class comment, step by step, with its own arithmetic. */
    private static DigitString expected(Dataset d, DigitStrings.Recipe recipe, long seed, int i) {
        Words words = new Words(seed, i);
        int len = recipe.minDigits() + words.below(recipe.maxDigits() - recipe.minDigits() + 1);
        int[] rows = new int[len];
        int[][] span = new int[len][];
        int[] labels = new int[len];
        for (int s = 0; s < len; s++) {
            rows[s] = words.below(d.rows());
            span[s] = inkSpan(d, rows[s]);
            labels[s] = d.labels()[rows[s]];
        }
        int[] start = new int[len];
        int[] cuts = new int[len + 1];
        for (int s = 0; s + 1 < len; s++) {
            int gap = recipe.minGap() + words.below(recipe.maxGap() - recipe.minGap() + 1);
            int a = span[s][1] - span[s][0];
            int b = span[s + 1][1] - span[s + 1][0];
            int narrower = Math.min(a, b);
            if (gap <= -narrower) {
                gap = -(narrower - 1); // leave one column of the narrower digit uncovered
            }
            start[s + 1] = start[s] + a + gap;
            cuts[s + 1] = (int) Math.floor((start[s] + a + start[s + 1]) / 2.0);
        }
        int width = start[len - 1] + span[len - 1][1] - span[len - 1][0];
        cuts[len] = width;
        float[] pixels = new float[H * width];
        for (int s = 0; s < len; s++) {
            for (int r = 0; r < H; r++) {
                for (int c = span[s][0]; c < span[s][1]; c++) {
                    int col = start[s] + c - span[s][0];
                    pixels[r * width + col] = Math.max(pixels[r * width + col], d.values()[rows[s] * H * W + r * W + c]);
                }
            }
        }
        return new DigitString(pixels, H, width, labels, cuts);
    }

    @Test
    void stringsFollowTheDocumentedRecipeDrawForDraw() {
        Dataset d = digits();
        DigitStrings.Recipe[] recipes = {DigitStrings.Recipe.standard(), new DigitStrings.Recipe(1, 1, 0, 0),
                new DigitStrings.Recipe(3, 5, -7, -2), new DigitStrings.Recipe(2, 2, 1, 3)};
        for (DigitStrings.Recipe recipe : recipes) {
            for (long seed : new long[] {5L, 0x1_0000_0003L}) {
                List<DigitString> got = DigitStrings.generate(d, 12, recipe, seed);
                assertEquals(12, got.size());
                for (int i = 0; i < got.size(); i++) {
                    DigitString want = expected(d, recipe, seed, i);
                    String at = recipe + ", seed " + seed + ", string " + i;
                    assertArrayEquals(want.digits(), got.get(i).digits(), at);
                    assertArrayEquals(want.cuts(), got.get(i).cuts(), at);
                    assertEquals(want.width(), got.get(i).width(), at);
                    assertEquals(H, got.get(i).height(), at);
                    assertArrayEquals(want.pixels(), got.get(i).pixels(), at);
                }
            }
        }
        // a string depends only on (seed, index): the first strings of a longer set are the same
        List<DigitString> three = DigitStrings.generate(d, 3, DigitStrings.Recipe.standard(), 5L);
        assertArrayEquals(three.get(2).pixels(), DigitStrings.generate(d, 12, DigitStrings.Recipe.standard(), 5L)
                .get(2).pixels());
    }

    @Test
    void thePictureDrawsEachReadingsCutsAsDashedGreyColumns() {
        Dataset d = digits();
        List<DigitString> strings = DigitStrings.generate(d, 3, DigitStrings.Recipe.standard(), 8L);
        List<int[]> cuts = List.of(strings.get(0).cuts(), new int[] {0, 1, 2, strings.get(1).width()},
                new int[] {0, strings.get(2).width() + 5, strings.get(2).width()});
        int wide = strings.stream().mapToInt(DigitString::width).max().orElseThrow();
        float[] tiles = new float[3 * H * wide];
        for (int i = 0; i < 3; i++) {
            DigitString s = strings.get(i);
            for (int r = 0; r < H; r++) {
                for (int c = 0; c < s.width(); c++) {
                    tiles[(i * H + r) * wide + c] = s.pixels()[r * s.width() + c];
                }
            }
            int[] c = cuts.get(i);
            for (int k = 1; k + 1 < c.length; k++) {
                int col = Math.min(c[k], s.width() - 1);  // a cut past the end is drawn on the last column
                for (int r = 0; r < H; r += 2) {
                    tiles[(i * H + r) * wide + col] = 0.5f;
                }
            }
        }
        BufferedImage want = new ImageGrid(H, wide, 1, 3).rows(tiles, 3);
        BufferedImage got = DigitStrings.picture(strings, cuts, 3);
        assertEquals(want.getWidth(), got.getWidth());
        assertEquals(want.getHeight(), got.getHeight());
        assertArrayEquals(want.getRGB(0, 0, want.getWidth(), want.getHeight(), null, 0, want.getWidth()),
                got.getRGB(0, 0, got.getWidth(), got.getHeight(), null, 0, got.getWidth()));
        assertArrayEquals(strings.get(0).pixels(), DigitStrings.generate(d, 1, DigitStrings.Recipe.standard(), 8L)
                .get(0).pixels(), "drawing the cuts leaves the strings' own pixels alone");
    }

    @Test
    void badInputIsRefusedWithWhatWasFound() {
        Dataset d = digits();
        DigitString one = DigitStrings.generate(d, 1, DigitStrings.Recipe.standard(), 1L).get(0);
        assertEquals("expected one reading per string and >= 1 string, found 0 strings and 0 readings",
                assertThrows(IllegalArgumentException.class, () -> DigitStrings.picture(List.of(), List.of(), 1))
                        .getMessage());
        assertEquals("expected one reading per string and >= 1 string, found 1 strings and 2 readings",
                assertThrows(IllegalArgumentException.class,
                        () -> DigitStrings.picture(List.of(one), List.of(one.cuts(), one.cuts()), 1)).getMessage());
        DigitString flat = new DigitString(new float[6], 2, 3, new int[] {1}, new int[] {0, 3});
        assertEquals("strings of one picture share a height; string 1 has 2 rows, the first 4",
                assertThrows(IllegalArgumentException.class,
                        () -> DigitStrings.picture(List.of(one, flat), List.of(one.cuts(), flat.cuts()), 1)).getMessage());
        assertEquals("expected >= 1 strings, found 0", assertThrows(IllegalArgumentException.class,
                () -> DigitStrings.generate(d, 0, DigitStrings.Recipe.standard(), 1L)).getMessage());
        Dataset plain = Dataset.of("plain", 2, 3, new float[6]);
        assertEquals("plain: digit strings are composed from labelled images; found rows that are not images",
                assertThrows(IllegalArgumentException.class,
                        () -> DigitStrings.generate(plain, 1, DigitStrings.Recipe.standard(), 1L)).getMessage());
        Dataset unlabelled = new Dataset("bare", 1, 4, new float[4], null, 2, 2);
        assertEquals("bare: digit strings are composed from labelled images; found no labels",
                assertThrows(IllegalArgumentException.class,
                        () -> DigitStrings.generate(unlabelled, 1, DigitStrings.Recipe.standard(), 1L)).getMessage());
        assertEquals("string lengths must satisfy 1 <= min <= max, found 0..2", assertThrows(IllegalArgumentException.class,
                () -> new DigitStrings.Recipe(0, 2, 0, 1)).getMessage());
        assertEquals("string lengths must satisfy 1 <= min <= max, found 3..2", assertThrows(IllegalArgumentException.class,
                () -> new DigitStrings.Recipe(3, 2, 0, 1)).getMessage());
        assertEquals("the largest gap must be >= the smallest (2), found 1", assertThrows(IllegalArgumentException.class,
                () -> new DigitStrings.Recipe(1, 2, 2, 1)).getMessage());
        assertEquals(2, new DigitStrings.Recipe(1, 1, 2, 2).minGap(), "equal bounds are a valid recipe");
        assertEquals("a digit string needs height x width pixels (2 x 3), found 5", assertThrows(
                IllegalArgumentException.class, () -> new DigitString(new float[5], 2, 3, new int[] {1}, new int[] {0, 3}))
                .getMessage());
        assertEquals("a digit string needs height x width pixels (0 x 3), found 0", assertThrows(
                IllegalArgumentException.class, () -> new DigitString(new float[0], 0, 3, new int[] {1}, new int[] {0, 3}))
                .getMessage());
        assertEquals("expected 2 cuts from 0 to 3 for 1 digits, found [0, 2]", assertThrows(IllegalArgumentException.class,
                () -> new DigitString(new float[6], 2, 3, new int[] {1}, new int[] {0, 2})).getMessage());
        assertEquals("expected 1 cuts from 0 to 3 for 0 digits, found [0]", assertThrows(IllegalArgumentException.class,
                () -> new DigitString(new float[6], 2, 3, new int[0], new int[] {0})).getMessage());
        assertEquals("317", new DigitString(new float[3], 1, 3, new int[] {3, 1, 7}, new int[] {0, 1, 2, 3}).text());
    }
}
