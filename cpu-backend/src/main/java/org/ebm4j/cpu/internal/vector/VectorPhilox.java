package org.ebm4j.cpu.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.ebm4j.cpu.CpuKernels;
import org.ebm4j.cpu.internal.ScalarKernels;
import org.ebm4j.random.Philox;

/**
 * Philox4x32-10 on {@code L} counters at once ({@code L} = long lanes of the preferred shape).
 * Each 32-bit word lives zero-extended in a 64-bit lane, so the 32x32 -> 64-bit products of a
 * round are one lanewise long multiply, and the high and low halves are a shift and a mask.
 * Outputs follow the {@link Philox} layout exactly: uniforms are bit-identical to the scalar
 * generator, normals apply {@link VectorMath#boxMuller} to the same words.
 */
final class VectorPhilox {
    private VectorPhilox() {
    }

    static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int L = LS.length();
    private static final long M32 = 0xFFFFFFFFL;
    private static final long M0 = Philox.M0 & M32;
    private static final long M1 = Philox.M1 & M32;
    private static final long[] IOTA = new long[L];
    /**
     * Zipping two long vectors lane by lane is done as two one-input rearranges that duplicate
     * each lane ({@code [0,0,1,1,..]} for the low halves, {@code [L/2,L/2,..]} for the high
     * halves) and a blend on the odd lanes: the two-input {@code rearrange(shuffle, vector)} of
     * JDK 17 recomputes its masks on every call and cost three times the Philox rounds.
     */
    private static final VectorShuffle<Long> DUP_LO;
    private static final VectorShuffle<Long> DUP_HI;
    private static final VectorMask<Long> ODD;

    static {
        int[] lo = new int[L];
        int[] hi = new int[L];
        boolean[] odd = new boolean[L];
        for (int i = 0; i < L; i++) {
            IOTA[i] = i;
            lo[i] = i / 2;
            hi[i] = i / 2 + L / 2;
            odd[i] = (i & 1) == 1;
        }
        DUP_LO = VectorShuffle.fromArray(LS, lo, 0);
        DUP_HI = VectorShuffle.fromArray(LS, hi, 0);
        ODD = VectorMask.fromArray(LS, odd, 0);
        if (FS.length() != 2 * L) {
            throw new IllegalStateException("expected " + (2 * L) + " float lanes beside " + L + " long lanes, found "
                    + FS.length());
        }
    }

    /** {@code dst[off + i] = uniform(first + i)} for {@code i < count}. */
    static void uniforms(int k0, int k1, int c1, int c2, int c3, long first, float[] dst, int off, int count) {
        int head = (int) Math.min(count, (4 - (first & 3)) & 3);
        if (head > 0) {
            ScalarKernels.uniformRange(k0, k1, c1, c2, c3, first, dst, off, head);
        }
        int i = head;
        int step = 4 * L;
        int quad = (int) ((first + head) >>> 2);
        for (; i <= count - step; i += step, quad += L) {
            uniformBlock(quad, k0, k1, c1, c2, c3, dst, off + i);
        }
        if (i < count) {
            ScalarKernels.uniformRange(k0, k1, c1, c2, c3, first + i, dst, off + i, count - i);
        }
    }

    /**
     * The {@code 4 L} uniforms of quads {@code quad .. quad + L - 1}, in element order, at {@code dst[off..]}.
     *
     * <p>Its Philox rounds are written out again in {@link #boxMullerInputs}: one method for both
     * output layouts measured 20-45% slower on uniforms drawn after normals, because C2 reached its
     * node-count inlining cutoff in the larger method and left {@code toUniform} a call, which boxes
     * its vector; and the words cannot leave the rounds in vectors without the same boxing. Passing
     * them through a scratch array from one shared rounds method measured 13-15% slower on the fused
     * sigmoid + Bernoulli of 100 x 500 (30% with the array in a thread-local), on a Zen 3.
     */
    private static void uniformBlock(int quad, int k0, int k1, int c1, int c2, int c3, float[] dst, int off) {
        LongVector x0 = LongVector.fromArray(LS, IOTA, 0).add(quad & M32);
        LongVector x1 = LongVector.broadcast(LS, c1 & M32);
        LongVector x2 = LongVector.broadcast(LS, c2 & M32);
        LongVector x3 = LongVector.broadcast(LS, c3 & M32);
        int key0 = k0;
        int key1 = k1;
        for (int round = 0; round < Philox.ROUNDS; round++) {
            LongVector p0 = x0.mul(M0);
            LongVector p1 = x2.mul(M1);
            LongVector y0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, x1)
                    .lanewise(VectorOperators.XOR, key0 & M32);
            LongVector y2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, x3)
                    .lanewise(VectorOperators.XOR, key1 & M32);
            x1 = p1.and(M32);
            x3 = p0.and(M32);
            x0 = y0;
            x2 = y2;
            key0 += Philox.W0;
            key1 += Philox.W1;
        }
        // Words of quad q must land at elements 4q..4q+3: pair them into longs (x0|x1, x2|x3),
        // then zip the two pair vectors.
        LongVector p01 = x0.or(x1.lanewise(VectorOperators.LSHL, 32));
        LongVector p23 = x2.or(x3.lanewise(VectorOperators.LSHL, 32));
        LongVector lo = p01.rearrange(DUP_LO).blend(p23.rearrange(DUP_LO), ODD);
        LongVector hi = p01.rearrange(DUP_HI).blend(p23.rearrange(DUP_HI), ODD);
        toUniform(lo.reinterpretAsInts()).intoArray(dst, off);
        toUniform(hi.reinterpretAsInts()).intoArray(dst, off + 2 * L);
    }

    private static FloatVector toUniform(IntVector words) {
        return ((FloatVector) words.lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0))
                .mul(Philox.UNIFORM_SCALE);
    }

    /**
     * {@code dst[off + i] = mean + stddev * normal(first + i)} for {@code i < count}: Philox words
     * to uniforms in blocks of at most {@link CpuKernels#RANDOM_BLOCK} (radius inputs in
     * {@code dst}, angle inputs in {@code scratch}), then {@link VectorMath#boxMuller} over the block.
     */
    static void normals(int k0, int k1, int c1, int c2, int c3, long first, float mean, float stddev, float[] dst,
                        int off, int count, float[] scratch, int scratchOff) {
        int[] words = new int[4];
        int i = 0;
        if ((first & 1) != 0 && count > 0) {
            dst[off] = mean + stddev * normalScalar(k0, k1, c1, c2, c3, first, words);
            i = 1;
        }
        int step = 2 * L;
        while (count - i >= step) {
            int chunk = Math.min(CpuKernels.RANDOM_BLOCK, count - i) / step * step;
            int quad = (int) ((first + i) >>> 1);
            for (int j = 0; j < chunk; j += step, quad += L) {
                boxMullerInputs(quad, k0, k1, c1, c2, c3, dst, off + i + j, scratch, scratchOff + j);
            }
            VectorMath.boxMuller(dst, off + i, scratch, scratchOff, mean, stddev, dst, off + i, chunk);
            i += chunk;
        }
        for (; i < count; i++) {
            dst[off + i] = mean + stddev * normalScalar(k0, k1, c1, c2, c3, first + i, words);
        }
    }

    /** The radius uniforms (in (0, 1]) and angle uniforms of the {@code 2 L} normals of quads {@code quad..}. */
    private static void boxMullerInputs(int quad, int k0, int k1, int c1, int c2, int c3, float[] u1, int u1Off,
                                        float[] u2, int u2Off) {
        LongVector x0 = LongVector.fromArray(LS, IOTA, 0).add(quad & M32);
        LongVector x1 = LongVector.broadcast(LS, c1 & M32);
        LongVector x2 = LongVector.broadcast(LS, c2 & M32);
        LongVector x3 = LongVector.broadcast(LS, c3 & M32);
        int key0 = k0;
        int key1 = k1;
        for (int round = 0; round < Philox.ROUNDS; round++) {
            LongVector p0 = x0.mul(M0);
            LongVector p1 = x2.mul(M1);
            LongVector y0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, x1)
                    .lanewise(VectorOperators.XOR, key0 & M32);
            LongVector y2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, x3)
                    .lanewise(VectorOperators.XOR, key1 & M32);
            x1 = p1.and(M32);
            x3 = p0.and(M32);
            x0 = y0;
            x2 = y2;
            key0 += Philox.W0;
            key1 += Philox.W1;
        }
        // Normal 2q takes words (x0, x1) of quad q and normal 2q+1 takes (x2, x3): as ints,
        // x0|x2<<32 is already the radius words in element order, x1|x3<<32 the angle words.
        IntVector a = x0.or(x2.lanewise(VectorOperators.LSHL, 32)).reinterpretAsInts();
        IntVector b = x1.or(x3.lanewise(VectorOperators.LSHL, 32)).reinterpretAsInts();
        ((FloatVector) a.lanewise(VectorOperators.LSHR, 8).add(1).convert(VectorOperators.I2F, 0))
                .mul(Philox.UNIFORM_SCALE).intoArray(u1, u1Off);
        toUniform(b).intoArray(u2, u2Off);
    }

    /**
     * Normal element {@code e} through the scalar twin of the vector Box-Muller (for heads and
     * tails); {@code words} is scratch for the four words of its {@link Philox#block}.
     */
    private static float normalScalar(int k0, int k1, int c1, int c2, int c3, long e, int[] words) {
        Philox.block((int) (e >>> 1), c1, c2, c3, k0, k1, words, 0);
        int w = (int) (e & 1) * 2;
        return VectorMath.boxMuller(Philox.toUniformOpenZero(words[w]), Philox.toUniform(words[w + 1]));
    }
}
