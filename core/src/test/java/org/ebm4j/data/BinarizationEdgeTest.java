package org.ebm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/** The edges of {@link Binarization}: thresholds next to 0 and 1, specs, identity. */
class BinarizationEdgeTest {

    /** The open interval (0, 1) holds the floats next to its ends; a threshold there splits at itself. */
    @Test
    void thresholdsJustInsideTheIntervalWork() {
        float low = Float.MIN_VALUE;
        float high = Math.nextDown(1f);
        float[] v = {0f, low, 0.5f, high, 1f};
        assertArrayEquals(new float[] {0, 1, 1, 1, 1}, Binarization.fixed(low).applyOnHost(v));
        assertArrayEquals(new float[] {0, 0, 0, 1, 1}, Binarization.fixed(high).applyOnHost(v));
        try (ReferenceBackend backend = new ReferenceBackend(); Tensor t = backend.fromArray(v, 1, 5)) {
            Binarization.fixed(high).apply(t);
            assertArrayEquals(new float[] {0, 0, 0, 1, 1}, t.toArray());
        }
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> Binarization.fixed(Float.NaN));
        assertEquals("binarization threshold must lie in (0, 1) (data are scaled to [0, 1]; outside it every value "
                + "binarizes alike), found NaN", nan.getMessage());
    }

    @Test
    void noneLeavesACopyOfTheValues() {
        float[] v = {0.2f, 0.7f, 3f};
        float[] out = Binarization.none().applyOnHost(v);
        assertArrayEquals(v, out);
        assertNotSame(v, out);
        assertTrue(Binarization.none().isNone());
        assertFalse(Binarization.fixed(0.5f).isNone());
        assertFalse(Binarization.stochastic(1).isNone());
        assertEquals("none", Binarization.none().toString());
        try (ReferenceBackend backend = new ReferenceBackend(); Tensor t = backend.fromArray(v, 1, 3)) {
            Binarization.none().apply(t);
            assertArrayEquals(v, t.toArray());
        }
    }

    @Test
    void specsIgnoreCaseAndSpaceAndNameBadNumbers() {
        assertEquals(Binarization.fixed(0.25f), Binarization.parse("  FIXED:0.25 ", 9));
        assertEquals(Binarization.stochastic(9), Binarization.parse("Stochastic", 9));
        assertEquals(Binarization.stochastic(-3), Binarization.parse("stochastic:-3", 9));
        assertEquals(Binarization.none(), Binarization.parse("none", 9));
        IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
                () -> Binarization.parse("stochastic:1.5", 9));
        assertEquals("binarization 'stochastic:1.5' has a malformed number: 1.5", seed.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> Binarization.parse("fixed:", 9));
        assertEquals("binarization 'fixed:' has a malformed number: ", t.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> Binarization.parse(":0.5", 9));
        assertEquals("binarization must be none, fixed[:T] or stochastic[:SEED], found ':0.5'", kind.getMessage());
    }

    @Test
    void kindsDifferEvenWithTheSameNumbers() {
        assertNotEquals(Binarization.none(), Binarization.stochastic(0));
        assertNotEquals(Binarization.stochastic(0), Binarization.none());
        assertNotEquals(Binarization.none(), "none");
        assertEquals(Binarization.stochastic(4), Binarization.stochastic(4));
        assertNotEquals(Binarization.fixed(0.5f).hashCode(), Binarization.fixed(0.25f).hashCode());
    }
}
