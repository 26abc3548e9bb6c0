package org.ebm4j.conditional;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.train.TrainingListener;
import org.junit.jupiter.api.Test;

class CollapseTest {
    static final int K = 3;
    static final int N = 150;

    // Three well-separated Gaussian blobs in the plane (centres on a circle of radius 2, sd 0.4): a
    // problem any of the losses with a contrastive term solves.
    static float[] blobs(int[] labels) {
        java.util.Random r = new java.util.Random(17);
        float[] x = new float[2 * N];
        for (int i = 0; i < N; i++) {
            labels[i] = i % K;
            double a = 2 * Math.PI * labels[i] / K;
            x[2 * i] = (float) (2 * Math.cos(a) + 0.4 * r.nextGaussian());
            x[2 * i + 1] = (float) (2 * Math.sin(a) + 0.4 * r.nextGaussian());
        }
        return x;
    }

    record Outcome(double error, double meanGap, double meanSpread, double meanEnergy) {
    }

    static Outcome train(String loss) {
        Backend b = new ReferenceBackend();
        int[] labels = new int[N];
        float[] xs = blobs(labels);
        ConditionalOptions o = ConditionalOptions.builder().loss(loss).margin(1).layers("16:softplus")
                .learningRate(0.02).momentum(0.9).weightDecay(1e-4).epochs(30).batchSize(25).seed(3).build();
        EnergyNetwork net = new EnergyNetwork(b, 2 + K, o.layers(), o.visiblePrecision());
        net.initialize(StreamId.CONDITIONAL_INIT.open(o.seed()), o.weightScale(), o.initialScale());
        try (ConditionalEnergy f = ConditionalEnergy.of(net, 2, K);
             Tensor x = b.fromArray(xs, N, 2);
             ConditionalTrainer t = new ConditionalTrainer(f, x, labels, o)) {
            t.train(java.util.List.<TrainingListener>of());
            double[] e = f.energies(x);
            int[] guess = f.infer(x);
            int wrong = 0;
            double gap = 0;
            double spread = 0;
            for (int i = 0; i < N; i++) {
                wrong += guess[i] != labels[i] ? 1 : 0;
                double other = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                double lo = Double.POSITIVE_INFINITY;
                for (int y = 0; y < K; y++) {
                    double v = e[i * K + y];
                    hi = Math.max(hi, v);
                    lo = Math.min(lo, v);
                    if (y != labels[i]) {
                        other = Math.min(other, v);
                    }
                }
                gap += other - e[i * K + labels[i]];
                spread += hi - lo;
            }
            return new Outcome((double) wrong / N, gap / N, spread / N, java.util.Arrays.stream(e).average().orElse(0));
        }
    }

    /**
     * The lecture's claim on one architecture (a joint network over {@code [x | onehot(y)]}, nothing in it
     * ties the answers' energies together): the energy loss only pushes the correct answer down, has no
     * minimum, and takes every answer down with it; the perceptron loss stops as soon as the correct
     * answer is lowest, leaving a nearly flat surface; the hinge loss is zero only once every incorrect
     * answer sits {@code m} above the correct one.
     */
    @Test
    void zeroMarginLossesCollapseOrFlattenWhereTheHingeOpensItsMargin() {
        double m = 1;
        Outcome hinge = train("hinge");
        assertTrue(hinge.error() < 0.05, "hinge training error " + hinge.error());
        assertTrue(hinge.meanGap() > m / 2, "hinge: mean gap to the most offending answer " + hinge.meanGap());
        assertTrue(Math.abs(hinge.meanEnergy()) < 10, "hinge energies stay bounded: " + hinge.meanEnergy());

        Outcome energy = train("energy");
        // Collapse: the energies run off to minus infinity together; the differences between answers are a
        // vanishing fraction of their size, so the answers are no longer told apart by the surface's shape.
        assertTrue(energy.meanEnergy() < -1e3, "energy loss: mean energy " + energy.meanEnergy());
        assertTrue(energy.meanSpread() < 0.1 * Math.abs(energy.meanEnergy()),
                "energy loss: spread " + energy.meanSpread() + " against mean " + energy.meanEnergy());
        assertTrue(energy.error() > 5 * Math.max(hinge.error(), 0.02), "energy loss error " + energy.error());

        Outcome perceptron = train("perceptron");
        // No margin: the correct answer wins by a hair, the surface stays nearly flat.
        assertTrue(perceptron.meanGap() < m / 4, "perceptron: mean gap " + perceptron.meanGap());
        assertTrue(perceptron.meanSpread() < hinge.meanSpread() / 4,
                "perceptron spread " + perceptron.meanSpread() + " against the hinge's " + hinge.meanSpread());
    }
}
