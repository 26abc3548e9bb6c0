package org.ebm4j.boltzmann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BarsAndStripesTest {

    @Test
    void fourByFourHasThirtyDistinctValidImages() {
        float[] p = BarsAndStripes.patterns(4, UnitValues.BINARY);
        assertEquals(30, BarsAndStripes.count(4));
        assertEquals(30 * 16, p.length);
        Set<String> seen = new HashSet<>();
        for (int r = 0; r < 30; r++) {
            assertTrue(BarsAndStripes.isValid(p, r * 16, 4, UnitValues.BINARY));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                sb.append((int) p[r * 16 + i]);
            }
            assertTrue(seen.add(sb.toString()), "duplicate " + sb);
        }
        assertEquals(1.0, BarsAndStripes.validFraction(p, 4, UnitValues.BINARY));
    }

    @Test
    void everyValidImageIsListedAndNothingElseIsValid() {
        // 2^9 images of a 3x3 grid: exactly the 14 listed ones are valid.
        float[] listed = BarsAndStripes.patterns(3, UnitValues.SPIN);
        Set<Integer> listedCodes = new HashSet<>();
        for (int r = 0; r < listed.length / 9; r++) {
            int code = 0;
            for (int i = 0; i < 9; i++) {
                code |= (listed[r * 9 + i] > 0 ? 1 : 0) << i;
            }
            listedCodes.add(code);
        }
        assertEquals(14, listedCodes.size());
        float[] img = new float[9];
        for (int code = 0; code < 512; code++) {
            for (int i = 0; i < 9; i++) {
                img[i] = ((code >> i) & 1) != 0 ? 1f : -1f;
            }
            assertEquals(listedCodes.contains(code), BarsAndStripes.isValid(img, 0, 3, UnitValues.SPIN), "image " + code);
        }
    }

    @Test
    void valuesOfTheWrongUnitKindAreNotValid() {
        float[] zeros = new float[16];
        assertTrue(BarsAndStripes.isValid(zeros, 0, 4, UnitValues.BINARY));
        assertFalse(BarsAndStripes.isValid(zeros, 0, 4, UnitValues.SPIN));
    }
}
