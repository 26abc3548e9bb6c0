package org.ebm4j.dbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tempering.ParallelTempering;
import org.ebm4j.tempering.TemperatureLadder;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * A 6-4-3 DBM with two modes far apart, every unit off or every unit on: single-chain block Gibbs sampling
 * stays in the mode it starts in, parallel tempering ({@link TemperedDbm}) visits both as often as the exact
 * distribution says.
 *
 * <p>The model: every weight {@code w = 4}, every bias {@code -w/2} times the unit's number of neighbours.
 * Flipping every unit ({@code x -> 1 - x}) then leaves the energy unchanged, so the two modes weigh the same,
 * and a chain with every unit off sees each unit's input at {@code -w/2} per neighbour: turning a unit on
 * costs {@code w/2} per neighbour until half of them are on. The mode of a state is the majority of its nine
 * even units (the visibles and the top layer, an odd count: no ties).
 */
class DbmModeMixingTest {
    private static final int[] SIZES = {6, 4, 3};
    private static final float W = 4f;

    private static DbmParameters twoModes() {
        List<float[]> weights = List.of(filled(SIZES[0] * SIZES[1], W), filled(SIZES[1] * SIZES[2], W));
        List<float[]> biases = List.of(filled(SIZES[0], -W * SIZES[1] / 2), filled(SIZES[1], -W * (SIZES[0] + SIZES[2]) / 2),
                filled(SIZES[2], -W * SIZES[1] / 2));
        return new DbmParameters(SIZES, weights, biases);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    /** Whether the even units (visible bits first, then the top layer's) of {@code even} are mostly on. */
    private static boolean onMode(int even) {
        return Integer.bitCount(even) > (SIZES[0] + SIZES[2]) / 2;
    }

    /** The even state (visibles in bits 0..5, top layer in bits 6..8) of each of {@code chains} rows of the layers. */
    private static int[] evenStates(float[] v, float[] top, int chains) {
        int[] e = new int[chains];
        for (int i = 0; i < chains; i++) {
            for (int j = 0; j < SIZES[0]; j++) {
                e[i] |= (v[i * SIZES[0] + j] > 0.5f ? 1 : 0) << j;
            }
            for (int k = 0; k < SIZES[2]; k++) {
                e[i] |= (top[i * SIZES[2] + k] > 0.5f ? 1 : 0) << (SIZES[0] + k);
            }
        }
        return e;
    }

    private static int onModeCount(int[] evenStates) {
        return (int) Arrays.stream(evenStates).filter(DbmModeMixingTest::onMode).count();
    }

    /**
     * The exact probability that one block-Gibbs chain started with every unit off has its even units mostly on
     * after at least one of its first {@code sweeps} sweeps. A sweep samples the middle layer given the even
     * layers, then the even layers given it, so the even layers alone form a Markov chain with kernel
     * {@code K(e, e') = sum_h p(h | e) p(e' | h)} over 2^9 states; the on-mode states are made absorbing and
     * the mass they absorb is the answer (double precision; the conditionals are products of sigmoids).
     */
    static double escapeProbability(DbmParameters p, int sweeps) {
        int evens = 1 << (SIZES[0] + SIZES[2]);
        int odds = 1 << SIZES[1];
        double[][] up = new double[evens][odds];
        double[][] down = new double[odds][evens];
        for (int e = 0; e < evens; e++) {
            for (int h = 0; h < odds; h++) {
                double pr = 1;
                for (int j = 0; j < SIZES[1]; j++) {
                    double in = p.biases().get(1)[j];
                    for (int i = 0; i < SIZES[0]; i++) {
                        in += bit(e, i) * p.weight(1, i, j);
                    }
                    for (int k = 0; k < SIZES[2]; k++) {
                        in += bit(e, SIZES[0] + k) * p.weight(2, j, k);
                    }
                    pr *= bernoulli(in, bit(h, j));
                }
                up[e][h] = pr;
                double pd = 1;
                for (int i = 0; i < SIZES[0]; i++) {
                    double in = p.biases().get(0)[i];
                    for (int j = 0; j < SIZES[1]; j++) {
                        in += bit(h, j) * p.weight(1, i, j);
                    }
                    pd *= bernoulli(in, bit(e, i));
                }
                for (int k = 0; k < SIZES[2]; k++) {
                    double in = p.biases().get(2)[k];
                    for (int j = 0; j < SIZES[1]; j++) {
                        in += bit(h, j) * p.weight(2, j, k);
                    }
                    pd *= bernoulli(in, bit(e, SIZES[0] + k));
                }
                down[h][e] = pd;
            }
        }
        double[] mass = new double[evens];
        mass[0] = 1;
        double escaped = 0;
        for (int s = 0; s < sweeps; s++) {
            double[] middle = new double[odds];
            for (int e = 0; e < evens; e++) {
                for (int h = 0; h < odds; h++) {
                    middle[h] += mass[e] * up[e][h];
                }
            }
            double[] next = new double[evens];
            for (int h = 0; h < odds; h++) {
                for (int e = 0; e < evens; e++) {
                    next[e] += middle[h] * down[h][e];
                }
            }
            for (int e = 0; e < evens; e++) {
                if (onMode(e)) {
                    escaped += next[e];
                    next[e] = 0;
                }
            }
            mass = next;
        }
        return escaped;
    }

    private static int bit(int state, int i) {
        return (state >>> i) & 1;
    }

    /** {@code p(x = value)} for a unit with input {@code in}: {@code sigmoid(+-in)}. */
    private static double bernoulli(double in, int value) {
        return 1 / (1 + Math.exp(value == 1 ? -in : in));
    }

    /** The exact probability of the on mode, by enumerating the 2^13 joint states. */
    private static double onModeMass(DbmParameters p) {
        BruteForceDbm bf = new BruteForceDbm(p);
        double[] joint = bf.joint();
        double on = 0;
        for (int m = 0; m < joint.length; m++) {
            int even = (m & ((1 << SIZES[0]) - 1)) | ((m >>> (SIZES[0] + SIZES[1])) << SIZES[0]);
            on += onMode(even) ? joint[m] : 0;
        }
        return on;
    }

    /**
     * Single chains: 200 chains of 300 sweeps each, started with every unit off, never show an on-mode state
     * after any sweep. The chance that one would is at most {@code 200 * escapeProbability(300)} (the union
     * bound over chains), computed from the model and required below 1e-6, so a correct sampler fails with
     * probability below 1e-6.
     *
     * <p>Tempering: 400 independent ladders of 8 replicas on a geometric ladder down to {@code beta = 0.05}
     * (where {@code beta w = 0.2} no longer separates the modes and a sweep mixes), every replica started with
     * every unit off, run 150 steps (one sweep and one swap round each); the cold replicas' final states are
     * then 400 independent draws (with swap rates of 0.4 to 0.95, as this ladder shows, the on-mode share of
     * the cold replicas levels off within about 75 steps), so the number in the on mode is binomial with the
     * exact on-mode probability {@code m} (1/2 by the symmetry, enumerated here). The bound is 4.5 standard
     * deviations, {@code 4.5 sqrt(m (1 - m) / 400)},
     * which a correct sampler exceeds with probability 7e-6; a sampler stuck in the starting mode would be off
     * by {@code m}, twenty standard deviations. Every neighbouring pair must have swapped.
     */
    @Test
    void temperingVisitsBothModesAsOftenAsTheExactMassesWhereGibbsStaysInOne() {
        DbmParameters p = twoModes();
        int chains = 200;
        int sweeps = 300;
        double bound = chains * escapeProbability(p, sweeps);
        assertTrue(bound < 1e-6, "the exact chance of a single chain escaping is too large to test: " + bound);
        try (Backend backend = new ReferenceBackend(); Dbm dbm = Dbm.of(backend, p);
             GibbsChains gibbs = new GibbsChains(dbm, LayerScales.uniform(SIZES.length), chains)) {
            RandomStream rng = StreamId.DBM_SAMPLE.open(5);
            for (int s = 0; s < sweeps; s++) {
                gibbs.sweep(rng);
                int on = onModeCount(evenStates(gibbs.x[0].toArray(), gibbs.x[2].toArray(), chains));
                assertEquals(0, on, "single Gibbs chains in the on mode after sweep " + (s + 1));
            }

            int ladders = 400;
            double[] betas = TemperatureLadder.geometric(0.05).betas(8);
            try (TemperedDbm model = new TemperedDbm(dbm, betas.length * ladders);
                 ParallelTempering pt = new ParallelTempering(model, betas, ladders)) {
                assertEquals(0, onModeCount(evenStates(pt.layer(0).toArray(), pt.layer(2).toArray(), ladders)),
                        "every replica starts in the off mode");
                RandomStream sweepsRng = StreamId.DBM_SAMPLE.open(6);
                RandomStream swaps = StreamId.DBM_SAMPLE_SWAPS.open(6);
                for (int s = 0; s < 150; s++) {
                    pt.step(1, sweepsRng, swaps);
                }
                double m = onModeMass(p);
                assertEquals(0.5, m, 1e-9, "the flip symmetry gives the modes equal mass");
                double fraction = onModeCount(evenStates(pt.layer(0).toArray(), pt.layer(2).toArray(), ladders))
                        / (double) ladders;
                double tolerance = 4.5 * Math.sqrt(m * (1 - m) / ladders);
                assertEquals(m, fraction, tolerance, "cold replicas in the on mode");
                double[] rates = pt.swapRates();
                assertEquals(betas.length - 1, rates.length);
                for (double rate : rates) {
                    assertTrue(rate > 0, "swap rates " + Arrays.toString(rates));
                }
            }
        }
    }
}
