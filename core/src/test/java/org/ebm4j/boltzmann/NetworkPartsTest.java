package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.data.Dataset;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Temperature schedules, unit values, clamp masks and couplings against values worked out by hand. */
@ExtendWith(NoLeakedTensors.class)
class NetworkPartsTest {

    private static double[] temperatures(TemperatureSchedule s) {
        double[] t = new double[s.sweeps()];
        for (int k = 0; k < t.length; k++) {
            t[k] = s.temperature(k);
        }
        return t;
    }

    @Test
    void schedulesGiveTheirTemperaturesSweepBySweep() {
        assertArrayEquals(new double[] {2, 2, 2}, temperatures(TemperatureSchedule.constant(2, 3)));
        assertArrayEquals(new double[] {4, 3, 2, 1}, temperatures(TemperatureSchedule.linear(4, 1, 4)), 1e-15);
        assertArrayEquals(new double[] {1, 2.5, 4}, temperatures(TemperatureSchedule.linear(1, 4, 3)), 1e-15);
        assertArrayEquals(new double[] {8, 4, 2, 1}, temperatures(TemperatureSchedule.geometric(8, 1, 4)), 1e-14);
        assertArrayEquals(new double[] {1, 3, 9}, temperatures(TemperatureSchedule.geometric(1, 9, 3)), 1e-14);
        // A single sweep runs at the end temperature.
        assertArrayEquals(new double[] {0.5}, temperatures(TemperatureSchedule.linear(3, 0.5, 1)));
        assertArrayEquals(new double[] {0.5}, temperatures(TemperatureSchedule.geometric(3, 0.5, 1)));
        assertArrayEquals(new double[] {3, 1, 2}, temperatures(TemperatureSchedule.of(3, 1, 2)));
        assertArrayEquals(new double[] {1, 0.5, 0.25}, temperatures(TemperatureSchedule.of(3, k -> 1.0 / (1 << k))));
        assertEquals("constant(2.0, 3)", TemperatureSchedule.constant(2, 3).toString());
        assertEquals("linear(4.0 -> 1.0, 4)", TemperatureSchedule.linear(4, 1, 4).toString());
        assertEquals("geometric(8.0 -> 1.0, 4)", TemperatureSchedule.geometric(8, 1, 4).toString());
        assertEquals("custom[3.0, 1.0]", TemperatureSchedule.of(3, 1).toString());
        assertEquals("custom(5 sweeps)", TemperatureSchedule.of(5, k -> 1).toString());
    }

    @Test
    void schedulesRefuseBadTemperaturesSweepsAndIndices() {
        TemperatureSchedule s = TemperatureSchedule.constant(1, 3);
        for (int k : new int[] {-1, 3}) {
            assertEquals("sweep " + k + " is outside the schedule's 0..2",
                    assertThrows(IndexOutOfBoundsException.class, () -> s.temperature(k)).getMessage());
        }
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertEquals("temperature must be finite and > 0 but is " + bad,
                    assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.constant(bad, 1)).getMessage());
        }
        assertEquals("start temperature must be finite and > 0 but is 0.0",
                assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.geometric(0, 1, 2)).getMessage());
        assertEquals("end temperature must be finite and > 0 but is -2.0",
                assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.geometric(1, -2, 2)).getMessage());
        assertEquals("start temperature must be finite and > 0 but is NaN",
                assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.linear(Double.NaN, 1, 2)).getMessage());
        assertEquals("a temperature schedule needs at least 1 sweep but was given 0",
                assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.linear(2, 1, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.geometric(2, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.of(0, k -> 1));
        assertEquals("the temperature function is null",
                assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.of(2, null)).getMessage());
        assertEquals("a temperature schedule needs at least one temperature, found none",
                assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.of()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.of((double[]) null));
        assertEquals("temperature 1 must be finite and > 0 but is 0.0",
                assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.of(1, 0)).getMessage());
        TemperatureSchedule lazy = TemperatureSchedule.of(2, k -> k == 0 ? 1 : Double.NaN);
        assertEquals(1.0, lazy.temperature(0));
        assertEquals("temperature of sweep 1 must be finite and > 0 but is NaN",
                assertThrows(IllegalArgumentException.class, () -> lazy.temperature(1)).getMessage());
        double[] given = {2, 1};
        TemperatureSchedule copied = TemperatureSchedule.of(given);
        given[0] = 7;
        assertEquals(2.0, copied.temperature(0), "the schedule keeps its own copy");
    }

    @Test
    void unitValuesParseEncodeAndGiveTheirRules() {
        for (String s : new String[] {"binary", " 01", "0/1", "BINARY"}) {
            assertSame(UnitValues.BINARY, UnitValues.parse(s));
        }
        for (String s : new String[] {"spin", "pm1", "Ising", "+-1", "-1/+1"}) {
            assertSame(UnitValues.SPIN, UnitValues.parse(s));
        }
        assertEquals("unit values must be 'binary' ({0,1}) or 'spin' ({-1,+1}) but were 'null'",
                assertThrows(IllegalArgumentException.class, () -> UnitValues.parse(null)).getMessage());
        assertEquals("binary", UnitValues.BINARY.toString());
        assertEquals("spin", UnitValues.SPIN.toString());
        assertTrue(UnitValues.SPIN.accepts(-1f));
        assertFalse(UnitValues.SPIN.accepts(0f));
        assertTrue(UnitValues.BINARY.accepts(0f));
        assertFalse(UnitValues.BINARY.accepts(-1f));
        assertEquals(-1f, UnitValues.SPIN.value(false));
        assertEquals(0f, UnitValues.BINARY.value(false));
        assertEquals(1f, UnitValues.BINARY.value(true));
        assertEquals(UnitRule.threshold(-1f, 1f), UnitValues.SPIN.thresholdRule());
        assertEquals(UnitRule.stochastic(0f, 1f, 0.5f), UnitValues.BINARY.gibbsRule(0.5));

        Dataset zeroOne = Dataset.of("z", 2, 2, new float[] {0, 1, 1, 0});
        Dataset spins = Dataset.of("s", 2, 2, new float[] {-1, 1, 1, -1});
        assertSame(zeroOne, UnitValues.BINARY.encode(zeroOne));
        assertSame(spins, UnitValues.SPIN.encode(spins));
        assertArrayEquals(new float[] {-1, 1, 1, -1}, UnitValues.SPIN.encode(zeroOne).values());
        assertArrayEquals(new float[] {0, 1, 1, 0}, UnitValues.BINARY.encode(spins).values());
        // All ones are both encodings: the data are already in either.
        Dataset ones = Dataset.of("o", 1, 2, new float[] {1, 1});
        assertSame(ones, UnitValues.SPIN.encode(ones));
        assertEquals("m: mixes 0 and -1 values; binary rows must be all 0/1 or all -1/+1",
                assertThrows(IllegalArgumentException.class,
                        () -> UnitValues.BINARY.encode(Dataset.of("m", 2, 2, new float[] {0, 1, -1, 1}))).getMessage());
        assertEquals("g: data row 2, column 1 is 0.5; binary rows must be all 0/1 or all -1/+1",
                assertThrows(IllegalArgumentException.class,
                        () -> UnitValues.SPIN.encode(Dataset.of("g", 2, 3, new float[] {0, 1, 1, 0.5f, 1, 0}))).getMessage());
    }

    @Test
    void clampMasksMarkTheHeldUnitsInEveryChain() {
        try (ReferenceBackend backend = new ReferenceBackend();
             Tensor same = ClampMask.sameForAllChains(backend, 2, new boolean[] {true, false, true});
             Tensor range = ClampMask.range(backend, 2, 4, 1, 3);
             Tensor empty = ClampMask.range(backend, 1, 3, 2, 2);
             Tensor all = ClampMask.range(backend, 1, 3, 0, 3)) {
            assertArrayEquals(new float[] {1, 0, 1, 1, 0, 1}, same.toArray());
            assertEquals(2, same.rows());
            assertArrayEquals(new float[] {0, 1, 1, 0, 0, 1, 1, 0}, range.toArray());
            assertArrayEquals(new float[] {0, 0, 0}, empty.toArray());
            assertArrayEquals(new float[] {1, 1, 1}, all.toArray());
            assertEquals("clamp mask must name at least one unit but is null", assertThrows(IllegalArgumentException.class,
                    () -> ClampMask.sameForAllChains(backend, 1, null)).getMessage());
            assertEquals("clamp mask must name at least one unit but is empty", assertThrows(IllegalArgumentException.class,
                    () -> ClampMask.sameForAllChains(backend, 1, new boolean[0])).getMessage());
            assertEquals("need at least 1 chain but was given 0", assertThrows(IllegalArgumentException.class,
                    () -> ClampMask.sameForAllChains(backend, 0, new boolean[1])).getMessage());
            for (int[] bad : new int[][] {{-1, 2}, {0, 4}, {2, 1}}) {
                assertEquals("clamped range [" + bad[0] + ", " + bad[1] + ") must lie inside [0, 3)",
                        assertThrows(IllegalArgumentException.class,
                                () -> ClampMask.range(backend, 1, 3, bad[0], bad[1])).getMessage());
            }
        }
    }

    @Test
    void couplingsAverageFloatNoiseAwayAndRefuseRealAsymmetry() {
        try (ReferenceBackend backend = new ReferenceBackend(); Couplings c = new Couplings(backend, 3)) {
            assertEquals(3, c.size());
            assertSame(backend, c.backend());
            // Relative asymmetry 4e-6 at |w| = 100 and absolute 5e-6 at |w| < 1 are forgiven and averaged.
            c.setWeights(new float[] {0, 100f, 0.5f, 100.0004f, 0, 0, 0.500005f, 0, 0});
            float[] w = c.weightsToHost();
            assertEquals((float) (0.5 * (100.0 + (double) 100.0004f)), w[1]);
            assertEquals(w[1], w[3]);
            assertEquals((float) (0.5 * ((double) 0.5f + (double) 0.500005f)), w[2]);
            assertEquals(w[2], w[6]);
            assertArrayEquals(new double[] {0, w[1], w[2], w[1], 0, 0, w[2], 0, 0}, c.weightsAsDoubles());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.setWeights(new float[] {0, 100f, 0, 100.002f, 0, 0, 0, 0, 0}));
            assertEquals("weights must be symmetric but w[0][1] = 100.0 and w[1][0] = 100.002", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.setWeights(new float[] {0, 0.5f, 0, 0.50002f, 0, 0, 0, 0, 0}));
            assertEquals("weights must be finite but w[1][2] = NaN and w[2][1] = NaN", assertThrows(
                    IllegalArgumentException.class,
                    () -> c.setWeights(new float[] {0, 0, 0, 0, 0, Float.NaN, 0, Float.NaN, 0})).getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> c.setWeights(new float[] {0, 0, 0, 0, 0, 1, 0, Float.POSITIVE_INFINITY, 0}));
            assertEquals("weights must hold 3x3 = 9 values but hold 4",
                    assertThrows(IllegalArgumentException.class, () -> c.setWeights(new float[4])).getMessage());
            assertEquals("weights must hold 3x3 = 9 values but are null",
                    assertThrows(IllegalArgumentException.class, () -> c.setWeights(null)).getMessage());
            assertArrayEquals(new double[] {0, w[1], w[2], w[1], 0, 0, w[2], 0, 0}, c.weightsAsDoubles(),
                    "a refused matrix leaves the weights alone");
            c.setBias(new float[] {1, -2, 0.5f});
            assertArrayEquals(new double[] {1, -2, 0.5}, c.biasAsDoubles());
            assertEquals("bias must be finite but b[2] = Infinity", assertThrows(IllegalArgumentException.class,
                    () -> c.setBias(new float[] {0, 0, Float.POSITIVE_INFINITY})).getMessage());
            assertEquals("bias must hold 3 values but holds 2",
                    assertThrows(IllegalArgumentException.class, () -> c.setBias(new float[2])).getMessage());
            assertEquals("bias must hold 3 values but is null",
                    assertThrows(IllegalArgumentException.class, () -> c.setBias(null)).getMessage());
        }
        try (ReferenceBackend backend = new ReferenceBackend()) {
            assertEquals("a network needs at least 1 unit but was given 0",
                    assertThrows(IllegalArgumentException.class, () -> new Couplings(backend, 0)).getMessage());
            assertEquals("backend is null",
                    assertThrows(IllegalArgumentException.class, () -> new Couplings(null, 2)).getMessage());
            new Couplings(backend, 1).close();
        }
    }

    @Test
    void couplingsWriteTheirModelFileAndZeroDiagonalsAndEnergies() throws Exception {
        try (ReferenceBackend backend = new ReferenceBackend();
             Couplings c = new Couplings(backend, 2);
             Couplings back = new Couplings(backend, 2);
             Tensor square = backend.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
             Tensor states = backend.fromArray(new float[] {1, 1, 1, -1, -1, -1}, 3, 2);
             Tensor energies = backend.allocate(3, 1)) {
            c.setWeights(new float[] {0, 0.5f, 0.5f, 0});
            c.setBias(new float[] {0.25f, -1});
            ModelFile f = c.toModelFile("kind", new Provenance(java.util.Map.of("seed", "4")), "a", "1", "b", "2");
            assertEquals(java.util.List.of("a", "b", "model", "provenance.seed"), java.util.List.copyOf(f.metadata().keySet()));
            assertEquals("kind", f.metadata().get("model"));
            assertEquals("2", f.metadata().get("b"));
            back.readFrom(f, "src");
            assertArrayEquals(c.weightsToHost(), back.weightsToHost());
            assertArrayEquals(c.biasToHost(), back.biasToHost());
            assertEquals("header entries come as key, value pairs, found 3 strings", assertThrows(
                    IllegalArgumentException.class, () -> c.toModelFile("k", new Provenance(java.util.Map.of()), "a", "1", "b"))
                    .getMessage());
            ModelFile asymmetric = new ModelFile().putTensor("W", 2, 2, new float[] {0, 1, 2, 0}).putTensor("bias", 1, 2,
                    new float[2]);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> back.readFrom(asymmetric, "src"));
            assertEquals("src: weights must be symmetric but w[0][1] = 1.0 and w[1][0] = 2.0", e.getMessage());
            c.zeroDiagonal(square);
            assertArrayEquals(new float[] {0, 2, 3, 0}, square.toArray());
            // E = -1/2 s^T W s - b^T s = -0.5 s0 s1 - 0.25 s0 + s1.
            c.energies(states, energies);
            assertArrayEquals(new float[] {-0.5f + -0.25f + 1, 0.5f - 0.25f - 1, -0.5f + 0.25f - 1}, energies.toArray());
        }
    }
}
