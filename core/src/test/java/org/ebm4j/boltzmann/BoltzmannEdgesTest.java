package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.data.Dataset;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.SettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bars and stripes listed by hand, and the Boltzmann machine's checks before work and its initial weights. */
@ExtendWith(NoLeakedTensors.class)
class BoltzmannEdgesTest {

    @Test
    void twoByTwoBarsAndStripesAreTheSixImagesListedHere() {
        // Stripes (rows all on or off) for row masks 0..3, then the bars of column masks 1 and 2.
        String images = "0000" + "1100" + "0011" + "1111" + "1010" + "0101";
        float[] expected = new float[images.length()];
        for (int k = 0; k < expected.length; k++) {
            expected[k] = images.charAt(k) - '0';
        }
        assertArrayEquals(expected, BarsAndStripes.patterns(2, UnitValues.BINARY));
        float[] spins = BarsAndStripes.patterns(2, UnitValues.SPIN);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k] == 1 ? 1f : -1f, spins[k], "pixel " + k);
        }
        assertEquals(2, BarsAndStripes.count(1));
        assertEquals(6, BarsAndStripes.count(2));
        assertEquals(62, BarsAndStripes.count(5));
        assertArrayEquals(new float[] {0, 1}, BarsAndStripes.patterns(1, UnitValues.BINARY));
        Dataset d = BarsAndStripes.dataset(2, UnitValues.BINARY);
        assertEquals("bars-and-stripes 2x2", d.name());
        assertEquals(6, d.rows());
        assertEquals(4, d.cols());
        assertArrayEquals(expected, d.values());
        for (int side : new int[] {0, 6}) {
            assertEquals("bars-and-stripes side must lie in [1, 5] but was " + side,
                    assertThrows(IllegalArgumentException.class, () -> BarsAndStripes.count(side)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> BarsAndStripes.patterns(side, UnitValues.BINARY));
            assertThrows(IllegalArgumentException.class, () -> BarsAndStripes.name(side));
            assertThrows(IllegalArgumentException.class, () -> BarsAndStripes.isValid(new float[36], 0, side,
                    UnitValues.BINARY));
        }
    }

    @Test
    void validityAndTheDataSetNameAreReadBack() {
        assertEquals(3, BarsAndStripes.sideOf("bars-and-stripes 3x3"));
        assertEquals(5, BarsAndStripes.sideOf("bars-and-stripes 5x5"));
        assertEquals(1, BarsAndStripes.sideOf("bars-and-stripes 1x1"));
        for (String other : new String[] {"bars-and-stripes 3x4", "bars-and-stripes 6x6", "bars-and-stripes 0x0", "digits",
            null}) {
            assertEquals(0, BarsAndStripes.sideOf(other), String.valueOf(other));
        }
        // Images at offset 4: a bar, a stripe, a checkerboard, and a bar in the wrong unit values.
        float[] images = {9, 9, 9, 9, /* */ 0, 1, 0, 1, /* */ 1, 1, 0, 0, /* */ 1, 0, 0, 1, /* */ -1, 1, -1, 1};
        assertTrue(BarsAndStripes.isValid(images, 4, 2, UnitValues.BINARY));
        assertTrue(BarsAndStripes.isValid(images, 8, 2, UnitValues.BINARY));
        assertFalse(BarsAndStripes.isValid(images, 12, 2, UnitValues.BINARY));
        assertFalse(BarsAndStripes.isValid(images, 16, 2, UnitValues.BINARY));
        assertTrue(BarsAndStripes.isValid(images, 16, 2, UnitValues.SPIN));
        // Stripes that differ only in the last row's last pixel are neither bars nor stripes.
        assertFalse(BarsAndStripes.isValid(new float[] {1, 1, 1, 0}, 0, 2, UnitValues.BINARY));
        assertEquals(0.5, BarsAndStripes.validFraction(java.util.Arrays.copyOfRange(images, 4, 20), 2, UnitValues.BINARY),
                0.0);
        assertEquals("images must hold a positive multiple of 4 values but hold 6", assertThrows(
                IllegalArgumentException.class, () -> BarsAndStripes.validFraction(new float[6], 2, UnitValues.BINARY))
                .getMessage());
        assertThrows(IllegalArgumentException.class, () -> BarsAndStripes.validFraction(new float[0], 2, UnitValues.BINARY));
    }

    @Test
    void aMachineChecksItsShapeAndStartsFromSeededSymmetricWeights() {
        try (ReferenceBackend backend = new ReferenceBackend()) {
            assertEquals("a Boltzmann machine needs at least 1 visible unit but was given 0", assertThrows(
                    IllegalArgumentException.class, () -> new BoltzmannMachine(backend, 0, 1, UnitValues.BINARY)).getMessage());
            assertEquals("hidden unit count must be >= 0 but was -1", assertThrows(IllegalArgumentException.class,
                    () -> new BoltzmannMachine(backend, 1, -1, UnitValues.BINARY)).getMessage());
            assertEquals("unit values are null; use BINARY or SPIN", assertThrows(IllegalArgumentException.class,
                    () -> new BoltzmannMachine(backend, 1, 0, null)).getMessage());
            try (BoltzmannMachine m = new BoltzmannMachine(backend, 2, 1, UnitValues.SPIN)) {
                assertEquals("BoltzmannMachine[visible=2, hidden=1, units=spin]", m.toString());
                assertEquals(3, m.size());
                RandomStream rng = new RandomStream(77, 5, 3);
                m.initializeRandom(0.5, rng);
                assertEquals(4, rng.drawIndex(), "one draw for the whole matrix");
                float[] w = m.couplings().weightsToHost();
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        int a = Math.min(i, j);
                        int b = Math.max(i, j);
                        float expected = i == j ? 0f : (float) (0.5 * Philox.normal(77, 5, 3, (long) a * 3 + b));
                        assertEquals(expected, w[i * 3 + j], "w[" + i + "][" + j + "]");
                    }
                }
                assertTrue(w[1] != 0 && w[2] != w[1], "the draws must differ to show which element each weight takes");
                assertArrayEquals(new float[3], m.couplings().biasToHost());
                for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
                    assertEquals("initial weight stddev must be finite and >= 0 but is " + bad, assertThrows(
                            IllegalArgumentException.class, () -> m.initializeRandom(bad, new RandomStream(1))).getMessage());
                }
                m.initializeRandom(0, new RandomStream(1));
                // 0 times a negative draw is -0.0: compared by value, not bit pattern.
                assertArrayEquals(new float[9], m.couplings().weightsToHost(), 0f);
                assertEquals("sample count must be >= 1, found 0", assertThrows(IllegalArgumentException.class,
                        () -> m.sample(0, 1)).getMessage());
                Dataset wide = Dataset.of("wide", 1, 3, new float[] {0, 1, 1});
                assertEquals("wide (1x3) rows have 3 values but the machine has 2 visible units", assertThrows(
                        IllegalArgumentException.class, () -> m.logLikelihood(wide)).getMessage());
                Dataset s = m.sample(3, TemperatureSchedule.constant(1, 2), 4);
                assertEquals(3, s.rows());
                assertEquals(2, s.cols());
            }
        }
    }

    @Test
    void fitRefusesArraysBeyondTheHeapAndEarlyStoppingWithoutExactScores() {
        BoltzmannOptions o = BoltzmannOptions.builder().hidden(0).epochs(1).batchSize(1).modelChains(2).samples(0)
                .evalEvery(0).build();
        try (ReferenceBackend backend = new ReferenceBackend()) {
            // 2^20 visible units: 5 coupling matrices of 2^40 floats.
            Dataset wide = Dataset.of("wide", 1, 1 << 20, new float[1 << 20]);
            assertEquals("hidden", assertThrows(SettingException.class,
                    () -> BoltzmannMachine.fit(backend, wide, o, Checkpointing.none())).setting());
            assertEquals("samples", assertThrows(SettingException.class,
                    () -> o.toBuilder().samples(Integer.MAX_VALUE).build().requireMemory(10)).setting());
            Dataset twentyFive = Dataset.of("25", 1, 25, new float[25]);
            SettingException e = assertThrows(SettingException.class,
                    () -> BoltzmannMachine.fit(backend, twentyFive, o.toBuilder().patience(1).build(), Checkpointing.none()));
            assertEquals("patience", e.setting());
            assertTrue(e.getMessage().contains("needs at most 24 units, but the machine has 25"), e.getMessage());
        }
    }
}
