package org.ebm4j.cpu.internal.gemm;

import org.ebm4j.cpu.internal.CpuCaches;
import org.ebm4j.cpu.internal.CpuParallel;

/**
 * Plain-Java SGEMM for the scalar kernel set (no {@code jdk.incubator.vector}): the blocked loop nest
 * of {@link BlockedSgemm} around a 4 x 4 register tile of float accumulators. Each depth step loads
 * four values of A and four of B and does sixteen multiply-adds, which keeps the load and
 * floating-point ports of a modern core busy without spilling registers. Multiply and add are
 * separate (not {@link Math#fma}), because {@code Math.fma} is very slow on CPUs without the
 * instruction and this is the path that must work everywhere.
 */
public final class ScalarSgemm extends BlockedSgemm {
    private static final int MR = 4;
    private static final int NR = 4;

    /** An SGEMM blocked for this machine's caches ({@link CpuCaches#detected()}). */
    public ScalarSgemm(CpuParallel parallel) {
        this(parallel, CpuCaches.detected());
    }

    /** An SGEMM blocked for the given caches. */
    public ScalarSgemm(CpuParallel parallel, CpuCaches caches) {
        super("scalar", parallel, MR, NR, GemmBlocking.forMachine(caches, MR, NR));
    }

    @Override
    protected void microKernel(int kc, float[] a, int aOff, int aRow, int aStep, float[] bp, int bOff, int bRow,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        if (accumulate) {
            int o0 = cOff;
            c00 = c[o0]; c01 = c[o0 + 1]; c02 = c[o0 + 2]; c03 = c[o0 + 3];
            int o1 = cOff + ldc;
            c10 = c[o1]; c11 = c[o1 + 1]; c12 = c[o1 + 2]; c13 = c[o1 + 3];
            int o2 = cOff + 2 * ldc;
            c20 = c[o2]; c21 = c[o2 + 1]; c22 = c[o2 + 2]; c23 = c[o2 + 3];
            int o3 = cOff + 3 * ldc;
            c30 = c[o3]; c31 = c[o3 + 1]; c32 = c[o3 + 2]; c33 = c[o3 + 3];
        }
        int aRow2 = 2 * aRow;
        int aRow3 = 3 * aRow;
        for (int p = 0; p < kc; p++) {
            int ao = aOff + p * aStep;
            int bo = bOff + p * bRow;
            float b0 = bp[bo]; float b1 = bp[bo + 1]; float b2 = bp[bo + 2]; float b3 = bp[bo + 3];
            float a0 = a[ao];
            float a1 = a[ao + aRow];
            float a2 = a[ao + aRow2];
            float a3 = a[ao + aRow3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        int s0 = cOff;
        c[s0] = c00; c[s0 + 1] = c01; c[s0 + 2] = c02; c[s0 + 3] = c03;
        int s1 = cOff + ldc;
        c[s1] = c10; c[s1 + 1] = c11; c[s1 + 2] = c12; c[s1 + 3] = c13;
        int s2 = cOff + 2 * ldc;
        c[s2] = c20; c[s2 + 1] = c21; c[s2 + 2] = c22; c[s2 + 3] = c23;
        int s3 = cOff + 3 * ldc;
        c[s3] = c30; c[s3 + 1] = c31; c[s3 + 2] = c32; c[s3 + 3] = c33;
    }
}
