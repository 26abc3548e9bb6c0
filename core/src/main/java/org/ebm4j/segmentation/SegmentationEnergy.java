package org.ebm4j.segmentation;

import java.util.ArrayList;
import java.util.List;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.tensor.Tensor;

/**
 * The energy of the latent-segmentation recognizer:
 * <pre>
 *   E(x, y, z) = sum over the segments s of path z of F(window(x, s), y_s)
 *   F(x, y)    = min_z E(x, y, z)                         (or -(1/beta) log sum_z exp(-beta E), the free energy)
 *   (y*, z*)   = argmin_{y, z} E(x, y, z)
 * </pre>
 * where {@code F(window, digit)} is a {@link ConditionalEnergy} over the segment's window resampled to a
 * fixed size, evaluated for every segment of a batch of images in one forward pass, and the minima and
 * sums over paths are dynamic programmes on a {@link SegmentationGraph}'s lattices. Not thread-safe.
 *
 * @param segment the segment energy {@code F(window, digit)}
 * @param options the segmentation graph's settings
 */
public record SegmentationEnergy(ConditionalEnergy segment, SegmentationOptions options) implements AutoCloseable {
    /** Images per forward pass of the segment network during inference. */
    static final int INFERENCE_CHUNK = 16;

    /**
     * @param segment the segment energy {@code F(window, digit)} (owned: closed with this) over
     *                {@code options.windowSize()} inputs, its answers the digits
     * @param options the segmentation graph's settings
     */
    public SegmentationEnergy {
        if (segment.inputs() != options.windowSize()) {
            throw new IllegalArgumentException("the segment energy must take " + options.windowHeight() + " x "
                    + options.windowWidth() + " = " + options.windowSize() + " inputs, found " + segment.inputs());
        }
    }

    /** {@code K}, the digits a segment may be read as. */
    public int answers() {
        return segment.answers();
    }

    /** The segmentation graph of {@code x}. */
    public SegmentationGraph graph(DigitString x) {
        return new SegmentationGraph(x.width(), options);
    }

    /** Every segment's window of every image, one after another: {@code sum segments x windowSize}. */
    public Tensor windows(List<DigitString> xs, List<SegmentationGraph> graphs) {
        int rows = 0;
        for (SegmentationGraph g : graphs) {
            rows += g.segments();
        }
        float[] w = new float[rows * options.windowSize()];
        for (int i = 0, at = 0; i < xs.size(); i++) {
            graphs.get(i).windows(xs.get(i), w, at * options.windowSize());
            at += graphs.get(i).segments();
        }
        return segment.joint().backend().fromArray(w, rows, options.windowSize());
    }

    /** The factors of {@code x}'s lattices, laid out {@code segment K + digit}. */
    public double[] factors(DigitString x) {
        SegmentationGraph g = graph(x);
        try (Tensor w = windows(List.of(x), List.of(g))) {
            return segment.energies(w);
        }
    }

    /** {@code F(x, y) = min_z E(x, y, z)}; {@code +infinity} when no segmentation of the graph fits {@code y}. */
    public double energy(DigitString x, int[] y) {
        return graph(x).consistent(y, answers()).bestPath(factors(x)).energy();
    }

    /** {@code -(1/beta) log sum_z exp(-beta E(x, y, z))}, or over every answer and segmentation when {@code y} is null. */
    public double freeEnergy(DigitString x, int[] y, double beta) {
        SegmentationGraph g = graph(x);
        Lattice l = y == null ? g.all(answers()) : g.consistent(y, answers());
        return l.freeEnergy(factors(x), beta);
    }

    /** {@code (y*, z*) = argmin_{y, z} E(x, y, z)} for every image, by min-sum on the lattice of all answers. */
    public List<SegmentationGraph.Reading> infer(List<DigitString> xs) {
        List<SegmentationGraph.Reading> out = new ArrayList<>(xs.size());
        forEachChunk(xs, (g, f) -> {
            Lattice all = g.all(answers());
            out.add(g.read(all, all.bestPath(f), answers()));
        });
        return out;
    }

    /**
     * The reading when the true segmentation is given ({@link DigitString#cuts()} moved to the nearest
     * candidate cuts): each segment's {@code argmin_digit F}; a segment the graph lacks reads as -1.
     */
    public List<int[]> readGivenSegmentation(List<DigitString> xs) {
        List<int[]> out = new ArrayList<>(xs.size());
        int[] index = {0};
        forEachChunk(xs, (g, f) -> {
            int[] segs = g.snap(xs.get(index[0]++).cuts());
            int[] digits = new int[segs.length];
            for (int s = 0; s < segs.length; s++) {
                digits[s] = segs[s] < 0 ? -1 : argmin(f, segs[s] * answers(), answers());
            }
            out.add(digits);
        });
        return out;
    }

    private static int argmin(double[] f, int from, int k) {
        int best = 0;
        for (int d = 1; d < k; d++) {
            if (f[from + d] < f[from + best]) {
                best = d;
            }
        }
        return best;
    }

    /** Receives one image's graph and factors. */
    interface PerImage {
        void accept(SegmentationGraph graph, double[] factors);
    }

    // The factors of every image, INFERENCE_CHUNK images per forward pass, handed over in order.
    void forEachChunk(List<DigitString> xs, PerImage each) {
        for (int from = 0; from < xs.size(); from += INFERENCE_CHUNK) {
            List<DigitString> chunk = xs.subList(from, Math.min(xs.size(), from + INFERENCE_CHUNK));
            List<SegmentationGraph> graphs = chunk.stream().map(this::graph).toList();
            double[] f;
            try (Tensor w = windows(chunk, graphs)) {
                f = segment.energies(w);
            }
            int at = 0;
            for (SegmentationGraph g : graphs) {
                int n = g.segments() * answers();
                each.accept(g, java.util.Arrays.copyOfRange(f, at, at + n));
                at += n;
            }
        }
    }

    @Override
    public void close() {
        segment.close();
    }
}
