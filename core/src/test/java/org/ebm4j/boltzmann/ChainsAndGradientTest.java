package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Network chains against fields and energies worked out by hand, and the trainer's sampled gradient on a
 * machine whose units are all but certain: with zero weights and biases of +-60 a unit is high with
 * probability {@code sigmoid(+-60 (high - low))}, 1 in float or below {@code 1e-26}, so every Gibbs
 * sample is the sign of its bias and the gradient is known exactly.
 */
@ExtendWith(NoLeakedTensors.class)
class ChainsAndGradientTest {

    @Test
    void chainsKeepTheirFieldAndEnergiesAsDefined() {
        try (ReferenceBackend backend = new ReferenceBackend();
             Couplings c = new Couplings(backend, 3);
             Tensor states = backend.fromArray(new float[] {1, -1, 1, -1, -1, 1}, 2, 3);
             Tensor other = backend.fromArray(new float[] {1, 1, 1, 1, 1, -1}, 2, 3)) {
            c.setWeights(new float[] {0, 0.5f, -1, 0.5f, 0, 0.25f, -1, 0.25f, 0});
            c.setBias(new float[] {0.5f, 0, -0.5f});
            try (NetworkChains ch = NetworkChains.over(c, states)) {
                assertEquals(2, ch.chains());
                assertEquals(3, ch.units());
                assertSame(c, ch.couplings());
                assertSame(states, ch.state());
                // field = s W + b: (1, -1, 1) gives (-0.5 - 1 + 0.5, 0.5 + 0.25, -1 - 0.25 - 0.5), (-1, -1, 1)
                // gives (-0.5 - 1 + 0.5, -0.5 + 0.25, 1 - 0.25 - 0.5).
                assertArrayEquals(new float[] {-1, 0.75f, -1.75f, -1, -0.25f, 0.25f}, ch.field().toArray());
                // E = -(w01 s0 s1 + w02 s0 s2 + w12 s1 s2) - b.s: -(-0.5 - 1 - 0.25) - 0 = 1.75 and
                // -(0.5 + 1 - 0.25) - (-0.5 - 0.5) = -0.25.
                assertArrayEquals(new float[] {1.75f, -0.25f}, ch.energies());
                assertArrayEquals(new float[] {1.75f, -0.25f}, ch.energies(), "the workspace is reused");
                ch.load(other);
                assertArrayEquals(new float[] {1, 1, 1, 1, 1, -1}, states.toArray());
                // (1, 1, 1): (0.5 - 1 + 0.5, 0.5 + 0.25, -1 + 0.25 - 0.5); (1, 1, -1): (0.5 + 1 + 0.5, 0.5 - 0.25,
                // -1 + 0.25 - 0.5).
                assertArrayEquals(new float[] {0, 0.75f, -1.25f, 2, 0.25f, -1.25f}, ch.field().toArray());
                ch.load(new float[] {-1, -1, -1, 1, -1, 1});
                assertArrayEquals(new float[] {-1, -1, -1, 1, -1, 1}, states.toArray());
                assertArrayEquals(new float[] {-0.5f + 1 + 0.5f, -0.5f - 0.25f, 1 - 0.25f - 0.5f,
                    -0.5f - 1 + 0.5f, 0.5f + 0.25f, -1 - 0.25f - 0.5f}, ch.field().toArray());
                // Unit 1 of each chain to the sign of its field (-0.75 and 0.75): the second chain's flips by +2,
                // adding 2 w_1j = (1, 0, 0.5) to its field.
                ch.update(1, UnitValues.SPIN.thresholdRule(), null, null);
                assertArrayEquals(new float[] {-1, -1, -1, 1, 1, 1}, states.toArray());
                assertArrayEquals(new float[] {1, -0.75f, 0.25f, 0, 0.75f, -1.25f}, ch.field().toArray());
            }
            assertArrayEquals(new float[] {-1, -1, -1, 1, 1, 1}, states.toArray(), "the caller's states stay open");
            try (NetworkChains fresh = NetworkChains.allocate(c, 2)) {
                assertArrayEquals(new float[6], fresh.state().toArray());
                assertArrayEquals(new float[] {0.5f, 0, -0.5f, 0.5f, 0, -0.5f}, fresh.field().toArray());
            }
        }
    }

    @Test
    void chainsRefuseStatesThatDoNotFit() {
        try (ReferenceBackend backend = new ReferenceBackend();
             ReferenceBackend elsewhere = new ReferenceBackend();
             Couplings c = new Couplings(backend, 3);
             Tensor wide = backend.allocate(2, 4);
             Tensor foreign = elsewhere.allocate(2, 3)) {
            assertEquals("need at least 1 chain but was given 0",
                    assertThrows(IllegalArgumentException.class, () -> NetworkChains.allocate(c, 0)).getMessage());
            assertEquals("states tensor is null",
                    assertThrows(IllegalArgumentException.class, () -> NetworkChains.over(c, null)).getMessage());
            assertEquals("states must have 3 columns (one per unit) but are 2x4",
                    assertThrows(IllegalArgumentException.class, () -> NetworkChains.over(c, wide)).getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> NetworkChains.over(c, foreign)).getMessage()
                    .startsWith("states belong to backend '"));
            assertEquals("machine is null", assertThrows(IllegalArgumentException.class, () -> new GibbsSampler(null))
                    .getMessage());
        }
    }

    private static final float[] DATA = {1, 0, 0, /* */ 1, 1, 0, /* */ 0, 1, 1};

    /**
     * Rows 0 and 1 of the data, with the hidden unit at its bias's sign (low): data moments of (1,0,0,lo) and
     * (1,1,0,lo); every model chain ends at the biases' signs (1, 0, 1, 0) (hi, lo, hi, lo). The gradient is
     * their difference with the diagonal zeroed, whatever the chains started from.
     */
    @ParameterizedTest
    @CsvSource({"BINARY, true", "BINARY, false", "SPIN, true", "SPIN, false"})
    void theSampledGradientOfCertainUnitsIsTheExactDifferenceOfMoments(UnitValues u, boolean persistent) {
        float lo = u.low();
        float hi = u.high();
        BoltzmannOptions o = BoltzmannOptions.builder().hidden(1).units(u).batchSize(3).modelChains(4)
                .persistent(persistent).learningRate(0.1).momentum(0).seed(5).build();
        float[] data = DATA.clone();
        for (int k = 0; k < data.length; k++) {
            data[k] = data[k] == 1 ? hi : lo;
        }
        float[][] dataStates = {{hi, lo, lo, lo}, {hi, hi, lo, lo}};
        float[] modelState = {hi, lo, hi, lo};
        double[] pairs = new double[16];
        double[] means = new double[4];
        for (int i = 0; i < 4; i++) {
            means[i] = (dataStates[0][i] + dataStates[1][i]) / 2.0 - modelState[i];
            for (int j = 0; j < 4; j++) {
                pairs[i * 4 + j] = i == j ? 0 : (dataStates[0][i] * dataStates[0][j] + dataStates[1][i] * dataStates[1][j])
                        / 2.0 - modelState[i] * modelState[j];
            }
        }
        try (ReferenceBackend backend = new ReferenceBackend();
             Tensor d = backend.fromArray(data, 3, 3);
             BoltzmannMachine m = new BoltzmannMachine(backend, 3, 1, u)) {
            m.couplings().setBias(new float[] {60, -60, 60, -60});
            try (BoltzmannTrainer t = new BoltzmannTrainer(m, o, d)) {
                int[] order = {2, 0, 1};
                for (int repeat = 0; repeat < 2; repeat++) {
                    Moments g = t.gradient(order, 1, 2, true);
                    assertArrayEquals(pairs, g.pairs(), 1e-6, "pairs, call " + repeat);
                    assertArrayEquals(means, g.means(), 1e-6, "means, call " + repeat);
                }
                assertEquals(null, t.gradient(order, 1, 2, false));
                // One update at rate 0.1 from zero velocity moves each parameter by 0.1 times its gradient.
                t.step(order, 1, 2);
                float[] b = m.couplings().biasToHost();
                float[] w = m.couplings().weightsToHost();
                float[] start = {60, -60, 60, -60};
                for (int i = 0; i < 4; i++) {
                    assertEquals(start[i] + 0.1 * means[i], b[i], 1e-5, "bias " + i);
                    for (int j = 0; j < 4; j++) {
                        assertEquals(0.1 * pairs[i * 4 + j], w[i * 4 + j], 1e-6, "w[" + i + "][" + j + "]");
                    }
                }
            }
        }
    }

    /** Options for a machine of {@link #seededMachine}'s shape on the three data rows. */
    private static BoltzmannOptions options(int batchSize) {
        return BoltzmannOptions.builder().hidden(1).batchSize(batchSize).modelChains(3).seed(8).build();
    }

    /** Three visible and one hidden binary unit, weights drawn as a fit with seed 8 draws them. */
    private static BoltzmannMachine seededMachine(ReferenceBackend backend) {
        BoltzmannMachine m = new BoltzmannMachine(backend, 3, 1, UnitValues.BINARY);
        m.initializeRandom(0.5, StreamId.BM_INIT.open(8));
        return m;
    }

    @Test
    void theTrainerRefusesBatchesOutsideItsDataAndStatesOfTheOtherChainKind() {
        try (ReferenceBackend backend = new ReferenceBackend();
             Tensor d = backend.fromArray(DATA, 3, 3);
             BoltzmannMachine m = seededMachine(backend);
             BoltzmannTrainer t = new BoltzmannTrainer(m, options(2), d);
             BoltzmannTrainer restarting = new BoltzmannTrainer(m, options(2).toBuilder().persistent(false).build(), d)) {
            assertEquals("a batch of 2 rows from offset 0 must lie inside the row list of null",
                    assertThrows(IllegalArgumentException.class, () -> t.gradient(null, 0, 2, false)).getMessage());
            assertEquals("a batch of 1 rows from offset -1 must lie inside the row list of 3 entries",
                    assertThrows(IllegalArgumentException.class, () -> t.gradient(new int[3], -1, 1, false)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.gradient(new int[3], 0, 0, false));
            assertThrows(IllegalArgumentException.class, () -> t.gradient(new int[3], 2, 2, false));
            assertEquals("a batch of 4 rows exceeds the 3 data rows",
                    assertThrows(IllegalArgumentException.class, () -> t.gradient(new int[4], 0, 4, false)).getMessage());
            // A whole-data batch (3 rows, not the batch size 2) is allowed and gets its own workspaces.
            t.gradient(new int[] {0, 1, 2}, 0, 3, false);
            t.gradient(new int[] {2}, 0, 1, false);
            TrainingState persistentState = t.state();
            TrainingState restartingState = restarting.state();
            assertEquals("training state has persistent chains but the run restarts its model chains",
                    assertThrows(IllegalArgumentException.class, () -> restarting.restore(persistentState)).getMessage());
            assertEquals("training state lacks persistent chains but the run keeps its model chains",
                    assertThrows(IllegalArgumentException.class, () -> t.restore(restartingState)).getMessage());
            assertEquals(2, t.batchesPerEpoch());
            assertEquals(BoltzmannTrainer.KIND, t.kind());
        }
    }

    @Test
    void aRestoredTrainerContinuesWithTheSavedChainsAndTheirStartedFlag() {
        try (ReferenceBackend backend = new ReferenceBackend();
             Tensor d = backend.fromArray(DATA, 3, 3);
             BoltzmannMachine a = seededMachine(backend);
             BoltzmannMachine b = seededMachine(backend)) {
            int[] order = {0, 1, 2};
            try (BoltzmannTrainer first = new BoltzmannTrainer(a, options(3), d)) {
                first.gradient(order, 0, 3, false);
                TrainingState saved = first.state();
                assertEquals(1L, saved.counter("model_chains_started"));
                Moments next = first.gradient(order, 0, 3, true);
                try (BoltzmannTrainer second = new BoltzmannTrainer(b, options(3), d)) {
                    second.restore(saved);
                    Moments again = second.gradient(order, 0, 3, true);
                    // Same chains, same stream positions: a chain restarted at random would differ.
                    assertArrayEquals(next.pairs(), again.pairs(), 0.0);
                    assertArrayEquals(next.means(), again.means(), 0.0);
                }
            }
        }
    }
}
