package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.ebm4j.data.Dataset;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class ContrastiveDivergenceObjectiveTest {
    static final int NV = 5;
    static final int NH = 3;

    static Rbm randomRbm(Backend b, long seed) {
        Random r = new Random(seed);
        float[] w = new float[NV * NH];
        float[] vb = new float[NV];
        float[] hb = new float[NH];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (1.2 * r.nextGaussian());
        }
        for (int i = 0; i < NV; i++) {
            vb[i] = (float) (0.5 * r.nextGaussian());
        }
        for (int j = 0; j < NH; j++) {
            hb[j] = (float) (0.5 * r.nextGaussian());
        }
        return Rbm.of(b, new RbmParameters(VisibleType.BERNOULLI, NV, NH, w, vb, hb));
    }

    static double[] randomDistribution(Random r, int n) {
        double[] p = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            p[i] = r.nextDouble() < 0.3 ? 0 : -Math.log(r.nextDouble());
            s += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= s;
        }
        return p;
    }

    @Test
    void theModelsOwnDistributionIsAFixedPointWithZeroObjective() {
        Backend b = new ReferenceBackend();
        try (Rbm rbm = randomRbm(b, 1)) {
            double[] q = ContrastiveDivergenceObjective.exact(rbm, uniform()).model();
            ContrastiveDivergenceObjective o = ContrastiveDivergenceObjective.exact(rbm, q);
            assertEquals(0, o.klData(), 1e-12);
            assertEquals(0, o.klOneStep(), 1e-12);
            // Q_inf is stationary under the Gibbs step.
            assertArrayEquals(q, o.oneStep(), 1e-12);
        }
    }

    static double[] uniform() {
        double[] p = new double[1 << NV];
        java.util.Arrays.fill(p, 1.0 / p.length);
        return p;
    }

    @Test
    void oneGibbsStepNeverMovesAwayFromEquilibrium() {
        Backend b = new ReferenceBackend();
        Random r = new Random(2);
        for (int trial = 0; trial < 10; trial++) {
            try (Rbm rbm = randomRbm(b, 10 + trial)) {
                ContrastiveDivergenceObjective o = ContrastiveDivergenceObjective.exact(rbm,
                        randomDistribution(r, 1 << NV));
                double mass = 0;
                for (double x : o.oneStep()) {
                    mass += x;
                }
                assertEquals(1, mass, 1e-12, "Q_1 is a distribution");
                assertTrue(o.klOneStep() <= o.klData() + 1e-12, "data processing: " + o);
                assertTrue(o.value() > 0, "trial " + trial + ": " + o.value());
            }
        }
    }

    @Test
    void klToTheDataAgreesWithTheExactLogPartitionFunction() {
        Backend b = new ReferenceBackend();
        Random r = new Random(3);
        double[] p = randomDistribution(r, 1 << NV);
        try (Rbm rbm = randomRbm(b, 4)) {
            ContrastiveDivergenceObjective o = ContrastiveDivergenceObjective.exact(rbm, p);
            // KL(P || Q) = sum P log P + sum P F(v) + log Z, with F and log Z from the RBM's own code (float).
            float[] states = new float[(1 << NV) * NV];
            for (int s = 0; s < 1 << NV; s++) {
                for (int i = 0; i < NV; i++) {
                    states[s * NV + i] = (s >>> i & 1);
                }
            }
            double[] f;
            try (Tensor v = b.fromArray(states, 1 << NV, NV)) {
                f = FreeEnergies.values(rbm, v);
            }
            double expected = ExactLogPartition.compute(rbm);
            for (int s = 0; s < p.length; s++) {
                if (p[s] > 0) {
                    expected += p[s] * (Math.log(p[s]) + f[s]);
                }
            }
            assertEquals(expected, o.klData(), 1e-4);
        }
    }

    @Test
    void dataRowsBecomeTheEmpiricalDistributionAndNonBinaryRowsAreRefused() {
        Backend b = new ReferenceBackend();
        try (Rbm rbm = randomRbm(b, 5)) {
            float[] rows = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1};
            ContrastiveDivergenceObjective fromRows = ContrastiveDivergenceObjective.exact(rbm,
                    Dataset.of("three rows", 3, NV, rows));
            double[] p = new double[1 << NV];
            p[1] = 2.0 / 3;
            p[0b10110] = 1.0 / 3;
            assertEquals(ContrastiveDivergenceObjective.exact(rbm, p).value(), fromRows.value(), 1e-12);
            rows[4] = 0.5f;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ContrastiveDivergenceObjective.exact(rbm, Dataset.of("grey", 3, NV, rows)));
            assertTrue(e.getMessage().contains("binary"), e.getMessage());
        }
    }
}
