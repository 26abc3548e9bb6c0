package org.ebm4j.cpu.internal.gemm;

import org.ebm4j.cpu.internal.CpuCaches;

/**
 * The block sizes of {@link BlockedSgemm}'s loop nest, derived from the caches of the machine. The loop
 * nest reads op(A) in place one {@code mr}-row strip at a time (so it has no {@code mc} block) and
 * keeps packed B in L2; the three sizes are:
 *
 * @param kcMax            the largest depth block: the {@code mr x kc} strip of A being swept takes at
 *                         most a quarter of L1d (the rest holds the B rows and C tile streaming through),
 *                         rounded down to a multiple of 16, between 64 and 1024, and at most half of
 *                         {@code l2BlockFloats / nr} so that an L2 group holds two panels or more
 * @param l2BlockFloats    how much packed B one sweep of the row strips works on: three quarters of L2
 * @param packedBCapFloats the packed-B buffer's cap ({@code nc * k}): a quarter of L3, between 2 and 32 MiB;
 *                         wider products are done in column blocks
 */
public record GemmBlocking(int kcMax, int l2BlockFloats, int packedBCapFloats) {
    public GemmBlocking {
        if (kcMax < 1 || l2BlockFloats < 1 || packedBCapFloats < 1) {
            throw new IllegalArgumentException("block sizes must be positive, found kc " + kcMax + ", L2 block "
                    + l2BlockFloats + ", packed-B cap " + packedBCapFloats);
        }
    }

    /**
     * The blocking for a {@code mr x nr} register tile on a machine with these caches. Block sizes change
     * only speed, never a result: each element of C is accumulated in depth order whatever the blocks.
     */
    public static GemmBlocking forMachine(CpuCaches caches, int mr, int nr) {
        int l2Block = (int) Math.min(Integer.MAX_VALUE / 2, caches.l2Bytes() * 3 / 4 / Float.BYTES);
        // For 16-column tiles (AVX2) three quarters of L1d for A (k = 784 in one block) was tried on a
        // Zen 3 (one thread, paired runs under load): 6-20% faster at 100x784 . 784x500, 3-20% slower at
        // 100x500 . 500x784 and -20..+11% at 1000x784 . 784x500, so no net gain; the quarter stays.
        long byL1 = caches.l1dBytes() / 4 / ((long) mr * Float.BYTES) / 16 * 16;
        long byL2 = (long) l2Block / 2 / nr;
        int kc = (int) Math.max(64, Math.min(1024, Math.min(byL1, byL2)));
        long cap = Math.max(2L << 20, Math.min(32L << 20, caches.l3Bytes() / 4)) / Float.BYTES;
        return new GemmBlocking(kc, l2Block, (int) cap);
    }
}
