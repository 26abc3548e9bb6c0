package org.ebm4j.hopfield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.ebm4j.data.Dataset;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The small parts of the Hopfield package, each against answers worked out by hand. */
@ExtendWith(NoLeakedTensors.class)
class HopfieldPartsTest {
    private static final RecallStatus U = RecallStatus.UNSETTLED;
    private static final RecallStatus F = RecallStatus.FIXED_POINT;
    private static final RecallStatus C = RecallStatus.TWO_CYCLE;

    @Test
    void overlapsCountAgreementsMinusDisagreementsAndNearestTakesTheFirstOnTies() {
        float[] a = {1, 1, -1, -1, /* row 1 */ -1, -1, 1, 1};
        float[] b = {1, 1, -1, 1, /* row 1 */ 1, -1, 1, 1, /* row 2 */ 1, 1, -1, -1};
        assertEquals(0.5, PatternOverlaps.overlap(a, 0, b, 0, 4), 0.0);
        assertEquals(-1.0, PatternOverlaps.overlap(a, 1, b, 2, 4), 0.0);
        assertEquals(-0.5, PatternOverlaps.overlap(a, 0, b, 1, 4), 0.0);
        assertEquals(0.5, PatternOverlaps.overlap(a, 1, b, 1, 4), 0.0);
        assertEquals(2, PatternOverlaps.nearest(a, 0, b, 4));
        // Row 1 of a has overlap -0.5, 0.5, -1 with the rows of b: the second is nearest.
        assertEquals(1, PatternOverlaps.nearest(a, 1, b, 4));
        // Overlaps 0.5, 0.5 (tie, the first wins) and 0 for c.
        float[] c = {1, 1, -1, -1, 1, 1, -1, -1};
        float[] twins = {1, 1, 1, -1, 1, 1, -1, 1, 1, -1, 1, -1};
        assertEquals(0, PatternOverlaps.nearest(c, 0, twins, 4));
        // Every overlap negative: the largest of them (-0.5, row 1) is still the nearest.
        float[] neg = {-1, -1, 1, 1, -1, 1, 1, 1};
        assertEquals(1, PatternOverlaps.nearest(c, 0, neg, 4));
    }

    @Test
    void aRecallResultCountsItsChainsAndComparesByValue() {
        RecallResult r = new RecallResult(4, new RecallStatus[] {F, C, U, F}, new int[] {2, 4, 0, 1});
        assertEquals(4, r.chains());
        assertEquals(2, r.count(F));
        assertEquals(1, r.count(C));
        assertEquals(1, r.count(U));
        assertFalse(r.allSettled());
        assertTrue(new RecallResult(3, new RecallStatus[] {F, C}, new int[] {1, 3}).allSettled());
        assertEquals("RecallResult[iterations=4, fixed=2, twoCycles=1, unsettled=1 of 4]", r.toString());
        RecallResult same = new RecallResult(4, new RecallStatus[] {F, C, U, F}, new int[] {2, 4, 0, 1});
        assertEquals(r, same);
        assertEquals(r.hashCode(), same.hashCode());
        assertNotEquals(r, new RecallResult(5, r.status(), r.settledAt()));
        assertNotEquals(r, new RecallResult(4, new RecallStatus[] {F, C, F, F}, r.settledAt()));
        assertNotEquals(r, new RecallResult(4, r.status(), new int[] {2, 4, 0, 2}));
        assertNotEquals(r, "RecallResult");
        // The hash mixes all three parts: results differing in one part hash apart here.
        assertNotEquals(r.hashCode(), new RecallResult(5, r.status(), r.settledAt()).hashCode());
        assertNotEquals(r.hashCode(), new RecallResult(4, new RecallStatus[] {F, C, F, F}, r.settledAt()).hashCode());
        assertNotEquals(r.hashCode(), new RecallResult(4, r.status(), new int[] {2, 4, 0, 2}).hashCode());
        assertEquals("status and settledAt must have one entry per chain", assertThrows(IllegalArgumentException.class,
                () -> new RecallResult(1, new RecallStatus[] {F}, new int[] {1, 1})).getMessage());
    }

    @Test
    void recalledStatesMustFitTheirChains() {
        RecallResult two = new RecallResult(1, new RecallStatus[] {F, F}, new int[] {1, 1});
        RecalledStates ok = new RecalledStates(new float[6], 3, two, new float[2]);
        assertEquals(2, ok.count());
        String m = assertThrows(IllegalArgumentException.class,
                () -> new RecalledStates(new float[6], 0, two, new float[2])).getMessage();
        assertEquals("recalled states of 0 units, 2 chains and 2 energies do not fit 6 values", m);
        assertThrows(IllegalArgumentException.class, () -> new RecalledStates(new float[7], 3, two, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new RecalledStates(new float[9], 3, two, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new RecalledStates(new float[6], 3, two, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new RecalledStates(new float[6], 3, two, new float[1]));
        assertEquals(1, new RecalledStates(new float[1], 1, new RecallResult(1, new RecallStatus[] {U}, new int[1]),
                new float[1]).count());
    }

    @Test
    void flippingChangesExactlyTheRoundedCountChosenByEachRowsPermutation() {
        float[] p = {1, -1, 1, -1, 1, -1, 1, -1, 1, -1, /* row 1 */ 1, 1, 1, 1, 1, -1, -1, -1, -1, -1};
        // round(0.25 * 10) = 3 (2.5 rounds up), the first three units of each row's permutation.
        float[] cues = CueCorruption.flip(p, 10, 0.25, new RandomStream(8, 3));
        RandomStream rng = new RandomStream(8, 3);
        float[] expected = p.clone();
        for (int r = 0; r < 2; r++) {
            int[] perm = rng.permutation(10);
            for (int k = 0; k < 3; k++) {
                expected[r * 10 + perm[k]] = -expected[r * 10 + perm[k]];
            }
        }
        assertArrayEquals(expected, cues);
        assertArrayEquals(p, CueCorruption.flip(p, 10, 0.0, new RandomStream(8)));
        float[] all = CueCorruption.flip(p, 10, 1.0, new RandomStream(8));
        for (int k = 0; k < p.length; k++) {
            assertEquals(-p[k], all[k], 0f);
        }
        assertArrayEquals(new float[] {1, -1, 1, -1, 1, -1, 1, -1, 1, -1}, Arrays.copyOf(p, 10), "input untouched");
        for (double bad : new double[] {-0.01, 1.01, Double.NaN}) {
            assertEquals("flip fraction must lie in [0, 1], found " + bad, assertThrows(IllegalArgumentException.class,
                    () -> CueCorruption.flip(p, 10, bad, new RandomStream(1))).getMessage());
        }
        // The data-set form reads 0/1 rows as spins and draws from the cue stream of the seed.
        Dataset zeroOne = Dataset.of("two", 2, 10, toZeroOne(p));
        Dataset d = CueCorruption.flip(zeroOne, 0.25, 8);
        assertArrayEquals(CueCorruption.flip(p, 10, 0.25, StreamId.HOPFIELD_CUES.open(8)), d.values());
        assertEquals("two with 0.25 of each row flipped", d.name());
    }

    private static float[] toZeroOne(float[] spins) {
        float[] z = new float[spins.length];
        for (int k = 0; k < z.length; k++) {
            z[k] = spins[k] > 0 ? 1f : 0f;
        }
        return z;
    }

    private static String bits(boolean[] b) {
        StringBuilder s = new StringBuilder();
        for (boolean x : b) {
            s.append(x ? '1' : '0');
        }
        return s.toString();
    }

    @Test
    void regionsHideTheirHalfOfAVectorOrAnImage() {
        assertEquals("11000", bits(CueCorruption.region("first-half", 5, 0)));
        assertEquals("00111", bits(CueCorruption.region(" Second-Half ", 5, 0)));
        // A 4-wide, 3-high image (rows of 4): the top is row 0 (3/2 = 1 row), the bottom rows 1 and 2.
        assertEquals("111100000000", bits(CueCorruption.region("top", 12, 4)));
        assertEquals("000011111111", bits(CueCorruption.region("bottom", 12, 4)));
        // A 3-wide, 4-high image: the left is column 0 (3/2 = 1 column), the right columns 1 and 2.
        assertEquals("100100100100", bits(CueCorruption.region("left", 12, 3)));
        assertEquals("011011011011", bits(CueCorruption.region("RIGHT", 12, 3)));
        for (int width : new int[] {0, -4, 5}) {
            assertEquals("region 'top' needs an image shape (--image-width dividing 12)",
                    assertThrows(IllegalArgumentException.class, () -> CueCorruption.region("top", 12, width)).getMessage());
        }
        assertEquals("region must be first-half, second-half, top, bottom, left or right but was 'middle'",
                assertThrows(IllegalArgumentException.class, () -> CueCorruption.region("middle", 4, 2)).getMessage());
    }

    @Test
    void maskingSetsTheHiddenUnitsToMinusOne() {
        Dataset p = Dataset.of("p", 2, 3, new float[] {1, 1, 0, 1, 0, 1});
        Dataset m = CueCorruption.mask(p, new boolean[] {true, false, false});
        assertArrayEquals(new float[] {-1, 1, -1, -1, -1, 1}, m.values());
        assertEquals("p masked", m.name());
        assertEquals("the mask covers 2 units but the patterns have 3", assertThrows(IllegalArgumentException.class,
                () -> CueCorruption.mask(p, new boolean[2])).getMessage());
    }

    @Test
    void theChangeCounterCountsTheUnitsThatDifferInEachChain() {
        try (ReferenceBackend backend = new ReferenceBackend();
             Tensor a = backend.fromArray(new float[] {1, 1, 1, 1, -1, -1, -1, -1, 1, -1, 1, -1}, 3, 4);
             Tensor b = backend.fromArray(new float[] {1, 1, 1, 1, 1, 1, 1, -1, -1, 1, -1, 1}, 3, 4);
             ChangeCounter counter = new ChangeCounter(backend, 3, 4)) {
            assertArrayEquals(new float[] {0, 3, 4}, counter.count(a, b));
            assertArrayEquals(new float[] {0, 0, 0}, counter.count(b, b));
        }
    }

    @Test
    void learningRulesParseTheirNamesAndAliases() {
        assertEquals(LearningRule.HEBB, LearningRule.parse("hebb"));
        assertEquals(LearningRule.HEBB, LearningRule.parse(" Hebbian"));
        assertEquals(LearningRule.STORKEY, LearningRule.parse("STORKEY"));
        assertEquals(LearningRule.PSEUDO_INVERSE, LearningRule.parse("pseudo-inverse"));
        assertEquals(LearningRule.PSEUDO_INVERSE, LearningRule.parse("PseudoInverse"));
        assertEquals("hebb", LearningRule.HEBB.toString());
        assertEquals("storkey", LearningRule.STORKEY.toString());
        assertEquals("pseudo-inverse", LearningRule.PSEUDO_INVERSE.toString());
        assertEquals("learning rule must be 'hebb', 'storkey' or 'pseudo-inverse' but was 'null'",
                assertThrows(IllegalArgumentException.class, () -> LearningRule.parse(null)).getMessage());
    }

    @Test
    void theRulesListNamesEachChangeOfRuleAndClearForgetsEverything() {
        float[] p = {1, -1, 1, 1};
        try (ReferenceBackend backend = new ReferenceBackend(); HopfieldNetwork net = new HopfieldNetwork(backend, 4)) {
            assertEquals("", net.rules());
            assertTrue(net.patterns().isEmpty(), "a new network has no patterns to give");
            net.store(p, LearningRule.HEBB);
            net.store(p, LearningRule.HEBB);
            assertEquals("hebb", net.rules());
            net.store(p, LearningRule.STORKEY);
            net.store(p, LearningRule.STORKEY);
            assertEquals("hebb+storkey", net.rules());
            net.store(p, LearningRule.HEBB);
            assertEquals("hebb+storkey+hebb", net.rules());
            assertEquals(5, net.storedPatterns());
            assertTrue(net.patterns().isEmpty(), "patterns given to the low-level store are not kept");
            assertEquals("learning rule is null; use HEBB, STORKEY or PSEUDO_INVERSE",
                    assertThrows(IllegalArgumentException.class, () -> net.store(p, null)).getMessage());
            net.store(p, LearningRule.PSEUDO_INVERSE);
            net.couplings().setBias(new float[] {0.5f, 0, 0, 0});
            net.clear();
            assertEquals(0, net.storedPatterns());
            assertEquals("", net.rules());
            assertArrayEquals(new float[16], net.couplings().weightsToHost());
            assertArrayEquals(new float[4], net.couplings().biasToHost());
            assertTrue(net.patterns().isEmpty(), "an empty network has no patterns to give");
            assertTrue(net.provenance().entries().isEmpty());
            // The projector was cleared too: storing by the pseudo-inverse rule again starts from nothing,
            // so one pattern gives W = xi xi^T / n with a zero diagonal.
            net.store(p, LearningRule.PSEUDO_INVERSE);
            float[] w = net.couplings().weightsToHost();
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(i == j ? 0f : p[i] * p[j] / 4f, w[i * 4 + j], 1e-6, "w[" + i + "][" + j + "]");
                }
            }
        }
    }

    @Test
    void tensorPatternsAndHostStatesAreChecked() {
        try (ReferenceBackend backend = new ReferenceBackend();
             HopfieldNetwork net = new HopfieldNetwork(backend, 3);
             Tensor wide = backend.allocate(1, 4);
             Tensor zeros = backend.allocate(2, 3)) {
            assertEquals("patterns must have 3 columns but are 1x4", assertThrows(IllegalArgumentException.class,
                    () -> net.store(wide, LearningRule.HEBB)).getMessage());
            assertEquals("pattern 0, unit 0 is 0.0; Hopfield states must be -1 or +1",
                    assertThrows(IllegalArgumentException.class, () -> net.store(zeros, LearningRule.HEBB)).getMessage());
            for (float[] bad : new float[][] {null, new float[0], new float[4]}) {
                String m = assertThrows(IllegalArgumentException.class, () -> net.energies(bad)).getMessage();
                assertEquals("states must hold a positive multiple of 3 values but "
                        + (bad == null ? "are null" : "hold " + bad.length), m);
            }
            assertEquals("patterns must hold a positive multiple of 3 values (one row of 3 per pattern) but are null",
                    assertThrows(IllegalArgumentException.class, () -> net.store((float[]) null, LearningRule.HEBB))
                            .getMessage());
            assertThrows(IllegalArgumentException.class, () -> net.store(new float[0], LearningRule.HEBB));
            assertEquals(0, net.storedPatterns());
            // Two host states of zero weights and biases 1, -2, 0.5: E = -b.s.
            net.couplings().setBias(new float[] {1f, -2f, 0.5f});
            assertArrayEquals(new float[] {1.5f, -0.5f}, net.energies(new float[] {1, 1, -1, -1, -1, -1}));
        }
    }
}
