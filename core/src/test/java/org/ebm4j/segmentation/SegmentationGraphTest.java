package org.ebm4j.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The dynamic programmes on the segmentation graph against enumeration of every segmentation and answer. */
class SegmentationGraphTest {
    static final int K = 3;
    // 7 columns with a cut every column, segments up to 3 columns, answers of 1 to 3 digits: 44 segmentations.
    static final SegmentationOptions TINY = SegmentationOptions.builder().window(2, 2).stride(1).maxSpan(3)
            .digits(1, 3).build();
    static final int WIDTH = 7;

    /** Every segmentation of [0, groups] into segments of 1..maxSpan groups, as lists of cut indices. */
    static List<int[]> segmentations(int groups, int maxSpan) {
        List<int[]> out = new ArrayList<>();
        grow(new int[] {0}, groups, maxSpan, out);
        return out;
    }

    private static void grow(int[] cuts, int groups, int maxSpan, List<int[]> out) {
        int at = cuts[cuts.length - 1];
        if (at == groups) {
            out.add(cuts);
            return;
        }
        for (int w = 1; w <= maxSpan && at + w <= groups; w++) {
            int[] next = Arrays.copyOf(cuts, cuts.length + 1);
            next[cuts.length] = at + w;
            grow(next, groups, maxSpan, out);
        }
    }

    /** Every digit sequence of the given length over K answers. */
    static List<int[]> sequences(int length) {
        List<int[]> out = new ArrayList<>();
        int total = (int) Math.pow(K, length);
        for (int code = 0; code < total; code++) {
            int[] y = new int[length];
            for (int s = 0, c = code; s < length; s++, c /= K) {
                y[s] = c % K;
            }
            out.add(y);
        }
        return out;
    }

    static double pathEnergy(SegmentationGraph g, double[] f, int[] cuts, int[] y) {
        double e = 0;
        for (int s = 0; s < y.length; s++) {
            e += f[g.segment(cuts[s], cuts[s + 1]) * K + y[s]];
        }
        return e;
    }

    static double[] randomFactors(SegmentationGraph g, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] f = new double[g.segments() * K];
        for (int i = 0; i < f.length; i++) {
            f[i] = r.nextDouble(-2, 2);
        }
        return f;
    }

    static double logSumExpFree(List<Double> energies, double beta) {
        double low = energies.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double s = 0;
        for (double e : energies) {
            s += Math.exp(-beta * (e - low));
        }
        return low - Math.log(s) / beta;
    }

    /** One enumerated path: its energy, its reading and its segmentation (cut indices). */
    record Scored(double energy, int[] y, int[] z) {
    }

    /** Every segmentation with parts of at most {@code maxSpan}, read as every answer of its length that {@code keep} admits. */
    static List<Scored> every(SegmentationGraph g, double[] f, int maxSpan, Predicate<int[]> keep) {
        List<Scored> out = new ArrayList<>();
        for (int[] z : segmentations(g.groups(), maxSpan)) {
            for (int[] y : sequences(z.length - 1)) {
                if (keep.test(y)) {
                    out.add(new Scored(pathEnergy(g, f, z, y), y, z));
                }
            }
        }
        return out;
    }

    /**
     * The lattice's best path and free energy against the enumerated paths: the minimum, its reading and
     * segmentation, and the log-sum; with no path, both infinite. Returns whether a path existed.
     */
    static boolean matchesEnumeration(SegmentationGraph g, Lattice l, double[] f, List<Scored> paths, double beta) {
        if (paths.isEmpty()) {
            assertEquals(Double.POSITIVE_INFINITY, l.bestPath(f).energy());
            assertEquals(Double.POSITIVE_INFINITY, l.freeEnergy(f, beta));
            return false;
        }
        Scored best = paths.stream().min(Comparator.comparingDouble(Scored::energy)).orElseThrow();
        SegmentationGraph.Reading r = g.read(l, l.bestPath(f), K);
        assertEquals(best.energy(), r.energy(), 1e-12);
        assertArrayEquals(best.y(), r.digits());
        assertArrayEquals(best.z(), r.cuts(), "stride 1: cut indices are columns");
        assertEquals(logSumExpFree(paths.stream().map(Scored::energy).toList(), beta), l.freeEnergy(f, beta), 1e-10);
        return true;
    }

    @Test
    void minimumOverSegmentationsAndFreeEnergyEqualEnumerationForEveryAnswer() {
        SegmentationGraph g = new SegmentationGraph(WIDTH, TINY);
        assertEquals(44, segmentations(g.groups(), TINY.maxSpan()).size(), "compositions of 7 into parts of at most 3");
        int checked = 0;
        for (long seed = 1; seed <= 3; seed++) {
            double[] f = randomFactors(g, seed);
            for (int len = 1; len <= 3; len++) {
                for (int[] y : sequences(len)) {
                    // Fewer than 3 segments of at most 3 columns cannot cover 7: those answers have no path.
                    checked += matchesEnumeration(g, g.consistent(y, K), f,
                            every(g, f, TINY.maxSpan(), other -> Arrays.equals(other, y)), 0.7) ? 1 : 0;
                }
            }
        }
        assertEquals(3 * 27, checked, "every answer of 3 digits, under three seeds");
    }

    @Test
    void jointArgminAndTheFreeEnergyOfAllAnswersEqualEnumerationOverEveryPairYZ() {
        SegmentationGraph g = new SegmentationGraph(WIDTH, TINY);
        for (long seed = 4; seed <= 8; seed++) {
            double[] f = randomFactors(g, seed);
            List<Scored> paths = every(g, f, TINY.maxSpan(), y -> y.length <= TINY.maxDigits());
            assertTrue(matchesEnumeration(g, g.all(K), f, paths, 1.3));
        }
    }

    @Test
    void theIncorrectLatticeHoldsEveryOtherAnswerAndItsBestIsTheMostOffending() {
        SegmentationOptions o = SegmentationOptions.builder().window(2, 2).stride(1).maxSpan(3).digits(2, 3).build();
        SegmentationGraph g = new SegmentationGraph(WIDTH, o);
        int[] truth = {2, 0};
        for (long seed = 9; seed <= 12; seed++) {
            double[] f = randomFactors(g, seed);
            List<Scored> paths = every(g, f, o.maxSpan(), y -> y.length >= 2 && y.length <= 3
                    && !Arrays.equals(y, truth));
            assertTrue(matchesEnumeration(g, g.incorrect(truth, K), f, paths, 0.9));
        }
    }

    @Test
    void factorPosteriorsAreTheDerivativesOfTheFreeEnergy() {
        SegmentationGraph g = new SegmentationGraph(WIDTH, TINY);
        double[] f = randomFactors(g, 13);
        double beta = 1.1;
        Lattice l = g.all(K);
        double[] grad = new double[f.length];
        l.addFactorPosteriors(f, beta, 1, grad);
        double h = 1e-6;
        for (int j = 0; j < f.length; j++) {
            double keep = f[j];
            f[j] = keep + h;
            double up = l.freeEnergy(f, beta);
            f[j] = keep - h;
            double down = l.freeEnergy(f, beta);
            f[j] = keep;
            // Central differences in double: truncation O(h^2) and rounding ~1e-16 / h, both far below 1e-7.
            assertEquals((up - down) / (2 * h), grad[j], 1e-7, "factor " + j);
        }
    }

    @Test
    void largeEnergiesDoNotOverflowTheForwardAlgorithm() {
        SegmentationGraph g = new SegmentationGraph(WIDTH, TINY);
        double[] f = randomFactors(g, 14);
        double[] shifted = f.clone();
        for (int i = 0; i < f.length; i++) {
            shifted[i] += 1000;
        }
        // Every path of exactly 2 segments gains 2000: the free energy shifts by exactly that.
        Lattice l = g.consistent(new int[] {1, 2}, K);
        assertEquals(l.freeEnergy(f, 2.0) + 2000, l.freeEnergy(shifted, 2.0), 1e-9);
    }

    @Test
    void windowsAverageTheSegmentsColumnsAndRows() {
        // A 4 x 4 image with value = column: a segment of columns [1, 3) resampled to 2 x 1 averages 1 and 2.
        float[] p = new float[16];
        for (int i = 0; i < 16; i++) {
            p[i] = i % 4;
        }
        DigitString x = new DigitString(p, 4, 4, new int[] {0}, new int[] {0, 4});
        SegmentationOptions o = SegmentationOptions.builder().window(2, 1).stride(1).maxSpan(4).digits(1, 1).build();
        SegmentationGraph g = new SegmentationGraph(4, o);
        float[] w = new float[g.segments() * 2];
        g.windows(x, w, 0);
        int s = g.segment(1, 3);
        assertEquals(1.5f, w[2 * s], 1e-6f);
        assertEquals(1.5f, w[2 * s + 1], 1e-6f);
        // Upsampling a single column repeats it.
        int one = g.segment(2, 3);
        assertEquals(2f, w[2 * one], 1e-6f);
    }

    @Test
    void aLatticeOutOfOrderIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Lattice(3, new int[] {1, 0}, new int[] {2, 1}, new int[] {0, 0}));
        assertTrue(e.getMessage().contains("sources non-decreasing"), e.getMessage());
    }

    /**
     * The share of source interval [p, p + 1) in output cell o of m over n source cells: the length of
     * [p, p + 1) inside [o n / m, (o + 1) n / m), over the cell's length n / m (exact in rationals, then divided).
     */
    private static double share(int n, int m, int o, int p) {
        double lo = Math.max((double) o * n / m, p);
        double hi = Math.min((double) (o + 1) * n / m, p + 1);
        return hi > lo ? (hi - lo) * m / n : 0;
    }

    @Test
    void everyWindowIsTheAreaAverageOfItsSegmentAtEveryShape() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        int[][] shapes = {{5, 11, 3, 2, 3, 4}, {6, 10, 4, 3, 2, 5}, {3, 9, 7, 1, 4, 2}};  // H, W, oh, ow, stride, maxSpan
        for (int[] sh : shapes) {
            int h = sh[0];
            int width = sh[1];
            float[] px = new float[h * width];
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) r.nextDouble();
            }
            SegmentationOptions o = SegmentationOptions.builder().window(sh[2], sh[3]).stride(sh[4]).maxSpan(sh[5])
                    .digits(1, 2).build();
            SegmentationGraph g = new SegmentationGraph(width, o);
            assertEquals((width + sh[4] - 1) / sh[4], g.groups());
            float[] out = new float[3 + g.segments() * sh[2] * sh[3]];
            java.util.Arrays.fill(out, Float.NaN);
            g.windows(new DigitString(px, h, width, new int[] {0}, new int[] {0, width}), out, 3);
            int seen = 0;
            for (int i = 0; i <= g.groups(); i++) {
                for (int j = 0; j <= g.groups() + 1; j++) {
                    int seg = g.segment(i, j);
                    if (j <= i || j > g.groups() || j - i > sh[5]) {
                        assertEquals(-1, seg, "no segment " + i + ".." + j);
                        continue;
                    }
                    seen++;
                    int c0 = Math.min(i * sh[4], width);
                    int len = Math.min(j * sh[4], width) - c0;
                    assertEquals(c0, g.cut(i));
                    for (int or = 0; or < sh[2]; or++) {
                        for (int oc = 0; oc < sh[3]; oc++) {
                            double want = 0;
                            for (int sr = 0; sr < h; sr++) {
                                for (int sc = 0; sc < len; sc++) {
                                    want += share(h, sh[2], or, sr) * share(len, sh[3], oc, sc) * px[sr * width + c0 + sc];
                                }
                            }
                            assertEquals(want, out[3 + (seg * sh[2] + or) * sh[3] + oc], 1e-5,
                                    "segment " + i + ".." + j + " cell " + or + "," + oc);
                        }
                    }
                }
            }
            assertEquals(g.segments(), seen, "every segment of 1..maxSpan groups exists");
            assertEquals(-1, g.segment(-1, 1));
            for (int k = 0; k < 3; k++) {
                assertTrue(Float.isNaN(out[k]), "nothing is written before the offset");
            }
        }
    }

    @Test
    void snapMovesEachCutToTheNearestCandidate() {
        // 10 columns, a cut every 4: candidates 0, 4, 8 and the end 10; segments up to 2 strides
        SegmentationOptions o = SegmentationOptions.builder().window(2, 2).stride(4).maxSpan(2).digits(1, 3).build();
        SegmentationGraph g = new SegmentationGraph(10, o);
        assertEquals(3, g.groups());
        assertArrayEquals(new int[] {0, 4, 8, 10}, new int[] {g.cut(0), g.cut(1), g.cut(2), g.cut(3)});
        // 1 -> 0, 5 -> 4, 7 -> 8, 12 (past the end) -> 10; a half-way column (2, 6) rounds up
        assertArrayEquals(new int[] {g.segment(0, 1), g.segment(1, 2), g.segment(2, 3)},
                g.snap(new int[] {1, 5, 7, 12}));
        assertArrayEquals(new int[] {g.segment(1, 2), g.segment(2, 3)}, g.snap(new int[] {2, 6, 10}));
        // a column before the end but nearer it than any cut: 9 is 1 from both 8 and 10 and goes to 8 (9/4 rounds to 2)
        assertArrayEquals(new int[] {g.segment(0, 2), g.segment(2, 3)}, g.snap(new int[] {0, 9, 10}));
        // an empty snapped segment, and one wider than the graph allows
        assertArrayEquals(new int[] {-1, g.segment(0, 2)}, g.snap(new int[] {0, 1, 7}));
        assertArrayEquals(new int[] {-1}, g.snap(new int[] {0, 10}));
        // the last column is the last candidate even where it is nearer the cut before it (9 of 0, 4, 8, 9)
        SegmentationGraph nine = new SegmentationGraph(9, o.toBuilder().maxSpan(3).build());
        assertArrayEquals(new int[] {nine.segment(0, 3)}, nine.snap(new int[] {0, 9}));
        assertEquals("an image needs >= 1 columns, found 0", assertThrows(IllegalArgumentException.class,
                () -> new SegmentationGraph(0, o)).getMessage());
        assertEquals(1, new SegmentationGraph(1, o).groups());
        assertEquals("the graph is for 10 columns, the image has 9", assertThrows(IllegalArgumentException.class,
                () -> g.windows(new DigitString(new float[9], 1, 9, new int[] {0}, new int[] {0, 9}), new float[100], 0))
                .getMessage());
    }
}
