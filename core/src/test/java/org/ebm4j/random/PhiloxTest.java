package org.ebm4j.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PhiloxTest {

    private static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        int[] out = new int[6];
        Philox.block(c0, c1, c2, c3, k0, k1, out, 1);
        return new int[] {out[1], out[2], out[3], out[4]};
    }

    /** The three Philox4x32-10 known-answer vectors of Random123's kat_vectors. */
    @Test
    void random123KnownAnswers() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, block(0, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                block(-1, -1, -1, -1, -1, -1));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    @Test
    void blockWritesOnlyItsFourWords() {
        int[] out = {7, 7, 7, 7, 7, 7};
        Philox.block(0, 0, 0, 0, 0, 0, out, 1);
        assertEquals(7, out[0]);
        assertEquals(7, out[5]);
    }

    /**
     * The stream layout through the known answers: counter = (quad, draw low, draw high, stream),
     * key = (seed low, seed high), uniform = (word >>> 8) * 2^-24.
     */
    @Test
    void uniformLayoutMapsOntoTheKnownAnswers() {
        assertEquals(Philox.toUniform(0x6627e8d5), Philox.uniform(0L, 0, 0L, 0L));
        assertEquals(Philox.toUniform(0x9b00dbd8), Philox.uniform(0L, 0, 0L, 3L));
        long quad = 0xffffffffL;
        assertEquals(Philox.toUniform(0x408f276d), Philox.uniform(-1L, -1, -1L, quad << 2));
        assertEquals(Philox.toUniform(0x6d5451fd), Philox.uniform(-1L, -1, -1L, (quad << 2) | 3));
        long seed = 0x299f31d0a4093822L;
        long draw = 0x13198a2e85a308d3L;
        long e0 = 0x243f6a88L << 2;
        int[] want = {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1};
        for (int w = 0; w < 4; w++) {
            assertEquals(Philox.toUniform(want[w]), Philox.uniform(seed, 0x03707344, draw, e0 + w), "word " + w);
        }
    }

    @Test
    void normalLayoutUsesTwoWordsOfQuadEOver2() {
        long seed = 0x299f31d0a4093822L;
        long draw = 0x13198a2e85a308d3L;
        long e0 = 0x243f6a88L << 1;
        assertEquals(Philox.boxMuller(0xd16cfe09, 0x94fdcceb), Philox.normal(seed, 0x03707344, draw, e0));
        assertEquals(Philox.boxMuller(0x5001e420, 0x24126ea1), Philox.normal(seed, 0x03707344, draw, e0 + 1));
    }

    @Test
    void toUniformCoversZeroToOneInStepsOfTwoToTheMinus24() {
        assertEquals(0f, Philox.toUniform(0));
        assertEquals(0f, Philox.toUniform(0xff), "the low 8 bits are dropped");
        assertEquals(0x1p-24f, Philox.toUniform(0x100));
        assertEquals(0.5f, Philox.toUniform(0x80000000));
        assertEquals(1f - 0x1p-24f, Philox.toUniform(-1));
        assertTrue(Philox.toUniform(-1) < 1f);
        assertEquals(0x1p-24f, Philox.toUniformOpenZero(0), "never 0, so log(u1) is finite");
        assertEquals(1f, Philox.toUniformOpenZero(-1));
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            int a = rnd.nextInt();
            int b = rnd.nextInt();
            float ua = Philox.toUniform(a);
            if (Integer.compareUnsigned(a >>> 8 << 8, b >>> 8 << 8) < 0 != ua < Philox.toUniform(b)) {
                fail("toUniform must be monotone in the unsigned word: " + a + " vs " + b);
            }
            assertEquals(ua + 0x1p-24f, Philox.toUniformOpenZero(a));
        }
    }

    /** Box-Muller in float against the same formula in double: within a few float roundings. */
    @Test
    void boxMullerMatchesTheDoubleFormula() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 100_000; i++) {
            int a = rnd.nextInt();
            int b = rnd.nextInt();
            double u1 = ((a >>> 8) + 1) * 0x1p-24;
            double u2 = (b >>> 8) * 0x1p-24;
            double want = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            float got = Philox.boxMuller(a, b);
            // the float angle 2 pi u2 is off by up to 2^-22 and the radius is at most 5.8
            double tol = 6 * 0x1p-22 + 8 * 0x1p-24 * Math.abs(want);
            if (!(Math.abs(got - want) <= tol)) {
                fail("boxMuller(" + a + ", " + b + ") = " + got + ", expected " + want + " +- " + tol);
            }
        }
        assertEquals(0f, Philox.boxMuller(-1, 12345), 0f, "u1 = 1 gives radius 0");
        double rMax = Math.sqrt(-2 * Math.log(0x1p-24));
        assertEquals(rMax, Philox.boxMuller(0, 0), 1e-5, "u1 = 2^-24, u2 = 0: the largest normal");
        assertEquals(-rMax, Philox.boxMuller(0, 0x80000000), 1e-5, "u2 = 1/2: cos(pi) = -1");
    }

    @Test
    void uniformsAndNormalsHaveTheRightMoments() {
        int n = 200_000;
        double su = 0;
        double sz = 0;
        double szz = 0;
        for (int e = 0; e < n; e++) {
            float u = Philox.uniform(42L, 3, 17L, e);
            assertTrue(u >= 0f && u < 1f);
            su += u;
            float z = Philox.normal(42L, 3, 17L, e);
            sz += z;
            szz += (double) z * z;
        }
        // 5 standard errors: uniform variance 1/12, normal variance 1, variance of z^2 is 2.
        assertEquals(0.5, su / n, 5 * Math.sqrt(1.0 / 12 / n));
        assertEquals(0.0, sz / n, 5 / Math.sqrt(n));
        assertEquals(1.0, szz / n, 5 * Math.sqrt(2.0 / n));
    }

    @Test
    void differentSeedsStreamsAndDrawsGiveDifferentUniforms() {
        float base = Philox.uniform(1L, 0, 0L, 0L);
        int same = 0;
        for (int i = 1; i <= 100; i++) {
            same += Philox.uniform(1L + i, 0, 0L, 0L) == base ? 1 : 0;
            same += Philox.uniform(1L, i, 0L, 0L) == base ? 1 : 0;
            same += Philox.uniform(1L, 0, i, 0L) == base ? 1 : 0;
            same += Philox.uniform(1L, 0, (long) i << 32, 0L) == base ? 1 : 0;
            same += Philox.uniform(1L << 32 | 1L, 0, 0L, 0L) == base ? 1 : 0;
        }
        // Each comparison collides with probability 2^-24: 500 of them, essentially never.
        assertTrue(same <= 1, "collisions: " + same);
    }
}
