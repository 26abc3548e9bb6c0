package org.ebm4j.cpu.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.ebm4j.cpu.internal.CpuCaches;
import org.ebm4j.cpu.internal.CpuParallel;
import org.ebm4j.cpu.internal.gemm.GemmBlocking;
import org.ebm4j.cpu.internal.gemm.BlockedSgemm;

/**
 * SGEMM on the Vector API, the only GEMM that imports {@code jdk.incubator.vector}: the blocked loop
 * nest of {@link BlockedSgemm} (packed B panels in L2, op(A) read in place or packed, parallel over row strips
 * or column panels) around a register-tiled micro-kernel of fused multiply-adds.
 *
 * <p>With {@link FloatVector#SPECIES_PREFERRED} of 16 or more lanes (AVX-512, 32 vector registers)
 * the tile is 6 rows x 4 vectors: 24 accumulators, 4 vectors of B and one broadcast of A in
 * registers, so each depth step is 4 vector loads, 6 broadcasts and 24 FMAs. Alternatives measured
 * on a Zen 4 core (12x2, 14x2, 8x3, 4x6, 5x5 tiles; all reach about 110 GFLOP/s on L1-resident
 * panels) did no better, and 6 rows waste the least on the 100-row minibatches of RBM training.
 * With fewer lanes (AVX2 has 16 registers) the tile is 6 x 2: 12 accumulators, and op(A) always
 * reaches it with a depth step of 1 (a transposed A is packed row by row), so that the JIT hoists A's
 * bounds checks out of the depth loop: on a Zen 3 (AVX2, two 256-bit FMA pipes), one thread, that
 * raised the four RBM shapes by 0-49%, median 15% (thread CPU time, A/B alternated, on a loaded
 * machine). A 4 x 3 tile (12 accumulators, 3 vectors of B, one broadcast: all 16 registers, as
 * OpenBLAS's Haswell kernel) ran at half the speed of 6 x 2 on L1-resident panels there, most likely
 * because C2 spills with no register to spare. Results are correct for any lane count and the same
 * for every tile.
 *
 * <p>The block sizes come from the machine's caches ({@link GemmBlocking#forMachine}): with a 32 KiB
 * L1d the depth block is at most 336, which splits the RBM depths 784 and 500 into blocks of 262 and
 * 250, the 6-row strip of A being swept stays in L1, and packed B is swept in groups of panels that
 * fit in three quarters of L2.
 */
public final class VectorSgemm extends BlockedSgemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final boolean WIDE = L >= 16;
    private static final int MR = 6;
    private static final int NV = WIDE ? 4 : 2;

    /** An SGEMM blocked for this machine's caches ({@link CpuCaches#detected()}). */
    public VectorSgemm(CpuParallel parallel) {
        this(parallel, CpuCaches.detected());
    }

    /** An SGEMM blocked for the given caches. */
    public VectorSgemm(CpuParallel parallel, CpuCaches caches) {
        super("vector", parallel, MR, NV * L, GemmBlocking.forMachine(caches, MR, NV * L), !WIDE);
    }

    @Override
    protected void microKernel(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff, int bRow,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        if (WIDE) {
            kernel6x4(kc, a, aOff, aRow, aStep, bp, bOff, bRow, c, cOff, ldc, accumulate);
        } else {
            kernel6x2(kc, a, aOff, aRow, bp, bOff, bRow, c, cOff, ldc, accumulate);
        }
    }

    /** The last column panel of C is often narrow (784 = 12 x 64 + 16): run only the vectors it needs. */
    @Override
    protected void edgeKernel(int cols, int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff,
                              int bRow, float[] c, int cOff, int ldc, boolean accumulate) {
        if (cols <= L) {
            kernel6x1(kc, a, aOff, aRow, aStep, bp, bOff, bRow, c, cOff, ldc, accumulate);
        } else if (cols <= 2 * L && aStep == 1) {
            kernel6x2(kc, a, aOff, aRow, bp, bOff, bRow, c, cOff, ldc, accumulate);
        } else if (WIDE && cols <= 3 * L) {
            kernel6x3(kc, a, aOff, aRow, aStep, bp, bOff, bRow, c, cOff, ldc, accumulate);
        } else {
            microKernel(kc, a, aOff, aRow, aStep, bp, bOff, bRow, c, cOff, ldc, accumulate);
        }
    }

    /** 6 rows x 4 vectors: 24 accumulators, 4 vectors of B and one broadcast of A in registers. */
    private static void kernel6x4(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff, int bRow,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00, c01, c02, c03;
        FloatVector c10, c11, c12, c13;
        FloatVector c20, c21, c22, c23;
        FloatVector c30, c31, c32, c33;
        FloatVector c40, c41, c42, c43;
        FloatVector c50, c51, c52, c53;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff); c01 = FloatVector.fromArray(S, c, cOff + L); c02 = FloatVector.fromArray(S, c, cOff + 2 * L); c03 = FloatVector.fromArray(S, c, cOff + 3 * L);
            c10 = FloatVector.fromArray(S, c, cOff + ldc); c11 = FloatVector.fromArray(S, c, cOff + ldc + L); c12 = FloatVector.fromArray(S, c, cOff + ldc + 2 * L); c13 = FloatVector.fromArray(S, c, cOff + ldc + 3 * L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc); c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L); c22 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * L); c23 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 3 * L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc); c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L); c32 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * L); c33 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 3 * L);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc); c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + L); c42 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 2 * L); c43 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 3 * L);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc); c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + L); c52 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 2 * L); c53 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 3 * L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00 = zero; c01 = zero; c02 = zero; c03 = zero;
            c10 = zero; c11 = zero; c12 = zero; c13 = zero;
            c20 = zero; c21 = zero; c22 = zero; c23 = zero;
            c30 = zero; c31 = zero; c32 = zero; c33 = zero;
            c40 = zero; c41 = zero; c42 = zero; c43 = zero;
            c50 = zero; c51 = zero; c52 = zero; c53 = zero;
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        int aRow4 = 4 * aRow;
        int aRow5 = 5 * aRow;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * bRow;
            int ao = aOff + p * aStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bo + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + aRow]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + aRow2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + aRow3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + aRow4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41); c42 = a4.fma(b2, c42); c43 = a4.fma(b3, c43);
            FloatVector a5 = FloatVector.broadcast(S, a[ao + aRow5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51); c52 = a5.fma(b2, c52); c53 = a5.fma(b3, c53);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L); c02.intoArray(c, cOff + 2 * L); c03.intoArray(c, cOff + 3 * L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L); c12.intoArray(c, cOff + ldc + 2 * L); c13.intoArray(c, cOff + ldc + 3 * L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L); c22.intoArray(c, cOff + 2 * ldc + 2 * L); c23.intoArray(c, cOff + 2 * ldc + 3 * L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L); c32.intoArray(c, cOff + 3 * ldc + 2 * L); c33.intoArray(c, cOff + 3 * ldc + 3 * L);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + L); c42.intoArray(c, cOff + 4 * ldc + 2 * L); c43.intoArray(c, cOff + 4 * ldc + 3 * L);
        c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + L); c52.intoArray(c, cOff + 5 * ldc + 2 * L); c53.intoArray(c, cOff + 5 * ldc + 3 * L);
    }

    /**
     * 6 rows x 2 vectors: 12 accumulators, 2 vectors of B and one broadcast of A in registers. A's depth
     * step is 1 (row-major A, read in place or packed): with the constant, A's index is linear in the
     * loop variable and the JIT hoists its six bounds checks out of the loop, which on AVX2 (the
     * 12 FMAs of a step take 6 cycles on two pipes) frees issue slots the checks were taking. B's
     * depth step stays a parameter: with the packed width as a constant instead (B always packed), the
     * kernel ran about 30% slower at all four RBM shapes (one thread, paired runs on a Zen 3), likely
     * because C2 then unrolls the depth loop and spills accumulators out of the 16 registers.
     */
    private static void kernel6x2(int kc, float[] a, int aOff, int aRow, float[] bp, int bOff, int bRow,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        FloatVector c40, c41;
        FloatVector c50, c51;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff); c01 = FloatVector.fromArray(S, c, cOff + L);
            c10 = FloatVector.fromArray(S, c, cOff + ldc); c11 = FloatVector.fromArray(S, c, cOff + ldc + L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc); c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc); c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc); c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + L);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc); c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00 = zero; c01 = zero;
            c10 = zero; c11 = zero;
            c20 = zero; c21 = zero;
            c30 = zero; c31 = zero;
            c40 = zero; c41 = zero;
            c50 = zero; c51 = zero;
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        int aRow4 = 4 * aRow;
        int aRow5 = 5 * aRow;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * bRow;
            int ao = aOff + p;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + aRow]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + aRow2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + aRow3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + aRow4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ao + aRow5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + L);
    }

    /** 6 rows x 3 vectors: 18 accumulators, 3 vectors of B and one broadcast of A in registers. */
    private static void kernel6x3(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff, int bRow,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00, c01, c02;
        FloatVector c10, c11, c12;
        FloatVector c20, c21, c22;
        FloatVector c30, c31, c32;
        FloatVector c40, c41, c42;
        FloatVector c50, c51, c52;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff); c01 = FloatVector.fromArray(S, c, cOff + L); c02 = FloatVector.fromArray(S, c, cOff + 2 * L);
            c10 = FloatVector.fromArray(S, c, cOff + ldc); c11 = FloatVector.fromArray(S, c, cOff + ldc + L); c12 = FloatVector.fromArray(S, c, cOff + ldc + 2 * L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc); c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L); c22 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc); c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L); c32 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * L);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc); c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + L); c42 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 2 * L);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc); c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + L); c52 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 2 * L);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00 = zero; c01 = zero; c02 = zero;
            c10 = zero; c11 = zero; c12 = zero;
            c20 = zero; c21 = zero; c22 = zero;
            c30 = zero; c31 = zero; c32 = zero;
            c40 = zero; c41 = zero; c42 = zero;
            c50 = zero; c51 = zero; c52 = zero;
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        int aRow4 = 4 * aRow;
        int aRow5 = 5 * aRow;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * bRow;
            int ao = aOff + p * aStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + aRow]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + aRow2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + aRow3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + aRow4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41); c42 = a4.fma(b2, c42);
            FloatVector a5 = FloatVector.broadcast(S, a[ao + aRow5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51); c52 = a5.fma(b2, c52);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L); c02.intoArray(c, cOff + 2 * L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L); c12.intoArray(c, cOff + ldc + 2 * L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L); c22.intoArray(c, cOff + 2 * ldc + 2 * L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L); c32.intoArray(c, cOff + 3 * ldc + 2 * L);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + L); c42.intoArray(c, cOff + 4 * ldc + 2 * L);
        c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + L); c52.intoArray(c, cOff + 5 * ldc + 2 * L);
    }

    /** 6 rows x 1 vectors: 6 accumulators, 1 vectors of B and one broadcast of A in registers. */
    private static void kernel6x1(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff, int bRow,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00;
        FloatVector c10;
        FloatVector c20;
        FloatVector c30;
        FloatVector c40;
        FloatVector c50;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff);
            c10 = FloatVector.fromArray(S, c, cOff + ldc);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc);
        } else {
            FloatVector zero = FloatVector.zero(S);
            c00 = zero;
            c10 = zero;
            c20 = zero;
            c30 = zero;
            c40 = zero;
            c50 = zero;
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        int aRow4 = 4 * aRow;
        int aRow5 = 5 * aRow;
        for (int p = 0; p < kc; p++) {
            int bo = bOff + p * bRow;
            int ao = aOff + p * aStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + aRow]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + aRow2]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + aRow3]);
            c30 = a3.fma(b0, c30);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + aRow4]);
            c40 = a4.fma(b0, c40);
            FloatVector a5 = FloatVector.broadcast(S, a[ao + aRow5]);
            c50 = a5.fma(b0, c50);
        }
        c00.intoArray(c, cOff);
        c10.intoArray(c, cOff + ldc);
        c20.intoArray(c, cOff + 2 * ldc);
        c30.intoArray(c, cOff + 3 * ldc);
        c40.intoArray(c, cOff + 4 * ldc);
        c50.intoArray(c, cOff + 5 * ldc);
    }
}
