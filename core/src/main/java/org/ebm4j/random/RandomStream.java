package org.ebm4j.random;

/**
 * A position in the Philox stream: a seed, a stream id and a draw index. Each sampling call on
 * a backend consumes one draw ({@link #nextDraw()}); element {@code e} of the tensor it fills
 * then takes its random words from counter {@code (e/4 or e/2, draw, stream)} as {@link Philox}
 * specifies. There is no other generator state, so a checkpoint stores {@link #seed()},
 * {@link #streamId()} and {@link #drawIndex()}, and two backends given the same stream produce
 * the same uniforms.
 *
 * <p>Not thread-safe: one stream belongs to one training loop.
 */
public final class RandomStream {
    private final long seed;
    private final int streamId;
    private long draw;

    public RandomStream(long seed) {
        this(seed, 0, 0L);
    }

    public RandomStream(long seed, int streamId) {
        this(seed, streamId, 0L);
    }

    public RandomStream(long seed, int streamId, long drawIndex) {
        this.seed = seed;
        this.streamId = streamId;
        this.draw = drawIndex;
    }

    public long seed() {
        return seed;
    }

    public int streamId() {
        return streamId;
    }

    /** The index the next call to {@link #nextDraw()} returns. */
    public long drawIndex() {
        return draw;
    }

    /** Restores the position (for resuming from a checkpoint). */
    public void setDrawIndex(long drawIndex) {
        this.draw = drawIndex;
    }

    /** Consumes one draw and returns its index. */
    public long nextDraw() {
        return draw++;
    }

    /** A copy of this stream (same seed and id) positioned at {@code drawIndex}, to replay draws. */
    public RandomStream at(long drawIndex) {
        return new RandomStream(seed, streamId, drawIndex);
    }

    /** A different stream under the same seed, for an independent consumer (for example data shuffling). */
    public RandomStream fork(int otherStreamId) {
        return new RandomStream(seed, otherStreamId, 0L);
    }

    /** Host-side uniform ints in [0, bound) from one draw, for shuffles and unit orders. */
    public int[] permutation(int n) {
        long d = nextDraw();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int[] w = new int[4];
        // Fisher-Yates with one 32-bit word per swap (modulo bias below 2^-32 * n: negligible for n < 2^24).
        for (int i = n - 1; i > 0; i--) {
            long e = n - 1 - i;
            Philox.block((int) (e >>> 2), (int) d, (int) (d >>> 32), streamId, (int) seed, (int) (seed >>> 32), w, 0);
            int j = (int) (((w[(int) (e & 3)] & 0xFFFFFFFFL) * (i + 1)) >>> 32);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    @Override
    public String toString() {
        return "RandomStream(seed=" + seed + ", stream=" + streamId + ", draw=" + draw + ")";
    }
}
