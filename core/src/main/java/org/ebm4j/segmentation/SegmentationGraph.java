package org.ebm4j.segmentation;

import java.util.Arrays;

/**
 * The segmentation graph of one image {@code width} columns wide: candidate cuts every
 * {@link SegmentationOptions#stride()} columns (and at the end), {@code G} groups between them, and a
 * segment for every run of 1 to {@link SegmentationOptions#maxSpan()} groups. With {@code K} answers per
 * segment, the factors of a {@link Lattice} over this graph are laid out {@code segment K + digit}: the
 * segment network's energy of the segment's window read as that digit.
 *
 * <p>A segmentation {@code z} is a path of segments from column 0 to the last; the lattices it builds are
 * compositions of that graph with an acceptor of digit sequences (graph transformer networks in
 * miniature): {@link #consistent} holds the paths read as {@code y}, {@link #all} every path read as
 * every answer of an allowed length, {@link #incorrect} every one whose reading differs from {@code y}.
 */
public final class SegmentationGraph {
    private final SegmentationOptions options;
    private final int width;
    private final int groups;
    private final int[] first;
    private final int[] last;
    private final int[] index;

    /** A path read as digits: the digit sequence, its cuts in columns, and the path's energy. */
    public record Reading(int[] digits, int[] cuts, double energy) {
    }

    public SegmentationGraph(int width, SegmentationOptions options) {
        if (width < 1) {
            throw new IllegalArgumentException("an image needs >= 1 columns, found " + width);
        }
        this.options = options;
        this.width = width;
        this.groups = (width + options.stride() - 1) / options.stride();
        int n = 0;
        this.index = new int[(groups + 1) * (groups + 1)];
        Arrays.fill(index, -1);
        for (int i = 0; i < groups; i++) {
            for (int j = i + 1; j <= Math.min(groups, i + options.maxSpan()); j++) {
                index[i * (groups + 1) + j] = n++;
            }
        }
        this.first = new int[n];
        this.last = new int[n];
        for (int i = 0; i < groups; i++) {
            for (int j = i + 1; j <= Math.min(groups, i + options.maxSpan()); j++) {
                first[index[i * (groups + 1) + j]] = i;
                last[index[i * (groups + 1) + j]] = j;
            }
        }
    }

    /** {@code G}, the groups of columns between neighbouring candidate cuts. */
    public int groups() {
        return groups;
    }

    /** The number of segments. */
    public int segments() {
        return first.length;
    }

    /** The column of candidate cut {@code g} in [0, G]. */
    public int cut(int g) {
        return Math.min(g * options.stride(), width);
    }

    /** The segment from cut {@code i} to cut {@code j}, or -1 when the graph has none. */
    public int segment(int i, int j) {
        return i < 0 || j > groups || i >= j ? -1 : index[i * (groups + 1) + j];
    }

    /**
     * Every segment's window of {@code image} resampled to {@code windowHeight x windowWidth} by area
     * averaging, at {@code out[offset + s windowSize ..]}.
     */
    public void windows(DigitString image, float[] out, int offset) {
        if (image.width() != width) {
            throw new IllegalArgumentException("the graph is for " + width + " columns, the image has " + image.width());
        }
        int oh = options.windowHeight();
        int ow = options.windowWidth();
        double[] rowWeights = areaWeights(image.height(), oh);
        // The rows are resampled once for the whole image; each segment then only resamples its columns.
        double[] rows = new double[oh * width];
        for (int r = 0; r < oh; r++) {
            for (int sr = 0; sr < image.height(); sr++) {
                double wgt = rowWeights[r * image.height() + sr];
                if (wgt != 0) {
                    for (int c = 0; c < width; c++) {
                        rows[r * width + c] += wgt * image.pixels()[sr * width + c];
                    }
                }
            }
        }
        for (int s = 0; s < segments(); s++) {
            int c0 = cut(first[s]);
            int len = cut(last[s]) - c0;
            double[] colWeights = areaWeights(len, ow);
            int at = offset + s * oh * ow;
            for (int r = 0; r < oh; r++) {
                for (int c = 0; c < ow; c++) {
                    double v = 0;
                    for (int sc = 0; sc < len; sc++) {
                        v += colWeights[c * len + sc] * rows[r * width + c0 + sc];
                    }
                    out[at + r * ow + c] = (float) v;
                }
            }
        }
    }

    // w[o n + p]: the share of source cell p in output cell o when n cells are resampled to m (rows sum to 1).
    static double[] areaWeights(int n, int m) {
        double[] w = new double[m * n];
        double step = (double) n / m;
        for (int o = 0; o < m; o++) {
            double a = o * step;
            double b = a + step;
            for (int p = (int) Math.floor(a); p < Math.min(n, (int) Math.ceil(b)); p++) {
                w[o * n + p] = (Math.min(b, p + 1) - Math.max(a, p)) / step;
            }
        }
        return w;
    }

    /** The paths read as exactly {@code y}. */
    public Lattice consistent(int[] y, int answers) {
        int len = y.length;
        return compose(answers, new Acceptor() {
            public int states() {
                return len + 1;
            }

            public int next(int state, int digit) {
                return state < len && y[state] == digit ? state + 1 : -1;
            }

            public boolean accepts(int state) {
                return state == len;
            }
        });
    }

    /** Every path read as every digit sequence of an allowed length. */
    public Lattice all(int answers) {
        int min = options.minDigits();
        int max = options.maxDigits();
        return compose(answers, new Acceptor() {
            public int states() {
                return max + 1;
            }

            public int next(int count, int digit) {
                return count < max ? count + 1 : -1;
            }

            public boolean accepts(int count) {
                return count >= min;
            }
        });
    }

    /**
     * Every path read as a digit sequence of an allowed length other than {@code y}: states {@code 0..L} for
     * a reading that still agrees with a prefix of {@code y} of that length, {@code L + c} for one that
     * has departed from it after {@code c} digits.
     */
    public Lattice incorrect(int[] y, int answers) {
        int len = y.length;
        int min = options.minDigits();
        int max = options.maxDigits();
        return compose(answers, new Acceptor() {
            public int states() {
                return len + 1 + max;
            }

            public int next(int state, int digit) {
                int count = state <= len ? state : state - len;
                if (state < len && y[state] == digit) {
                    return state + 1;
                }
                return count < max ? len + count + 1 : -1;
            }

            public boolean accepts(int state) {
                int count = state <= len ? state : state - len;
                return count >= min && state != len;
            }
        });
    }

    // A deterministic acceptor of digit sequences, starting in state 0; next returns -1 to reject.
    private interface Acceptor {
        int states();

        int next(int state, int digit);

        boolean accepts(int state);
    }

    // The product of the segmentation graph with an acceptor: node g A + a, and a last node for the end.
    private Lattice compose(int answers, Acceptor acceptor) {
        int a = acceptor.states();
        int end = (groups + 1) * a;
        IntList from = new IntList();
        IntList to = new IntList();
        IntList factor = new IntList();
        for (int g = 0; g < groups; g++) {
            for (int state = 0; state < a; state++) {
                for (int j = g + 1; j <= Math.min(groups, g + options.maxSpan()); j++) {
                    for (int d = 0; d < answers; d++) {
                        int next = acceptor.next(state, d);
                        if (next >= 0) {
                            from.add(g * a + state);
                            to.add(j * a + next);
                            factor.add(segment(g, j) * answers + d);
                        }
                    }
                }
            }
        }
        for (int state = 0; state < a; state++) {
            if (acceptor.accepts(state)) {
                from.add(groups * a + state);
                to.add(end);
                factor.add(-1);
            }
        }
        return new Lattice(end + 1, from.toArray(), to.toArray(), factor.toArray());
    }

    /** The digits and cuts (in columns) a path of a lattice built here reads. */
    public Reading read(Lattice lattice, Lattice.Path path, int answers) {
        IntList digits = new IntList();
        IntList cuts = new IntList();
        cuts.add(0);
        for (int e : path.edges()) {
            int f = lattice.factor(e);
            if (f >= 0) {
                digits.add(f % answers);
                cuts.add(cut(last[f / answers]));
            }
        }
        return new Reading(digits.toArray(), cuts.toArray(), path.energy());
    }

    /**
     * The segments of a segmentation given in columns ({@code cuts[0] = 0 .. cuts[L] = width}), each cut
     * moved to the nearest candidate cut; an entry is -1 where the snapped segment is empty or wider than
     * the graph allows.
     */
    public int[] snap(int[] cuts) {
        int[] s = new int[cuts.length - 1];
        for (int i = 0; i < s.length; i++) {
            s[i] = segment(nearestCut(cuts[i]), nearestCut(cuts[i + 1]));
        }
        return s;
    }

    private int nearestCut(int column) {
        return column >= width ? groups : Math.min(groups, Math.round((float) column / options.stride()));
    }

    // A growable int array (the lattices' edge lists).
    private static final class IntList {
        private int[] a = new int[64];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, 2 * n);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
