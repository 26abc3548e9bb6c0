package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tempering.ParallelTempering;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Parallel tempering of an RBM against enumeration, and across the modes where Gibbs sampling sticks.
 * Its G-test helpers serve the DBM's tempering test too.
 */
@ExtendWith(NoLeakedTensors.class)
public class ParallelTemperingTest {
    private final Backend backend = new ReferenceBackend();

    /**
     * Every temperature's rows follow {@code p_beta(v) ~ sum_h exp(-beta E(v, h))}. Each of the 1,500
     * ladders is independent and ends after 60 sweeps (the 4x3 model mixes within a few), so its last
     * state at temperature {@code r} is one independent draw from {@code p_beta_r}: the counts over the 16
     * visible states are multinomial and the G statistic {@code 2 sum O ln(O/E)} is asymptotically
     * chi-square with (bins - 1) degrees of freedom (bins with E < 5 pooled). The bound is the
     * chi-square 0.999 quantile for those degrees of freedom, so a correct sampler fails with probability
     * 1e-3 per temperature (with the fixed seed it either passes or fails always). The same counts tested
     * against the wrong temperature's distribution must fail it, so the test can tell the temperatures apart.
     */
    @Test
    void everyTemperatureMatchesItsExactDistribution() {
        RbmParameters p = HostRbm.random(VisibleType.BERNOULLI, 4, 3, 1.5, 0.5, 11);
        HostRbm host = new HostRbm(p);
        double[] betas = {1.0, 0.6, 0.3};
        int chains = 1500;
        try (Rbm rbm = Rbm.of(backend, p); TemperedRbm model = new TemperedRbm(rbm, betas.length * chains);
             ParallelTempering pt = new ParallelTempering(model, betas, chains)) {
            RandomStream gibbs = new RandomStream(5, 1);
            RandomStream swaps = new RandomStream(5, 2);
            backend.sampler().fillUniform(pt.layer(0), gibbs);
            backend.threshold(pt.layer(0), 0.5f, 0f, 1f, pt.layer(0));
            for (int s = 0; s < 60; s++) {
                pt.step(1, gibbs, swaps);
            }
            float[] v = pt.layer(0).toArray();
            for (int r = 0; r < betas.length; r++) {
                long[] counts = new long[16];
                for (int i = 0; i < chains; i++) {
                    int row = r * chains + i;
                    int state = 0;
                    for (int u = 0; u < 4; u++) {
                        state |= (v[row * 4 + u] > 0.5f ? 1 : 0) << u;
                    }
                    counts[state]++;
                }
                double[] exact = temperedVisibleDistribution(host, betas[r]);
                double[] g = gTest(counts, exact);
                assertTrue(g[0] < chiSquare999(g[1]), "beta " + betas[r] + ": G = " + g[0] + " with " + g[1] + " df");
                double[] wrong = temperedVisibleDistribution(host, betas[(r + 1) % betas.length]);
                double[] gw = gTest(counts, wrong);
                assertTrue(gw[0] > chiSquare999(gw[1]), "beta " + betas[r] + " against the wrong temperature: G = "
                        + gw[0]);
            }
            double[] rates = pt.swapRates();
            assertEquals(2, rates.length);
            for (double rate : rates) {
                assertTrue(rate > 0.05 && rate <= 1, "swap rate " + rate);
            }
        }
    }

    /**
     * Two modes, all visibles off and all on, separated by a barrier Gibbs sampling does not cross: one
     * hidden unit with weight {@code w = 8} to each of 10 visibles, {@code b_i = -w/2}, {@code c = -5w}.
     * The energy is symmetric under flipping every unit, so each mode has probability 1/2. A chain in
     * the off mode (h = 0) turns its hidden unit on only after at least 5 of the 10 visibles switch on
     * together, each with probability sigmoid(-4) = 0.018: per sweep at most C(10,5) 0.018^5 = 4.8e-7,
     * so over 100 chains x 300 sweeps the expected number of crossings is below 0.015, and by the union
     * bound no chain leaves with probability > 0.98. Parallel tempering on a geometric ladder down to
     * beta = 0.05 (where the coupling 0.4 no longer separates the modes) must bring the cold chains to
     * both modes: with 100 chains started off, at least 25 on (the fraction is 1/2 at equilibrium with a
     * binomial standard deviation of 0.05, so 25 is five deviations below; the ladder equilibrates well
     * within 300 sweeps, which the swap rates show).
     */
    @Test
    void crossesBetweenModesWhereGibbsSamplingDoesNot() {
        int nv = 10;
        float w = 8f;
        float[] weights = new float[nv];
        float[] b = new float[nv];
        Arrays.fill(weights, w);
        Arrays.fill(b, -w / 2);
        RbmParameters p = new RbmParameters(VisibleType.BERNOULLI, nv, 1, weights, b, new float[] {-w * nv / 2});
        int chains = 100;
        int sweeps = 300;
        try (Rbm rbm = Rbm.of(backend, p)) {
            try (Tensor v = backend.allocate(chains, nv); Tensor pre = backend.allocate(chains, 1);
                 Tensor h = backend.allocate(chains, 1)) {
                RandomStream rng = new RandomStream(7, 1);
                for (int s = 0; s < sweeps; s++) {
                    rbm.sampleHidden(v, pre, null, h, rng);
                    rbm.sampleVisible(h, v, rng);
                }
                assertEquals(0, modeOnCount(v.toArray(), nv), "plain Gibbs chains left the mode they started in");
            }
            double[] betas = TemperatureLadder.geometric(0.05).betas(12);
            try (TemperedRbm model = new TemperedRbm(rbm, betas.length * chains);
                 ParallelTempering pt = new ParallelTempering(model, betas, chains);
                 Tensor cold = backend.allocate(chains, nv)) {
                RandomStream gibbs = new RandomStream(7, 2);
                RandomStream swaps = new RandomStream(7, 3);
                for (int s = 0; s < sweeps; s++) {
                    pt.step(1, gibbs, swaps);
                }
                pt.coldRows(0, cold);
                int on = modeOnCount(cold.toArray(), nv);
                assertTrue(on >= 25 && on <= 75, on + " of " + chains + " tempered chains in the on mode");
                for (double rate : pt.swapRates()) {
                    assertTrue(rate > 0.05, "swap rates " + Arrays.toString(pt.swapRates()));
                }
            }
        }
    }

    /** Same streams, same samples; the sampler takes one swap draw per step and the model two Gibbs draws per sweep. */
    @Test
    void isDeterministicForItsStreams() {
        RbmParameters p = HostRbm.random(VisibleType.BERNOULLI, 5, 3, 1.0, 0.5, 3);
        float[][] runs = new float[2][];
        for (int k = 0; k < 2; k++) {
            try (Rbm rbm = Rbm.of(backend, p)) {
                RandomStream gibbs = new RandomStream(9, 1);
                RandomStream swaps = new RandomStream(9, 2);
                TemperedSamples t = GibbsSampling.tempered(rbm, 6, 7, new double[] {1, 0.5}, null, gibbs, swaps);
                assertEquals(1 + 2 * 7, gibbs.drawIndex());
                assertEquals(7, swaps.drawIndex());
                assertEquals(1, t.swapRates().length);
                runs[k] = t.samples().values();
            }
        }
        assertArrayEquals(runs[0], runs[1]);
        try (Rbm rbm = Rbm.of(backend, p)) {
            TemperedSamples a = rbm.sampleTempered(6, 7, TemperatureLadder.of(1, 0.5), 2, 9);
            TemperedSamples b = rbm.sampleTempered(6, 7, TemperatureLadder.of(1, 0.5), 2, 9);
            assertArrayEquals(a.samples().values(), b.samples().values());
            assertThrows(IllegalArgumentException.class,
                    () -> rbm.sampleTempered(6, 7, TemperatureLadder.of(1, 0.5), 3, 9));
        }
    }

    @Test
    void laddersParseAndRefuseBadTemperatures() {
        assertArrayEquals(new double[] {1, Math.sqrt(0.25), 0.25}, TemperatureLadder.geometric(0.25).betas(3), 1e-12);
        assertEquals(TemperatureLadder.of(1, 0.5, 0.2), TemperatureLadder.parse("1, 0.5, 0.2"));
        assertEquals(TemperatureLadder.geometric(0.1), TemperatureLadder.parse(TemperatureLadder.geometric(0.1)
                .toString()));
        assertThrows(IllegalArgumentException.class, () -> TemperatureLadder.parse("0.9,0.5"));
        assertThrows(IllegalArgumentException.class, () -> TemperatureLadder.parse("1,0.5,0.7"));
        assertThrows(IllegalArgumentException.class, () -> TemperatureLadder.parse("geometric:1.5"));
        assertThrows(IllegalArgumentException.class, () -> TemperatureLadder.parse("hot"));
        assertThrows(IllegalArgumentException.class, () -> TemperatureLadder.geometric(0.5).betas(1));
    }

    private static int modeOnCount(float[] v, int nv) {
        int on = 0;
        for (int r = 0; r < v.length / nv; r++) {
            int s = 0;
            for (int i = 0; i < nv; i++) {
                s += v[r * nv + i] > 0.5f ? 1 : 0;
            }
            on += s > nv / 2 ? 1 : 0;
        }
        return on;
    }

    /** {@code p_beta(v) ~ sum_h exp(-beta E(v, h))} by enumeration of both layers. */
    static double[] temperedVisibleDistribution(HostRbm host, double beta) {
        double[][] vs = HostRbm.allStates(host.p.visible());
        double[][] hs = HostRbm.allStates(host.p.hidden());
        double[] q = new double[vs.length];
        double total = 0;
        for (int k = 0; k < vs.length; k++) {
            for (double[] h : hs) {
                q[k] += Math.exp(-beta * host.energy(vs[k], h));
            }
            total += q[k];
        }
        for (int k = 0; k < q.length; k++) {
            q[k] /= total;
        }
        return q;
    }

    /** {@code [G, degrees of freedom]} of the counts against {@code probs}, bins with an expectation below 5 pooled. */
    public static double[] gTest(long[] counts, double[] probs) {
        long n = Arrays.stream(counts).sum();
        List<double[]> bins = new ArrayList<>();
        double pooledO = 0;
        double pooledE = 0;
        for (int k = 0; k < counts.length; k++) {
            double e = n * probs[k];
            if (e < 5) {
                pooledO += counts[k];
                pooledE += e;
            } else {
                bins.add(new double[] {counts[k], e});
            }
        }
        if (pooledE > 0) {
            bins.add(new double[] {pooledO, pooledE});
        }
        double g = 0;
        for (double[] oe : bins) {
            if (oe[0] > 0) {
                g += 2 * oe[0] * Math.log(oe[0] / oe[1]);
            }
        }
        return new double[] {g, bins.size() - 1};
    }

    /**
     * The 0.999 quantile of chi-square with {@code df} degrees of freedom, by the Wilson-Hilferty cube
     * approximation {@code df (1 - 2/(9 df) + z sqrt(2/(9 df)))^3} with {@code z = 3.0902}; within 1% of
     * the tabulated values for df >= 3 (15 df: 37.70 tabulated, 37.72 here).
     */
    public static double chiSquare999(double df) {
        double a = 2 / (9 * df);
        return df * Math.pow(1 - a + 3.0902 * Math.sqrt(a), 3);
    }
}
