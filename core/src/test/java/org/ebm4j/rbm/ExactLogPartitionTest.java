package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExactLogPartitionTest {
    private final Backend backend = new ReferenceBackend();

    /** Both enumeration directions against a direct double sum over all (v, h). */
    @ParameterizedTest
    @CsvSource({"6,4,0.7", "4,6,0.7", "5,5,1.5", "7,3,2.5"})
    void matchesDirectSumOverAllJointStates(int nv, int nh, double wStd) {
        RbmParameters p = HostRbm.random(VisibleType.BERNOULLI, nv, nh, wStd, 1.0, nv * 31L + nh);
        double direct = new HostRbm(p).logZByJointSum();
        try (Rbm rbm = Rbm.of(backend, p)) {
            double got = ExactLogPartition.compute(rbm);
            // The per-state terms are float sums of a few values: relative error ~1e-7.
            assertEquals(direct, got, 1e-5 * (1 + Math.abs(direct)), nv + "x" + nh);
        }
    }

    /** Gaussian visibles: the hidden sum against a numerical integral over v (2-D grid, h enumerated). */
    @Test
    void gaussianMatchesNumericalIntegration() {
        RbmParameters p = HostRbm.random(VisibleType.GAUSSIAN, 2, 3, 0.6, 0.5, 9);
        HostRbm host = new HostRbm(p);
        double[][] hs = HostRbm.allStates(3);
        double step = 0.02;
        double sum = 0;
        for (double x = -12; x <= 12; x += step) {
            for (double y = -12; y <= 12; y += step) {
                double[] v = {x, y};
                for (double[] h : hs) {
                    sum += Math.exp(-host.energy(v, h));
                }
            }
        }
        double integral = Math.log(sum * step * step);
        try (Rbm rbm = Rbm.of(backend, p)) {
            assertEquals(integral, ExactLogPartition.compute(rbm), 1e-6);
        }
    }

    @Test
    void refusesLayersAboveTheLimit() {
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.GAUSSIAN, 2, 26)) {
            assertFalse(ExactLogPartition.feasible(rbm));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExactLogPartition.compute(rbm));
            assertTrue(e.getMessage().contains("26 units") && e.getMessage().contains("AIS"), e.getMessage());
        }
        try (Rbm rbm = Rbm.zeros(backend, VisibleType.BERNOULLI, 30, 2)) {
            assertTrue(ExactLogPartition.feasible(rbm));
            // All-zero parameters: Z = 2^(nv + nh).
            assertEquals(32 * Math.log(2), ExactLogPartition.compute(rbm), 1e-5);
        }
    }
}
