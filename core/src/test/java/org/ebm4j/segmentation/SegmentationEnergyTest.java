package org.ebm4j.segmentation;

import static org.ebm4j.segmentation.SegmentationGraphTest.K;
import static org.ebm4j.segmentation.SegmentationGraphTest.TINY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.conditional.LatentReduction;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * The recognizer's inference on 20 strings of 3 to 7 columns (two chunks of the batched forward pass)
 * against enumeration of every segmentation and reading of each string's own factors.
 */
class SegmentationEnergyTest {

    private static SegmentationEnergy energy(Backend b) {
        int inputs = TINY.windowSize();
        EnergyNetwork net = new EnergyNetwork(b, ConditionalEnergy.Encoding.BLOCK.jointColumns(inputs, K, 0),
                List.of(new EnergyNetwork.Layer(5, Activation.SOFTPLUS)), 0.1);
        net.initialize(StreamId.SEGMENTATION_INIT.open(6), 1.5, 0.5);
        return new SegmentationEnergy(new ConditionalEnergy(net, ConditionalEnergy.Encoding.BLOCK, inputs, K, 0,
                LatentReduction.minimum()), TINY);
    }

    private static List<DigitString> strings(int n) {
        SplittableRandom r = new SplittableRandom(12);
        List<DigitString> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int width = 3 + r.nextInt(5);
            float[] p = new float[3 * width];
            for (int j = 0; j < p.length; j++) {
                p[j] = (float) r.nextDouble();
            }
            // as many digits as segments of at most 3 columns can cover, or more (up to 3)
            int digits = Math.max((width + 2) / 3, 1 + r.nextInt(3));
            int[] cuts = new int[digits + 1];
            cuts[digits] = width;
            for (int s = 1; s < digits; s++) {  // interior cuts, increasing, leaving room for the rest
                cuts[s] = cuts[s - 1] + 1 + r.nextInt(width - cuts[s - 1] - (digits - s));
            }
            int[] y = new int[digits];
            for (int s = 0; s < digits; s++) {
                y[s] = r.nextInt(K);
            }
            out.add(new DigitString(p, 3, width, y, cuts));
        }
        return out;
    }

    @Test
    void inferenceEnergiesAndGivenSegmentationReadingsEqualEnumeration() {
        Backend b = new ReferenceBackend();
        List<DigitString> xs = strings(20);
        try (SegmentationEnergy e = energy(b)) {
            List<SegmentationGraph.Reading> read = e.infer(xs);
            List<int[]> given = e.readGivenSegmentation(xs);
            assertEquals(20, read.size());
            int withY = 0;
            for (int i = 0; i < xs.size(); i++) {
                DigitString x = xs.get(i);
                SegmentationGraph g = e.graph(x);
                double[] f = e.factors(x);
                List<SegmentationGraphTest.Scored> all = SegmentationGraphTest.every(g, f, TINY.maxSpan(),
                        y -> y.length >= TINY.minDigits() && y.length <= TINY.maxDigits());
                SegmentationGraphTest.Scored best = all.stream().min(Comparator.comparingDouble(
                        SegmentationGraphTest.Scored::energy)).orElseThrow();
                assertArrayEquals(best.y(), read.get(i).digits(), "string " + i);
                assertArrayEquals(best.z(), read.get(i).cuts(), "string " + i + " (stride 1: cut indices are columns)");
                assertEquals(best.energy(), read.get(i).energy(), 1e-9);
                double beta = 1.5;
                assertEquals(SegmentationGraphTest.logSumExpFree(all.stream().map(SegmentationGraphTest.Scored::energy)
                        .toList(), beta), e.freeEnergy(x, null, beta), 1e-9);
                List<Double> asY = all.stream().filter(s -> java.util.Arrays.equals(s.y(), x.digits()))
                        .map(SegmentationGraphTest.Scored::energy).toList();
                if (asY.isEmpty()) {  // no segmentation of this width has as many segments as x has digits
                    assertEquals(Double.POSITIVE_INFINITY, e.energy(x, x.digits()));
                    assertEquals(Double.POSITIVE_INFINITY, e.freeEnergy(x, x.digits(), beta));
                } else {
                    withY++;
                    assertEquals(asY.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                            e.energy(x, x.digits()), 1e-9);
                    assertEquals(SegmentationGraphTest.logSumExpFree(asY, beta), e.freeEnergy(x, x.digits(), beta), 1e-9);
                }
                // stride 1: the true cuts are candidate cuts; each segment reads as its lowest-energy digit
                int[] cuts = x.cuts();
                int[] want = new int[cuts.length - 1];
                for (int s = 0; s < want.length; s++) {
                    int seg = g.segment(cuts[s], cuts[s + 1]);
                    if (seg < 0) {
                        want[s] = -1;
                        continue;
                    }
                    for (int d = 1; d < K; d++) {
                        want[s] = f[seg * K + d] < f[seg * K + want[s]] ? d : want[s];
                    }
                }
                assertArrayEquals(want, given.get(i), "string " + i);
            }
            assertTrue(withY > 10, "most strings have a segmentation of their length: " + withY);
        }
    }
}
