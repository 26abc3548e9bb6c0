package org.ebm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

class BinarizationTest {
    private final Backend backend = new ReferenceBackend();

    @Test
    void fixedThresholdOnBackendAndHost() {
        float[] v = {0f, 0.49f, 0.5f, 0.51f, 1f, 127f / 255f, 128f / 255f};
        try (Tensor t = backend.fromArray(v, 1, v.length)) {
            Binarization.parse("fixed", 1).apply(t);
            float[] want = {0, 0, 1, 1, 1, 0, 1};
            assertArrayEquals(want, t.toArray());
            assertArrayEquals(want, Binarization.fixed(0.5f).applyOnHost(v));
        }
        assertEquals("fixed:0.25", Binarization.parse("fixed:0.25", 0).toString());
    }

    /** Each value x becomes 1 with probability x: the mean of n draws is within 5 standard errors. */
    @Test
    void stochasticIsSeededAndHasTheRightMean() {
        int n = 20_000;
        float[] v = new float[n];
        java.util.Arrays.fill(v, 0.3f);
        float[] a;
        try (Tensor t = backend.fromArray(v, 100, 200)) {
            Binarization.stochastic(5).apply(t);
            a = t.toArray();
        }
        double mean = 0;
        for (float x : a) {
            assertTrue(x == 0f || x == 1f);
            mean += x;
        }
        mean /= n;
        assertEquals(0.3, mean, 5 * Math.sqrt(0.3 * 0.7 / n));
        try (Tensor t = backend.fromArray(v, 100, 200)) {
            Binarization.parse("stochastic:5", 99).apply(t);
            assertArrayEquals(a, t.toArray(), "same seed, same bits");
        }
        try (Tensor t = backend.fromArray(v, 100, 200)) {
            Binarization.stochastic(6).apply(t);
            assertTrue(!java.util.Arrays.equals(a, t.toArray()), "another seed, other bits");
        }
        assertThrows(IllegalStateException.class, () -> Binarization.stochastic(1).applyOnHost(v));
    }

    @Test
    void badSpecsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Binarization.parse("otsu", 1));
        assertTrue(e.getMessage().contains("none, fixed[:T] or stochastic[:SEED]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Binarization.parse("fixed:abc", 1));
        // Pixels lie in [0, 1]: at 0 or below every pixel becomes 1, at 1 or above (nearly) every one 0.
        for (String t : new String[] {"0", "1", "2", "-0.5"}) {
            IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                    () -> Binarization.parse("fixed:" + t, 1));
            assertTrue(out.getMessage().contains("threshold must lie in (0, 1)"), out.getMessage());
        }
    }

    @Test
    void standardizationFitsAndAppliesPerColumn() {
        float[] v = {1, 5, 3, 5, 5, 5};
        Dataset d = Dataset.of("d", 3, 2, v);
        Standardization s = Standardization.fit(d);
        assertEquals(3f, s.mean()[0], 1e-6);
        assertEquals(Math.sqrt(8.0 / 3), s.std()[0], 1e-6);
        assertEquals(1f, s.std()[1], "a constant column is only centred");
        float[] out = s.apply(d).values();
        assertEquals(-2 / Math.sqrt(8.0 / 3), out[0], 1e-6);
        assertEquals(0f, out[1]);
        assertThrows(IllegalArgumentException.class, () -> s.apply(Dataset.of("e", 1, 3, new float[3])));
    }

    @Test
    void equalityFollowsTheSpecAndItsTextReadsBack() {
        for (Binarization b : new Binarization[] {Binarization.none(), Binarization.fixed(0.3f), Binarization.stochastic(7)}) {
            assertEquals(b, Binarization.parse(b.toString(), 0));
            assertEquals(b.hashCode(), Binarization.parse(b.toString(), 0).hashCode());
        }
        assertTrue(!Binarization.fixed(0.3f).equals(Binarization.fixed(0.4f)));
        assertTrue(!Binarization.stochastic(1).equals(Binarization.stochastic(2)));
        assertTrue(!Binarization.none().equals(Binarization.fixed(0.5f)));
    }
}
