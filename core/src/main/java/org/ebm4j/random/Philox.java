package org.ebm4j.random;

/**
 * Philox4x32-10, the counter-based generator of Salmon et al. (2011), as specified in
 * {@code DESIGN.md}. It is a pure function of a 128-bit counter and a 64-bit key; every backend
 * (scalar Java, Vector API, CUDA) implements this exact function so one seed gives the same
 * uniforms everywhere.
 *
 * <p>The ebm4j stream layout on top of it:
 * <ul>
 *   <li>key = (low 32 bits of the seed, high 32 bits of the seed);</li>
 *   <li>counter = (quad index, draw index low 32 bits, draw index high 32 bits, stream id);</li>
 *   <li>uniform element {@code e} of a draw uses quad {@code e / 4}, word {@code e % 4}, and is
 *       {@code (x >>> 8) * 2^-24}, a float in [0, 1);</li>
 *   <li>normal element {@code e} uses quad {@code e / 2}, words {@code 2(e % 2)} and
 *       {@code 2(e % 2) + 1}: {@code u1 = ((xa >>> 8) + 1) * 2^-24} in (0, 1],
 *       {@code u2 = (xb >>> 8) * 2^-24}, and {@code z = sqrt(-2 ln u1) cos(2 pi u2)}.</li>
 * </ul>
 */
public final class Philox {
    public static final int M0 = 0xD2511F53;
    public static final int M1 = 0xCD9E8D57;
    public static final int W0 = 0x9E3779B9;
    public static final int W1 = 0xBB67AE85;
    public static final int ROUNDS = 10;

    /** 2^-24: the spacing of the uniforms. */
    public static final float UNIFORM_SCALE = 0x1p-24f;

    private Philox() {
    }

    /**
     * One Philox4x32-10 block. Writes the four output words x0..x3 to {@code out[outOff..outOff+3]}.
     */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out, int outOff) {
        for (int r = 0; r < ROUNDS; r++) {
            if (r > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32);
            int lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32);
            int lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
        }
        out[outOff] = c0;
        out[outOff + 1] = c1;
        out[outOff + 2] = c2;
        out[outOff + 3] = c3;
    }

    /** The uniform float in [0, 1) that a 32-bit Philox word maps to. */
    public static float toUniform(int word) {
        return (word >>> 8) * UNIFORM_SCALE;
    }

    /** The uniform float in (0, 1] used as the Box-Muller radius input (never 0, so the log is finite). */
    public static float toUniformOpenZero(int word) {
        return ((word >>> 8) + 1) * UNIFORM_SCALE;
    }

    /** Box-Muller from the two words of one normal, in float as every backend computes it. */
    public static float boxMuller(int wordA, int wordB) {
        float u1 = toUniformOpenZero(wordA);
        float u2 = toUniform(wordB);
        float r = (float) Math.sqrt(-2.0f * (float) Math.log(u1));
        return r * (float) Math.cos(TWO_PI * u2);
    }

    static final float TWO_PI = (float) (2.0 * Math.PI);

    /** Uniform element {@code element} of draw {@code draw} on stream {@code stream} under {@code seed}. */
    public static float uniform(long seed, int stream, long draw, long element) {
        int[] w = new int[4];
        block((int) (element >>> 2), (int) draw, (int) (draw >>> 32), stream, (int) seed, (int) (seed >>> 32), w, 0);
        return toUniform(w[(int) (element & 3)]);
    }

    /** Standard normal element {@code element} of draw {@code draw} (see the class comment for the layout). */
    public static float normal(long seed, int stream, long draw, long element) {
        int[] w = new int[4];
        block((int) (element >>> 1), (int) draw, (int) (draw >>> 32), stream, (int) seed, (int) (seed >>> 32), w, 0);
        int j = (int) (element & 1) * 2;
        return boxMuller(w[j], w[j + 1]);
    }
}
