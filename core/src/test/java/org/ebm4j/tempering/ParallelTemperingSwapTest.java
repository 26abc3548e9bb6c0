package org.ebm4j.tempering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The swap bookkeeping of {@link ParallelTempering} decision by decision: which pairs a round tries,
 * which swaps it takes, how the rows move in every layer and what it counts, against a host replica
 * exchange written from the definition (accept with probability {@code min(1, p_after / p_before)} of
 * the product of the tempered densities), and the counts through save/restore round trips.
 */
@ExtendWith(NoLeakedTensors.class)
class ParallelTemperingSwapTest {
    private static final double[] BETAS = {1.0, 0.7, 0.4, 0.2};
    private static final int CHAINS = 3;
    private static final int ROWS = BETAS.length * CHAINS;
    private static final int SEED = 41;
    private static final int SWAP_STREAM = 2;

    private static final int[] WIDTHS = {3, 2};

    private final Backend backend = new ReferenceBackend();
    private final FieldModel model = new FieldModel(backend, new float[] {1.5f, -2.0f, 0.75f},
            new float[] {-1.25f, 2.5f});
    private final RandomStream swaps = new RandomStream(SEED, SWAP_STREAM);

    /** Host replica exchange: the state as one float array per layer and the counts a round adds. */
    private static final class HostExchange {
        final float[][] layers;
        final long[] attempts = new long[BETAS.length - 1];
        final long[] accepts = new long[BETAS.length - 1];
        long rounds;

        HostExchange(float[][] layers) {
            this.layers = layers;
        }

        /** One round with the given uniforms ({@code (M - 1) x chains}) and energies of the rows. */
        void round(float[] uniforms, float[] energies) {
            // Even rounds try the pairs (0,1), (2,3), ...; odd rounds (1,2), (3,4), ...
            int first = rounds % 2 == 0 ? 0 : 1;
            rounds++;
            for (int r = first; r < BETAS.length - 1; r += 2) {
                for (int i = 0; i < CHAINS; i++) {
                    int a = r * CHAINS + i;
                    int b = (r + 1) * CHAINS + i;
                    double before = -BETAS[r] * energies[a] - BETAS[r + 1] * energies[b];
                    double after = -BETAS[r] * energies[b] - BETAS[r + 1] * energies[a];
                    double accept = Math.min(1.0, Math.exp(after - before));
                    attempts[r]++;
                    if (uniforms[r * CHAINS + i] < accept) {
                        accepts[r]++;
                        for (int l = 0; l < layers.length; l++) {
                            swapRows(layers[l], WIDTHS[l], a, b);
                        }
                    }
                }
            }
        }

        long[] counts() {
            long[] c = new long[1 + 2 * attempts.length];
            c[0] = rounds;
            for (int r = 0; r < attempts.length; r++) {
                c[1 + r] = attempts[r];
                c[1 + attempts.length + r] = accepts[r];
            }
            return c;
        }

        private static void swapRows(float[] x, int w, int a, int b) {
            for (int j = 0; j < w; j++) {
                float t = x[a * w + j];
                x[a * w + j] = x[b * w + j];
                x[b * w + j] = t;
            }
        }
    }

    private static float[][] randomStates(Random rnd) {
        float[][] s = new float[WIDTHS.length][];
        for (int l = 0; l < WIDTHS.length; l++) {
            s[l] = new float[ROWS * WIDTHS[l]];
            for (int k = 0; k < s[l].length; k++) {
                s[l][k] = rnd.nextBoolean() ? 1f : 0f;
            }
        }
        return s;
    }

    /** The uniforms the sampler's next round draws: the same stream replayed at the same position. */
    private float[] uniformsAt(long draw) {
        try (Tensor u = backend.allocate(BETAS.length - 1, CHAINS)) {
            backend.sampler().fillUniform(u, swaps.at(draw));
            return u.toArray();
        }
    }

    private static void load(ParallelTempering pt, float[][] states) {
        for (int l = 0; l < states.length; l++) {
            pt.layer(l).copyFrom(states[l]);
        }
    }

    /**
     * Twenty rounds from fresh random states each: after each, every layer's rows and the counts equal
     * the host exchange's, each round takes exactly one draw of the swap stream, and rounds alternate
     * between the even and the odd pairs. Both outcomes occur (checked), so a round that accepted
     * everything or nothing would fail.
     */
    @Test
    void everyRoundMatchesTheHostExchange() {
        Random rnd = new Random(5);
        try (ParallelTempering pt = new ParallelTempering(model, BETAS, CHAINS)) {
            HostExchange host = new HostExchange(null);
            int rounds = 20;
            for (int k = 0; k < rounds; k++) {
                float[][] states = randomStates(rnd);
                load(pt, states);
                HostExchange h = new HostExchange(states);
                h.rounds = host.rounds;
                float[] uniforms = uniformsAt(swaps.drawIndex());
                h.round(uniforms, model.energies(states, ROWS));
                pt.swapRound(swaps);
                assertEquals(k + 1, swaps.drawIndex(), "swap draws after round " + k);
                for (int l = 0; l < WIDTHS.length; l++) {
                    assertArrayEquals(states[l], pt.layer(l).toArray(), "layer " + l + " after round " + k);
                }
                host.rounds = h.rounds;
                for (int r = 0; r < host.attempts.length; r++) {
                    host.attempts[r] += h.attempts[r];
                    host.accepts[r] += h.accepts[r];
                }
                assertArrayEquals(host.counts(), pt.counts(), "counts after round " + k);
            }
            // Ten even rounds try pairs 0 and 2, ten odd rounds pair 1, each once per chain.
            assertArrayEquals(new long[] {10 * CHAINS, 10 * CHAINS, 10 * CHAINS},
                    Arrays.copyOfRange(pt.counts(), 1, BETAS.length));
            long accepted = host.accepts[0] + host.accepts[1] + host.accepts[2];
            assertTrue(accepted > 0 && accepted < 30 * CHAINS, accepted + " of " + 30 * CHAINS + " swaps accepted");
            double[] rates = pt.swapRates();
            for (int r = 0; r < rates.length; r++) {
                assertEquals(host.accepts[r] / (double) host.attempts[r], rates[r], 0.0, "rate of pair " + r);
            }
        }
    }

    /**
     * With every energy equal each tried swap is accepted, so two rounds show the pairs themselves:
     * the even round exchanges replicas 0-1 and 2-3 of every chain, the odd round 1-2, in every layer.
     */
    @Test
    void roundsAlternateBetweenTheEvenAndTheOddPairs() {
        FieldModel flat = new FieldModel(backend, new float[3], new float[1]);
        try (ParallelTempering pt = new ParallelTempering(flat, BETAS, CHAINS)) {
            // Row q is labelled q: its low 3 bits in the first layer, bit 3 in the second.
            float[] l0 = new float[ROWS * 3];
            float[] l1 = new float[ROWS];
            for (int q = 0; q < ROWS; q++) {
                for (int j = 0; j < 3; j++) {
                    l0[q * 3 + j] = (q >> j) & 1;
                }
                l1[q] = q >> 3;
            }
            pt.layer(0).copyFrom(l0);
            pt.layer(1).copyFrom(l1);
            pt.swapRound(swaps);
            // Replica r of chain i is row r * 3 + i; replicas 0<->1 and 2<->3 exchanged.
            assertArrayEquals(new int[] {3, 4, 5, 0, 1, 2, 9, 10, 11, 6, 7, 8}, rowLabels(pt));
            pt.swapRound(swaps);
            assertArrayEquals(new int[] {3, 4, 5, 9, 10, 11, 0, 1, 2, 6, 7, 8}, rowLabels(pt));
            assertArrayEquals(new long[] {2, CHAINS, CHAINS, CHAINS, CHAINS, CHAINS, CHAINS}, pt.counts());
            assertArrayEquals(new double[] {1, 1, 1}, pt.swapRates());
        }
    }

    private static int[] rowLabels(ParallelTempering pt) {
        float[] l0 = pt.layer(0).toArray();
        float[] l1 = pt.layer(1).toArray();
        int[] labels = new int[ROWS];
        for (int q = 0; q < ROWS; q++) {
            labels[q] = (int) (l0[q * 3] + 2 * l0[q * 3 + 1] + 4 * l0[q * 3 + 2] + 8 * l1[q]);
        }
        return labels;
    }

    /** A NaN energy makes the ratio NaN; such a swap is refused but still counted as tried. */
    @Test
    void aNanEnergyRefusesTheSwap() {
        FieldModel nan = new FieldModel(backend, new float[] {Float.NaN}, new float[] {1f});
        try (ParallelTempering pt = new ParallelTempering(nan, BETAS, CHAINS)) {
            float[] l1 = new float[ROWS];
            for (int q = 0; q < ROWS; q++) {
                l1[q] = q % 2;
            }
            pt.layer(1).copyFrom(l1);
            pt.swapRound(swaps);
            assertArrayEquals(l1, pt.layer(1).toArray());
            assertArrayEquals(new long[] {1, CHAINS, 0, CHAINS, 0, 0, 0}, pt.counts());
            assertArrayEquals(new double[] {0, Double.NaN, 0}, pt.swapRates());
        }
    }

    /**
     * Counts saved into a trainer's state and restored into a fresh sampler continue exactly: the
     * counters are named {@code tempering.<i>}, the restored counts are equal, and the next round (an
     * odd one after five) makes the same decisions in both as the host exchange.
     */
    @Test
    void countsSurviveSaveAndRestore() {
        Random rnd = new Random(8);
        try (ParallelTempering first = new ParallelTempering(model, BETAS, CHAINS);
             ParallelTempering resumed = new ParallelTempering(model, BETAS, CHAINS)) {
            for (int k = 0; k < 5; k++) {
                load(first, randomStates(rnd));
                first.swapRound(swaps);
            }
            TrainingState.Builder b = TrainingState.builder("pt", 1);
            first.saveCounts(b);
            TrainingState state = b.build();
            long[] saved = first.counts();
            assertEquals(5, saved[0]);
            assertEquals(1 + 2 * (BETAS.length - 1), state.counters().size());
            for (int i = 0; i < saved.length; i++) {
                assertEquals(saved[i], state.counter("tempering." + i), "counter tempering." + i);
            }
            resumed.restoreCounts(state);
            assertArrayEquals(saved, resumed.counts());
            assertArrayEquals(first.swapRates(), resumed.swapRates());

            float[][] states = randomStates(rnd);
            HostExchange h = new HostExchange(copy(states));
            h.rounds = 5;
            h.round(uniformsAt(swaps.drawIndex()), model.energies(states, ROWS));
            load(first, states);
            load(resumed, states);
            first.swapRound(swaps.at(swaps.drawIndex()));
            resumed.swapRound(swaps);
            for (int l = 0; l < WIDTHS.length; l++) {
                assertArrayEquals(h.layers[l], first.layer(l).toArray(), "layer " + l);
                assertArrayEquals(h.layers[l], resumed.layer(l).toArray(), "layer " + l + " after restore");
            }
            assertArrayEquals(first.counts(), resumed.counts());
            assertEquals(6, resumed.counts()[0]);
            // Round 5 was odd: only pair 1 was tried again.
            assertArrayEquals(new long[] {saved[1], saved[2] + CHAINS, saved[3]},
                    Arrays.copyOfRange(resumed.counts(), 1, BETAS.length));
        }
    }

    private static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Restored counts are taken as given, and they are what the rates, metrics and the next parity read. */
    @Test
    void restoredCountsDriveRatesMetricsAndParity() {
        try (ParallelTempering pt = new ParallelTempering(model, BETAS, CHAINS)) {
            long[] counts = {7, 10, 20, 0, 1, 5, 0};
            pt.restoreCounts(counts);
            counts[1] = 99;
            assertArrayEquals(new long[] {7, 10, 20, 0, 1, 5, 0}, pt.counts(), "restore must copy");
            long[] read = pt.counts();
            read[2] = 99;
            assertArrayEquals(new long[] {7, 10, 20, 0, 1, 5, 0}, pt.counts(), "counts() must be a copy");
            assertArrayEquals(new double[] {0.1, 0.25, Double.NaN}, pt.swapRates());
            Map<String, Double> metrics = pt.swapRateMetrics();
            assertEquals(List.of("swap_rate_0", "swap_rate_1", "swap_rate_2"), List.copyOf(metrics.keySet()));
            assertEquals(0.1, metrics.get("swap_rate_0"));
            assertEquals(0.25, metrics.get("swap_rate_1"));
            assertTrue(metrics.get("swap_rate_2").isNaN());
            // After 7 rounds the next is odd: it tries pair 1 only.
            pt.swapRound(swaps);
            assertArrayEquals(new long[] {8, 10, 20 + CHAINS, 0}, Arrays.copyOfRange(pt.counts(), 0, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pt.restoreCounts(new long[6]));
            assertEquals("tempering counts must have 7 values for 4 replicas, found 6", e.getMessage());
        }
    }

    @Test
    void aFreshSamplerHasCountedNothing() {
        try (ParallelTempering pt = new ParallelTempering(model, BETAS, CHAINS)) {
            assertArrayEquals(new long[7], pt.counts());
            assertArrayEquals(new double[] {Double.NaN, Double.NaN, Double.NaN}, pt.swapRates());
        }
    }

    /**
     * A step runs the model's sweep {@code sweeps} times (each takes one Gibbs draw per layer of the
     * field model) and then one swap round (one swap draw); with zero sweeps only the round.
     */
    @Test
    void aStepIsItsSweepsThenOneRound() {
        try (ParallelTempering pt = new ParallelTempering(model, BETAS, CHAINS)) {
            RandomStream gibbs = new RandomStream(SEED, 1);
            pt.step(3, gibbs, swaps);
            assertEquals(3 * 2, gibbs.drawIndex());
            assertEquals(1, swaps.drawIndex());
            assertEquals(1, pt.counts()[0]);
            pt.step(0, gibbs, swaps);
            assertEquals(3 * 2, gibbs.drawIndex());
            assertEquals(2, swaps.drawIndex());
            assertEquals(2, pt.counts()[0]);
        }
    }

    /**
     * A step sweeps each row at its own temperature: with fields {@code f} the units of replica
     * {@code r} are on with probability {@code sigmoid(beta_r f)}. A second layer with a NaN field
     * (its units always sample 0, its energy is NaN) makes every swap refused, so rows stay at their
     * temperature. 10,000 chains give each unit's on-fraction a binomial standard deviation of at most
     * {@code sqrt(0.25 / 10000) = 0.005}; the bound 0.025 is five of them, well below the distance
     * between neighbouring temperatures' probabilities of the units in fields 1.5 and -2 (at least
     * 0.072), so rows sampled at a neighbour's beta fail.
     */
    @Test
    void stepsSweepEachRowAtItsOwnBeta() {
        int chains = 10_000;
        float[] field = {1.5f, -2.0f, 0.75f};
        FieldModel model = new FieldModel(backend, field, new float[] {Float.NaN});
        try (ParallelTempering pt = new ParallelTempering(model, BETAS, chains)) {
            pt.step(1, new RandomStream(SEED, 1), swaps);
            assertArrayEquals(new long[] {1, chains, 0, chains, 0, 0, 0}, pt.counts(), "no swap may be accepted");
            float[] x = pt.layer(0).toArray();
            for (int r = 0; r < BETAS.length; r++) {
                for (int j = 0; j < field.length; j++) {
                    double on = 0;
                    for (int i = 0; i < chains; i++) {
                        on += x[(r * chains + i) * field.length + j];
                    }
                    double p = 1 / (1 + Math.exp(-BETAS[r] * field[j]));
                    assertEquals(p, on / chains, 0.025, "replica " + r + " unit " + j);
                }
            }
        }
    }

    /** Every replica starts at its chain's row; the cold rows are the first {@code chains}; the getters copy. */
    @Test
    void startsAndColdRowsFollowTheRowLayout() {
        try (ParallelTempering pt = new ParallelTempering(model, BETAS, CHAINS);
             Tensor start = backend.fromArray(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, CHAINS, 3);
             Tensor cold = backend.allocate(CHAINS, 3)) {
            assertEquals(BETAS.length, pt.replicas());
            assertEquals(CHAINS, pt.chains());
            double[] betas = pt.betas();
            assertArrayEquals(BETAS, betas);
            betas[1] = 0.9;
            assertArrayEquals(BETAS, pt.betas());
            assertEquals(ROWS, pt.layer(1).rows());
            assertEquals(2, pt.layer(1).cols());
            pt.startAll(0, start);
            float[] expected = new float[ROWS * 3];
            for (int r = 0; r < BETAS.length; r++) {
                System.arraycopy(start.toArray(), 0, expected, r * CHAINS * 3, CHAINS * 3);
            }
            assertArrayEquals(expected, pt.layer(0).toArray());
            float[] marked = new float[ROWS * 3];
            for (int k = 0; k < marked.length; k++) {
                marked[k] = k;
            }
            pt.layer(0).copyFrom(marked);
            pt.coldRows(0, cold);
            assertArrayEquals(Arrays.copyOf(marked, CHAINS * 3), cold.toArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pt.startAll(1, start));
            assertEquals("start states of layer 1 must be 3x2, found 3x3", e.getMessage());
            try (Tensor fewRows = backend.allocate(2, 3)) {
                e = assertThrows(IllegalArgumentException.class, () -> pt.startAll(0, fewRows));
                assertEquals("start states of layer 0 must be 3x3, found 2x3", e.getMessage());
            }
        }
    }

    @Test
    void refusesBadLaddersAndChainCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ParallelTempering(model, BETAS, 0));
        assertEquals("parallel tempering needs at least 1 chain, found 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ParallelTempering(model, new double[] {1, 1}, 1));
        assertEquals("inverse temperatures must decrease strictly and stay > 0, found 1.0 after 1.0", e.getMessage());
        try (ParallelTempering one = new ParallelTempering(model, BETAS, 1)) {
            assertEquals(BETAS.length, one.layer(0).rows());
        }
    }
}
