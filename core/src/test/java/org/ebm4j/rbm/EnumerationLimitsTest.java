package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.dbm.DbmExact;
import org.ebm4j.dbm.DbmParameters;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The exact enumerations at the largest size they accept (run against a closed form where CI can afford
 * it) and at the first size they refuse, with the message naming the size and the limit.
 */
@ExtendWith(NoLeakedTensors.class)
class EnumerationLimitsTest {
    private static float[] biases(int n) {
        float[] c = new float[n];
        for (int j = 0; j < n; j++) {
            c[j] = (j % 5 - 2) * 0.25f;
        }
        return c;
    }

    /**
     * The limit of {@link ExactLogPartition} is a count of enumerated units: the smaller layer, or the
     * hidden layer under Gaussian visibles, whatever the other layer's size. 25 is feasible and 26 is
     * refused with the sizes named. (Running the enumeration at 25, {@code 2^25} states, takes about a
     * minute on the reference backend: too long for CI, so only the check is pinned here.)
     */
    @Test
    void exactLogPartitionAcceptsTwentyFiveEnumeratedUnitsAndRefusesTwentySix() {
        int n = ExactLogPartition.MAX_UNITS;
        assertEquals(25, n);
        try (Backend b = new ReferenceBackend();
             Rbm wide = Rbm.zeros(b, VisibleType.BERNOULLI, 400, n);
             Rbm gaussian = Rbm.zeros(b, VisibleType.GAUSSIAN, 1, n);
             Rbm over = Rbm.zeros(b, VisibleType.GAUSSIAN, 1, n + 1);
             Rbm square = Rbm.zeros(b, VisibleType.BERNOULLI, n + 1, n + 1)) {
            assertTrue(ExactLogPartition.feasible(wide), "400 x 25 enumerates the 25 hidden units");
            assertTrue(ExactLogPartition.feasible(gaussian));
            assertFalse(ExactLogPartition.feasible(over));
            assertFalse(ExactLogPartition.feasible(square));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExactLogPartition.compute(over));
            assertEquals("exact log Z enumerates the smaller layer, which has 26 units here; at most 25 are feasible"
                    + " (Gaussian visibles: the hidden layer is enumerated); use AIS instead", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> ExactLogPartition.compute(square));
            assertEquals("exact log Z enumerates the smaller layer, which has 26 units here; at most 25 are feasible"
                    + " (26x26); use AIS instead", e.getMessage());
        }
    }

    /**
     * A DBM's exact log Z enumerates its even layers (24 at most) and its exact likelihood the even
     * hidden layers: {1, 5, 23} is feasible (24 even units), {2, 5, 23} is refused with the count named,
     * and so is a likelihood whose even hidden layers hold 25 units.
     */
    @Test
    void exactDbmEnumerationAcceptsTwentyFourEvenUnitsAndRefusesTwentyFive() {
        assertEquals(24, DbmExact.MAX_EVEN_UNITS);
        assertTrue(DbmExact.feasible(DbmParameters.zeros(new int[] {1, 5, 23})));
        DbmParameters over = DbmParameters.zeros(new int[] {2, 5, 23});
        assertFalse(DbmExact.feasible(over));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DbmExact.logPartition(over));
        assertEquals("exact log Z enumerates the even layers' 25 units; at most 24 are feasible (use AIS)",
                e.getMessage());
        DbmParameters deep = DbmParameters.zeros(new int[] {1, 1, 25});
        e = assertThrows(IllegalArgumentException.class, () -> DbmExact.logLikelihoods(deep, new float[] {1}, 1));
        assertEquals("exact log p(v) enumerates the even hidden layers' 25 units; at most 24 are feasible",
                e.getMessage());
    }

    /**
     * At {@code nv + nh = 20} (1 visible, 19 hidden) with {@code W = 0} the hidden layer carries nothing
     * about the data, so one Gibbs step lands on the model's own marginal: {@code Q_1 = Q_inf =
     * (1 - sigmoid(b), sigmoid(b))}, {@code KL(Q_1 || Q_inf) = 0} and {@code KL(P || Q_inf) = sum_v P(v)
     * log(P(v) / Q_inf(v))}. 1e-9: sums of 2^19 positive double terms.
     */
    @Test
    void exactCdObjectiveEnumeratesTwentyUnitsAndRefusesTwentyOne() {
        int nh = ContrastiveDivergenceObjective.MAX_UNITS - 1;
        float bias = 0.7f;
        double q1 = 1 / (1 + Math.exp(-bias));
        double[] p = {0.2, 0.8};
        double want = p[0] * Math.log(p[0] / (1 - q1)) + p[1] * Math.log(p[1] / q1);
        try (Backend b = new ReferenceBackend();
             Rbm rbm = Rbm.of(b, new RbmParameters(VisibleType.BERNOULLI, 1, nh, new float[nh], new float[] {bias},
                     biases(nh)));
             Rbm over = Rbm.zeros(b, VisibleType.BERNOULLI, 1, nh + 1)) {
            ContrastiveDivergenceObjective o = ContrastiveDivergenceObjective.exact(rbm, p);
            assertArrayEquals(new double[] {1 - q1, q1}, o.model(), 1e-9);
            assertArrayEquals(new double[] {1 - q1, q1}, o.oneStep(), 1e-9);
            assertEquals(0, o.klOneStep(), 1e-9);
            assertEquals(want, o.klData(), 1e-9);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ContrastiveDivergenceObjective.exact(over, p));
            assertEquals("the exact CD objective enumerates every state: 1 + 20 units is more than the 20 it allows",
                    e.getMessage());
        }
    }
}
