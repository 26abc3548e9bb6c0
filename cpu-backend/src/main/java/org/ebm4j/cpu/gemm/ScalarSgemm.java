package org.ebm4j.cpu.gemm;

import org.ebm4j.cpu.CpuParallel;

/**
 * Plain-Java SGEMM for the scalar kernel set (no {@code jdk.incubator.vector}): the blocked loop nest
 * of {@link BlockedSgemm} around a 4 x 4 register tile of float accumulators. Each depth step loads
 * four packed A values and four packed B values and does sixteen multiply-adds, which keeps both
 * load and floating-point ports of a modern core busy without spilling. Multiply and add are
 * separate (not {@link Math#fma}), because {@code Math.fma} is very slow on CPUs without the
 * instruction and this is the path that must work everywhere.
 */
public final class ScalarSgemm extends BlockedSgemm {
    private static final int MR = 4;
    private static final int NR = 4;
    private static final int KC = 256;

    public ScalarSgemm(CpuParallel parallel) {
        super(parallel, MR, NR, KC);
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    protected void microKernel(int kc, float[] ap, float[] bp, int bOff, float[] tile) {
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        for (int p = 0; p < kc; p++) {
            int ao = p * 4;
            int bo = bOff + p * 4;
            float b0 = bp[bo]; float b1 = bp[bo + 1]; float b2 = bp[bo + 2]; float b3 = bp[bo + 3];
            float a0 = ap[ao]; float a1 = ap[ao + 1]; float a2 = ap[ao + 2]; float a3 = ap[ao + 3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
        tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
        tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
        tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
    }
}
