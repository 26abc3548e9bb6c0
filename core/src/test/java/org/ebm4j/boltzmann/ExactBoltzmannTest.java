package org.ebm4j.boltzmann;

import static org.ebm4j.testing.HostArrays.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.eval.LogSumExp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The enumeration against the definitions: Gray-code energies against direct ones, log Z against a
 * naive sum, marginals, and the exact gradient against central finite differences of the exact
 * log-likelihood.
 */
class ExactBoltzmannTest {

    private static ExactBoltzmann machine(int n, int visible, UnitValues units, long seed) {
        return new ExactBoltzmann(toDouble(RandomNetworks.symmetricWeights(n, 0.8, seed)),
                toDouble(RandomNetworks.gaussianVector(n, 0.5, seed + 1)), visible, units);
    }

    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void grayCodeEnergiesAndLogPartitionMatchTheDefinition(UnitValues units) {
        int n = 9;
        ExactBoltzmann m = machine(n, 4, units, 11);
        double[] p = m.stateProbabilities();
        double[] neg = new double[1 << n];
        for (int k = 0; k < neg.length; k++) {
            neg[k] = -m.energy(m.state(k));
        }
        double logZ = LogSumExp.of(neg);
        assertEquals(logZ, m.logPartition(), 1e-10);
        double total = 0;
        for (int k = 0; k < p.length; k++) {
            assertEquals(Math.exp(neg[k] - logZ), p[k], 1e-12, "state " + k);
            total += p[k];
        }
        assertEquals(1.0, total, 1e-12);
    }

    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void visibleMarginalSumsOutTheHiddenUnits(UnitValues units) {
        int n = 8;
        int visible = 5;
        ExactBoltzmann m = machine(n, visible, units, 21);
        double[] p = m.stateProbabilities();
        double[] pv = m.visibleProbabilities();
        for (int v = 0; v < pv.length; v++) {
            double sum = 0;
            for (int h = 0; h < (1 << (n - visible)); h++) {
                sum += p[v | (h << visible)];
            }
            assertEquals(sum, pv[v], 1e-12);
            double[] vec = new double[visible];
            for (int i = 0; i < visible; i++) {
                vec[i] = ((v >> i) & 1) != 0 ? units.high() : units.low();
            }
            assertEquals(Math.log(sum), m.logProbabilityOfVisible(vec), 1e-10);
        }
    }

    @ParameterizedTest
    @EnumSource(UnitValues.class)
    void exactGradientIsTheDerivativeOfTheExactLogLikelihood(UnitValues units) {
        int n = 7;
        int visible = 4;
        double[] w = toDouble(RandomNetworks.symmetricWeights(n, 0.8, 31));
        double[] b = toDouble(RandomNetworks.gaussianVector(n, 0.5, 32));
        float[] data = RandomNetworks.states(6, visible, units, 33);
        Moments g = new ExactBoltzmann(w, b, visible, units).gradient(data);
        double eps = 1e-5;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double[] wp = w.clone();
                double[] wm = w.clone();
                wp[i * n + j] += eps;
                wp[j * n + i] += eps;
                wm[i * n + j] -= eps;
                wm[j * n + i] -= eps;
                double fd = (new ExactBoltzmann(wp, b, visible, units).meanLogLikelihood(data)
                        - new ExactBoltzmann(wm, b, visible, units).meanLogLikelihood(data)) / (2 * eps);
                assertEquals(fd, g.pairs()[i * n + j], 1e-6, "dLL/dw[" + i + "][" + j + "]");
                assertEquals(g.pairs()[i * n + j], g.pairs()[j * n + i], 0.0);
            }
            assertEquals(0.0, g.pairs()[i * n + i], 0.0);
            double[] bp = b.clone();
            double[] bm = b.clone();
            bp[i] += eps;
            bm[i] -= eps;
            double fd = (new ExactBoltzmann(w, bp, visible, units).meanLogLikelihood(data)
                    - new ExactBoltzmann(w, bm, visible, units).meanLogLikelihood(data)) / (2 * eps);
            assertEquals(fd, g.means()[i], 1e-6, "dLL/db[" + i + "]");
        }
    }

    @Test
    void klDivergenceOfADistributionWithItselfIsZeroAndPositiveOtherwise() {
        double[] p = {0.5, 0.25, 0.25, 0};
        double[] q = {0.25, 0.25, 0.25, 0.25};
        assertEquals(0.0, ExactBoltzmann.klDivergence(p, p), 0.0);
        assertEquals(0.5 * Math.log(2), ExactBoltzmann.klDivergence(p, q), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, ExactBoltzmann.klDivergence(q, p));
    }

    @Test
    void rejectsWhatItCannotEnumerateOrRead() {
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> new ExactBoltzmann(new double[25 * 25], new double[25], 5, UnitValues.BINARY));
        assertTrue(big.getMessage().contains("n = 25 exceeds the limit 24"), big.getMessage());
        ExactBoltzmann m = machine(4, 2, UnitValues.BINARY, 1);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> m.meanLogLikelihood(new float[] {0, 1, 1, -1}));
        assertTrue(bad.getMessage().contains("data row 1, unit 1 is -1.0"), bad.getMessage());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> m.meanLogLikelihood(new float[] {0, 1, 1}));
        assertTrue(ragged.getMessage().contains("positive multiple of 2"), ragged.getMessage());
    }
}
